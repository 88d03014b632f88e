import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validate } from "../support/json-schema";
import { complaintBody, type Harness, startHarness, WORKING_TUESDAY } from "./harness";

/**
 * The CRM loop on the embedded target: customer notices, integration events on the (local) bus and their
 * stream, root causes and their report, and a customer's history. One simulated minute per second.
 */
let h: Harness;
let manager: string;
beforeAll(async () => {
  h = await startHarness({ timeScale: 60 });
  manager = await h.staffToken([], "manager", "manager-crm");
});
afterAll(async () => {
  await h?.stop();
});

const act = (token: string, id: string, action: Record<string, unknown>) =>
  h.waitFor(
    () => h.staff("POST", `/staff/complaints/${id}/actions`, token, action),
    (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
  );
const asChannel = (channel: "mobile_app" | "wechat", method: string, path: string, body?: unknown) =>
  h.waitFor(
    () =>
      h.request(method, path, {
        headers: { "x-api-key": h.apiKey(channel) },
        ...(body !== undefined ? { body } : {}),
      }),
    (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
  );
const submit = async (body: unknown) => {
  const res = await h.submit("mobile_app", body);
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const resolve = async (token: string, id: string, resolution: Record<string, unknown>) => {
  const res = await act(token, id, {
    type: "resolve",
    resolution: { outcome: "upheld", summary: "Fixed", ...resolution },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};

describe("root causes", () => {
  it("ranks causes by business type, branch and segment against the previous week, and lists past-due remediation", async () => {
    const agent = await h.staffToken(["cards", "loans", "wealth", "private_banking"], "agent", "agent-rc");
    const scripted = async (
      n: number,
      overrides: Record<string, unknown>,
      resolution: Record<string, unknown>,
    ) => {
      const id = await submit(
        complaintBody({ customer: { id: `C-RC-${n}`, segment: "mass_retail" }, ...overrides }),
      );
      await resolve(agent, id, resolution);
      return id;
    };
    // Previous week (Tuesday 10 November 2026): one process, one system defect.
    h.stack.restartClock(new Date("2026-11-10T10:00:00+08:00"));
    await scripted(1, { branch: "SH-1" }, { rootCause: "process" });
    await scripted(2, {}, { rootCause: "system_defect" });
    // This week (Tuesday 17 November): process x2 (cards, SH-1), system defect x1 (cards, wealth),
    // staff conduct x2 (loans, BJ-1) — one with a remediation action due yesterday, one due next year.
    h.stack.restartClock(new Date("2026-11-17T10:00:00+08:00"));
    const plain = await scripted(3, { branch: "SH-1" }, { rootCause: "process" });
    await scripted(4, { branch: "SH-1" }, { rootCause: "process" });
    await scripted(
      5,
      { customer: { id: "C-RC-5", segment: "wealth" } },
      { rootCause: "system_defect", outcome: "partially_upheld" },
    );
    const late = await scripted(
      6,
      { businessType: "loans", branch: "BJ-1" },
      {
        rootCause: "staff_conduct",
        remediation: {
          description: "Retrain the counter team",
          owner: "BJ-1 branch manager",
          dueBy: "2026-11-16",
        },
      },
    );
    await scripted(
      7,
      { businessType: "loans", branch: "BJ-1" },
      {
        rootCause: "staff_conduct",
        remediation: { description: "Review the script", owner: "loans product owner", dueBy: "2027-01-31" },
      },
    );

    // Reports read the aggregates the stream keeps: they follow the changes by a moment.
    await h.stack.stream.drained();
    const res = await h.staff("GET", "/reports/root-causes?from=2026-11-17&to=2026-11-24", manager);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body;
    expect(r.previousPeriod).toEqual({ from: "2026-11-10T00:00:00.000Z", to: "2026-11-17T00:00:00.000Z" });
    expect(r.total).toEqual({ received: 5, withRootCause: 5, previousWithRootCause: 2 });
    const pick = (rows: any[]) => rows.map((c) => [c.rootCause, c.count, c.previous, c.trend, c.changePct]);
    expect(pick(r.causes)).toEqual([
      ["process", 2, 1, "up", 100],
      ["staff_conduct", 2, 0, "up", null],
      ["system_defect", 1, 1, "flat", 0],
    ]);
    expect(
      r.byBusinessType.map((g: any) => [g.businessType, g.count, g.previous, g.causes[0].rootCause]),
    ).toEqual([
      ["cards", 3, 2, "process"],
      ["loans", 2, 0, "staff_conduct"],
    ]);
    expect(r.byBranch.map((g: any) => [g.branch, g.count, g.previous])).toEqual([
      ["SH-1", 2, 1],
      ["BJ-1", 2, 0],
      ["(none)", 1, 1],
    ]);
    expect(r.bySegment.map((g: any) => [g.segment, g.count, pick(g.causes)])).toEqual([
      [
        "mass_retail",
        4,
        [
          ["process", 2, 1, "up", 100],
          ["staff_conduct", 2, 0, "up", null],
          ["system_defect", 0, 1, "down", -100],
        ],
      ],
      ["wealth", 1, [["system_defect", 1, 0, "up", null]]],
    ]);
    expect(r.remediationPastDue).toEqual([
      expect.objectContaining({
        complaintId: late,
        rootCause: "staff_conduct",
        owner: "BJ-1 branch manager",
        dueBy: "2026-11-16",
        daysOverdue: 1,
      }),
    ]);

    // The branch reports the action done: it leaves the past-due list, once and for all.
    const done = await act(agent, late, { type: "complete_remediation", evidence: "Counter team retrained" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.remediation).toMatchObject({
      owner: "BJ-1 branch manager",
      dueBy: "2026-11-16",
      completedBy: "agent-rc",
      completedAt: expect.any(String),
    });
    const again = await act(agent, late, { type: "complete_remediation", evidence: "again" });
    expect([again.status, again.body.error.code]).toEqual([409, "REMEDIATION_ALREADY_COMPLETED"]);
    const nothing = await act(agent, plain, { type: "complete_remediation", evidence: "n/a" });
    expect([nothing.status, nothing.body.error.code]).toEqual([409, "NO_REMEDIATION"]);
    await h.stack.stream.drained();
    const after = await h.staff("GET", "/reports/root-causes?from=2026-11-17&to=2026-11-24", manager);
    expect(after.body.remediationPastDue).toEqual([]);
    const trail = await h.staff("GET", `/staff/complaints/${late}`, agent);
    expect(trail.body.audit.map((e: any) => e.type)).toContain("RemediationCompleted");

    // Reports are for managers; a resolution without a root cause is refused.
    expect((await h.staff("GET", "/reports/root-causes?from=2026-11-17&to=2026-11-24", agent)).status).toBe(
      403,
    );
    const id = await submit(complaintBody({ customer: { id: "C-RC-8", segment: "mass_retail" } }));
    const refused = await act(agent, id, {
      type: "resolve",
      resolution: { outcome: "upheld", summary: "x" },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.error.details)).toContain("rootCause");
    h.stack.restartClock(WORKING_TUESDAY);
  });
});

describe("a full lifecycle on the bus and in the customer's letters", () => {
  it("streams every integration event in order, each valid against its published schema, with no personal data", async () => {
    const start = await h.staff("GET", "/events", manager);
    expect(start.status).toBe(200);
    const cardsAgent = await h.staffToken(["cards"], "agent", "agent-cards");
    const loansAgent = await h.staffToken(["loans"], "agent", "agent-loans");
    const loansSupervisor = await h.staffToken(["loans"], "supervisor", "sup-loans");
    const id = await submit(
      complaintBody({
        customer: { id: "C-EV-1", segment: "mass_retail", name: "Han Meimei", phone: "+86 137 0000 1111" },
      }),
    );
    expect((await act(cardsAgent, id, { type: "claim" })).status).toBe(200);
    expect((await act(cardsAgent, id, { type: "request_info", question: "Which statement?" })).status).toBe(
      200,
    );
    expect(
      (await asChannel("mobile_app", "POST", `/complaints/${id}/customer-reply`, { message: "November" }))
        .status,
    ).toBe(200);
    expect(
      (await act(cardsAgent, id, { type: "extend", level: "cn_30", reason: "Card scheme enquiry" })).status,
    ).toBe(200);
    expect(
      (await act(cardsAgent, id, { type: "reassign", team: "loans", reason: "It is the card loan" })).status,
    ).toBe(200);
    expect((await act(loansAgent, id, { type: "escalate", reason: "Customer insists" })).status).toBe(200);
    await resolve(loansAgent, id, { rootCause: "process", remedy: { amount: "50.00", currency: "CNY" } });
    expect(
      (
        await asChannel("mobile_app", "POST", `/complaints/${id}/feedback`, {
          satisfaction: 2,
          outcome: "reopen",
        })
      ).status,
    ).toBe(200);
    await resolve(loansSupervisor, id, { rootCause: "pricing_policy" });
    expect(
      (
        await asChannel("mobile_app", "POST", `/complaints/${id}/feedback`, {
          satisfaction: 4,
          outcome: "accept",
        })
      ).status,
    ).toBe(200);

    const expected = [
      "ComplaintReceived",
      "Acknowledged",
      "Assigned",
      "InformationRequested",
      "CustomerReplied",
      "Extended",
      "Reassigned",
      "Assigned",
      "Escalated",
      "Resolved",
      "FeedbackReceived",
      "Reopened",
      "Resolved",
      "FeedbackReceived",
      "Closed",
    ];
    // Read the stream page by page from the cursor taken before the complaint existed.
    const mine: any[] = [];
    let cursor = start.body.nextCursor as string;
    await h.waitFor(
      async () => {
        const page = await h.staff("GET", `/events?since=${cursor}&limit=5`, manager);
        expect(page.status).toBe(200);
        for (const e of page.body.events) {
          expect(Number(e.cursor)).toBeGreaterThan(Number(cursor));
          cursor = e.cursor;
          if (e.detail.complaintId === id) mine.push(e);
        }
        return mine.length;
      },
      (n) => n >= expected.length,
    );
    expect(mine.map((e) => e.detailType)).toEqual(expected);
    expect(mine.map((e) => e.detail.type)).toEqual(expected);
    const versions = mine.map((e) => e.detail.complaintVersion);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(mine.map((e) => e.detail.eventId)).size).toBe(mine.length);
    for (const e of mine) {
      const schema = JSON.parse(readFileSync(`docs/events/${e.detailType}.v1.schema.json`, "utf8"));
      expect(validate(schema, e.detail), e.detailType).toEqual([]);
    }
    expect(mine.filter((e) => e.detailType === "Resolved").map((e) => e.detail.data.rootCause)).toEqual([
      "process",
      "pricing_policy",
    ]);
    const text = JSON.stringify(mine);
    for (const secret of ["Han Meimei", "137 0000", "Which statement", "November", "Customer insists"]) {
      expect(text).not.toContain(secret);
    }
    // Notices share the bus but never reach the stream.
    expect(mine.some((e) => e.detailType === "CustomerNoticeRequested")).toBe(false);
    // The stream is for managers.
    expect((await h.staff("GET", "/events", cardsAgent)).status).toBe(403);
    expect((await h.request("GET", "/events")).status).toBe(401);

    // The customer's letters: stored with the changes, in order, in Chinese (CN default), on the bus too.
    const notices = await h.request("GET", `/complaints/${id}/notices`, {
      headers: { "x-api-key": h.apiKey("mobile_app") },
    });
    expect(notices.status).toBe(200);
    const kinds = [
      "acknowledgement",
      "information_request",
      "holding_reply",
      "final_response",
      "satisfaction_survey",
      "final_response",
      "satisfaction_survey",
    ];
    expect(notices.body.notices.map((n: any) => n.kind)).toEqual(kinds);
    expect(notices.body.notices.map((n: any) => n.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const n of notices.body.notices) {
      expect(n.locale).toBe("zh-CN");
      expect(n.content.body).toContain(n.reference);
    }
    const [ack, , holding, final] = notices.body.notices;
    expect(ack.content.body).toContain("尊敬的Han Meimei");
    expect(holding.satisfies).toMatchObject({ rule: "cn_decision", met: true });
    expect(final.satisfies).toMatchObject({ rule: "cn_decision", met: true });
    expect(final.content.body).toContain("12378");
    expect(final.content.body).toContain("50.00 CNY");
    const bus = h.stack.busEvents().filter((e) => e.detailType === "CustomerNoticeRequested");
    expect(
      bus.filter((e) => (e.detail as any).complaintId === id).map((e) => (e.detail as any).kind),
    ).toEqual(kinds);
    // Another channel cannot read them.
    const other = await h.request("GET", `/complaints/${id}/notices`, {
      headers: { "x-api-key": h.apiKey("wechat") },
    });
    expect(other.status).toBe(404);

    // Every notice is in the audit trail, with kind, locale and the deadline it satisfies; never its text.
    const trail = (await h.staff("GET", `/staff/complaints/${id}`, loansSupervisor)).body.audit;
    const sent = trail.filter((e: any) => e.type === "NoticeSent");
    expect(sent.map((e: any) => e.data.kind)).toEqual(kinds);
    expect(sent[2].data).toEqual({
      noticeId: holding.noticeId,
      kind: "holding_reply",
      locale: "zh-CN",
      satisfies: holding.satisfies,
    });
    expect(JSON.stringify(sent)).not.toContain("Han Meimei");
    const verified = await h.staff("GET", `/staff/complaints/${id}/audit/verify`, loansSupervisor);
    expect(verified.body.valid).toBe(true);
  });
});

describe("a customer's history", () => {
  it("pages through every complaint with outcomes, satisfaction and repeat links across a reopen and a repeat", async () => {
    h.stack.restartClock(WORKING_TUESDAY);
    const agent = await h.staffToken(["cards"], "agent", "agent-history");
    const customer = { id: "C-HIST-1", segment: "small_business" };
    const first = await submit(complaintBody({ customer }));
    await resolve(agent, first, { rootCause: "process" });
    expect(
      (
        await asChannel("mobile_app", "POST", `/complaints/${first}/feedback`, {
          satisfaction: 2,
          outcome: "reopen",
        })
      ).status,
    ).toBe(200);
    // While the first is open again, the customer complains about the same thing: a repeat.
    const second = await submit(complaintBody({ customer, description: "Still charged twice" }));
    await resolve(agent, first, { rootCause: "system_defect" });
    expect(
      (
        await asChannel("mobile_app", "POST", `/complaints/${first}/feedback`, {
          satisfaction: 4,
          outcome: "accept",
        })
      ).status,
    ).toBe(200);

    await h.stack.stream.drained();
    const page1 = await h.staff("GET", `/customers/${customer.id}/complaints?limit=1`, agent);
    expect(page1.status, JSON.stringify(page1.body)).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).toMatchObject({
      id: second,
      repeatOf: first,
      repeatedBy: [],
      reopened: false,
    });
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await h.staff(
      "GET",
      `/customers/${customer.id}/complaints?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
      agent,
    );
    expect(page2.status).toBe(200);
    expect(page2.body.items[0]).toMatchObject({
      id: first,
      status: "closed",
      outcome: "upheld",
      rootCause: "system_defect",
      satisfaction: 4,
      accepted: true,
      cycles: 2,
      reopened: true,
      repeatOf: null,
      repeatedBy: [second],
    });
    // No personal data in the history; a cursor is bound to its customer.
    expect(JSON.stringify([page1.body, page2.body])).not.toContain("Li Lei");
    const foreign = await h.staff(
      "GET",
      `/customers/C-OTHER/complaints?cursor=${encodeURIComponent(page1.body.nextCursor)}`,
      agent,
    );
    expect(foreign.status).toBe(400);

    // Segment-level satisfaction and repeat rate.
    const sla = await h.staff("GET", "/reports/sla?from=2026-12-01&to=2026-12-02&groupBy=segment", manager);
    expect(sla.status).toBe(200);
    const row = sla.body.groups.find((g: any) => g.segment === "small_business");
    expect(row).toMatchObject({
      received: 2,
      repeats: 1,
      repeatRatePct: 50,
      satisfaction: { average: 4, responses: 1 },
    });
  });
});
