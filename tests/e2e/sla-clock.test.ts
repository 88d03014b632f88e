import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from "@aws-sdk/client-sfn";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, startHarness } from "./harness";

// 100,000 simulated seconds per real second (~28 h/s). The first test restarts the clock at the start of a
// CN weekend (Sat 28 Nov 2026, 00:00 Shanghai): intake lands on Saturday or Sunday (48 h of margin, 1.7 s
// real), and either way every deadline below is the same, because business time only starts on Monday.
const SATURDAY_MIDNIGHT = new Date("2026-11-28T00:00:00+08:00");
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: 100_000 });
});
afterAll(async () => {
  await h?.stop();
});

const asChannel = (channel: "phone_centre" | "mobile_app", method: string, path: string, body?: unknown) =>
  h.request(method, path, {
    headers: { "x-api-key": h.apiKey(channel) },
    ...(body !== undefined ? { body } : {}),
  });

const storedTask = async (id: string) => {
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: h.stack.dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  const out = await db.send(
    new GetCommand({ TableName: h.stack.tableName, Key: { pk: `COMPLAINT#${id}`, sk: "META" } }),
  );
  db.destroy();
  return out.Item?.taskToken as string | undefined;
};

describe("the SLA clock on the embedded target", () => {
  it("warns, breaches and escalates through two tiers, notifying each tier, then records the statutory breach", async () => {
    h.stack.restartClock(SATURDAY_MIDNIGHT);
    const { body: ack } = await h.submit(
      "phone_centre",
      complaintBody({
        customer: { id: "C-PB-42", segment: "private_banking" },
        businessType: "wealth_management",
      }),
    );
    // All deadlines at once, in Shanghai's offset, with the statutory clock beside the internal one.
    expect(ack.deadlines).toMatchObject({
      // Private banking P1: close of business of the 2nd working day after the weekend = Tue 1 Dec 17:30.
      // Business time from Mon 09:00: 14 h (840 min); warning at 75% = 630 min = Mon (420) + Tue 09:00-12:00
      // (180) + 30 min after lunch = Tue 1 Dec 14:00.
      // CN decision: 15 days, acceptance day not counted: Sat -> day 15 is Sun 13 Dec, not a working day, so
      // the end of Mon 14 Dec; Sun -> day 15 is Mon 14 Dec. Either way: end of Mon 14 Dec.
      resolveBy: "2026-12-01T17:30:00+08:00",
      warningAt: "2026-12-01T14:00:00+08:00",
      statutory: [{ rule: "cn_decision", dueBy: "2026-12-14T23:59:59.999+08:00" }],
      tier: 0,
      calendar: "CN",
      provisional: false,
    });
    const manager = await h.staffToken(["private_banking"], "manager");
    const view = await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${ack.id}`, manager),
      (r) => (r.body.statutoryBreaches ?? []).length > 0,
      30_000,
    );
    const audit = view.body.audit as { type: string; at: string; data?: Record<string, unknown> }[];
    // Customer notices (NoticeSent) sit between the lifecycle events; this test is about the clock.
    const kinds = audit.map((e) => e.type).filter((t) => t !== "NoticeSent");
    expect(kinds.slice(0, 5)).toEqual([
      "ComplaintReceived",
      "HandlingStarted",
      "SlaWarning",
      "SlaBreached",
      "Escalated",
    ]);
    const escalations = audit.filter((e) => e.type === "Escalated").map((e) => e.data);
    expect(escalations.slice(0, 2)).toEqual([
      // Tier 1 from Tue 1 Dec 17:30 for one business day: close of business Wed 2 Dec.
      expect.objectContaining({
        fromTier: 0,
        toTier: 1,
        reason: "breach",
        tierDueBy: "2026-12-02T09:30:00.000Z",
      }),
      // Tier 2 from Wed 2 Dec 17:30 for two business days: close of business Fri 4 Dec.
      expect.objectContaining({
        fromTier: 1,
        toTier: 2,
        reason: "tier_timeout",
        tierDueBy: "2026-12-04T09:30:00.000Z",
      }),
    ]);
    const breach = audit.find((e) => e.type === "StatutoryDeadlineBreached");
    expect(breach?.data).toMatchObject({ rule: "cn_decision", dueBy: "2026-12-14T15:59:59.999Z" });
    expect(Date.parse(breach!.at)).toBeGreaterThanOrEqual(Date.parse("2026-12-14T15:59:59.999Z"));
    expect(view.body.deadlines.statutory[0]).toMatchObject({ breached: true });

    // Each checkpoint notified the people it calls in (kept locally as SNS would deliver them).
    const notices = await h.noticesAbout(ack.id, (ns) => ns.some((n) => n.kind === "statutory_breach"));
    expect(notices.map((n) => `${n.kind}/${n.audience}`)).toEqual(
      expect.arrayContaining([
        "sla_warning/team:private_banking",
        "escalation/supervisor:private_banking",
        "escalation/manager:private_banking",
        "statutory_breach/manager:private_banking",
      ]),
    );
    // Notices carry references, never the customer's personal data.
    expect(JSON.stringify(notices)).not.toMatch(/Li Lei|138 0013/);
  });

  it("answers TaskTimedOut for a token the SLA checkpoint replaced, and nothing changes", async () => {
    const { body: ack } = await h.submit(
      "mobile_app",
      complaintBody({ customer: { id: "C-T-1", segment: "private_banking" } }),
    );
    const first = await h.waitFor(
      () => storedTask(ack.id),
      (t) => t !== undefined,
    );
    // The warning checkpoint times the task out and registers a fresh token.
    const second = await h.waitFor(
      () => storedTask(ack.id),
      (t) => t !== undefined && t !== first,
      20_000,
    );
    expect(second).not.toBe(first);
    const sfn = new SFNClient({
      endpoint: process.env.AWS_ENDPOINT_URL_SFN,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const late = sfn.send(
      new SendTaskSuccessCommand({ taskToken: first as string, output: '{"next":"close"}' }),
    );
    await expect(late).rejects.toBeInstanceOf(TaskTimedOut);
    sfn.destroy();
    const still = await asChannel("mobile_app", "GET", `/complaints/${ack.id}`);
    expect(still.body.status).toBe("in_progress");
  });

  it("hands an unanswered request back to staff when the reply window runs out", async () => {
    const { body: ack } = await h.submit(
      "mobile_app",
      complaintBody({ customer: { id: "C-SLOW-1", segment: "mass_retail" } }),
    );
    const agent = await h.staffToken(["cards"], "agent");
    const asked = await h.waitFor(
      () =>
        h.staff("POST", `/staff/complaints/${ack.id}/actions`, agent, {
          type: "request_info",
          question: "Receipt?",
        }),
      (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
    );
    expect(asked.status).toBe(200);
    const back = await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${ack.id}`, agent),
      (r) => r.body.audit.some((e: { type: string }) => e.type === "CustomerReplyOverdue"),
      30_000,
    );
    expect(back.body.status).not.toBe("awaiting_customer");
    expect(back.body.pauses[0].end).toBeDefined();
  });

  it("closes a resolved complaint when no feedback comes within its window", async () => {
    const { body: ack } = await h.submit(
      "mobile_app",
      complaintBody({ customer: { id: "C-QUIET-1", segment: "mass_retail" } }),
    );
    const agent = await h.staffToken(["cards"], "agent");
    await h.waitFor(
      () =>
        h.staff("POST", `/staff/complaints/${ack.id}/actions`, agent, {
          type: "resolve",
          resolution: { outcome: "upheld", summary: "Refunded", rootCause: "process" },
        }),
      (r) => r.status === 200,
    );
    const closed = await h.waitFor(
      () => asChannel("mobile_app", "GET", `/complaints/${ack.id}`),
      (r) => r.body.status === "closed",
      30_000,
    );
    expect(closed.body.feedback).toBeUndefined();
    const trail = await h.staff("GET", `/staff/complaints/${ack.id}`, agent);
    expect(trail.body.audit.at(-1)).toMatchObject({ type: "Closed", data: { reason: "no_feedback" } });
  });
});
