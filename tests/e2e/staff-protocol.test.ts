import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, startHarness } from "./harness";

// One simulated minute per second: SLA checkpoints stay days away while these tests run.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: 60 });
});
afterAll(async () => {
  await h?.stop();
});

const channelKey = () => h.apiKey("mobile_app");
const asChannel = (method: string, path: string, body?: unknown) =>
  h.request(method, path, {
    headers: { "x-api-key": channelKey() },
    ...(body !== undefined ? { body } : {}),
  });

/** Submits a complaint and waits until the workflow has taken it up (repeat detection included). */
const openComplaint = async (overrides: Record<string, unknown> = {}) => {
  const { status, body } = await h.submit("mobile_app", complaintBody(overrides));
  expect(status).toBe(201);
  const supervisor = await h.staffToken(["cards", "loans", "payments", "wealth"], "supervisor");
  await h.waitFor(
    () => h.staff("GET", `/staff/complaints/${body.id}`, supervisor),
    (r) => r.body.status !== "received",
  );
  return body as {
    id: string;
    reference: string;
    team: string;
    priority: string;
    deadlines: Record<string, unknown>;
  };
};

/** Sends a staff action, retrying only the brief TASK_BUSY window between workflow stages. */
const act = async (token: string, id: string, action: Record<string, unknown>) =>
  h.waitFor(
    () => h.staff("POST", `/staff/complaints/${id}/actions`, token, action),
    (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
  );

const types = async (token: string, id: string) =>
  (await h.staff("GET", `/staff/complaints/${id}`, token)).body.audit.map((e: { type: string }) => e.type);

describe("staff task protocol and the customer's side", () => {
  it("claims and notes without moving the workflow; notes never reach the customer", async () => {
    const c = await openComplaint();
    const agent = await h.staffToken(["cards"], "agent", "agent-wang");
    const claimed = await act(agent, c.id, { type: "claim" });
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toBe("agent-wang");
    const noted = await act(agent, c.id, { type: "note", note: "Customer called twice; see CRM case 88" });
    expect(noted.status).toBe(200);
    const view = await asChannel("GET", `/complaints/${c.id}`);
    expect(JSON.stringify(view.body)).not.toContain("CRM case 88");
    const trail = await h.staff("GET", `/staff/complaints/${c.id}`, agent);
    const note = trail.body.audit.find((e: { type: string }) => e.type === "NoteAdded");
    expect(note).toMatchObject({
      actor: { kind: "staff", subject: "agent-wang" },
      statusBefore: "in_progress",
    });
  });

  it("asks the customer, pauses the clocks, and resumes on the reply", async () => {
    const c = await openComplaint();
    const agent = await h.staffToken(["cards"], "agent");
    const before = (await h.staff("GET", `/staff/complaints/${c.id}`, agent)).body.deadlines.resolveBy;
    const asked = await act(agent, c.id, { type: "request_info", question: "Which card was charged twice?" });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe("awaiting_customer");
    const seen = await asChannel("GET", `/complaints/${c.id}`);
    expect(seen.body.pendingQuestion.question).toBe("Which card was charged twice?");

    // A question is not asked twice while one is open: the action is refused with what is allowed.
    const again = await act(agent, c.id, { type: "request_info", question: "again?" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("ACTION_NOT_ALLOWED");
    expect(again.body.error.details.status).toBe("awaiting_customer");
    expect(again.body.error.details.allowedActions).toEqual(["claim", "note", "start_appraisal", "extend"]);

    // Let some simulated business time pass while paused (60 s/s), then reply.
    await new Promise((r) => setTimeout(r, 1500));
    const replied = await h.waitFor(
      () => asChannel("POST", `/complaints/${c.id}/customer-reply`, { message: "The gold card ending 4417" }),
      (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
    );
    expect(replied.status).toBe(200);
    expect(replied.body.status).toBe("in_progress");
    const staffView = await h.staff("GET", `/staff/complaints/${c.id}`, agent);
    expect(staffView.body.pauses).toHaveLength(1);
    expect(staffView.body.pauses[0].end).toBeDefined();
    // The paused time pushed the resolution deadline out.
    expect(Date.parse(staffView.body.deadlines.resolveBy)).toBeGreaterThan(Date.parse(before));
    expect(await types(agent, c.id)).toEqual(
      expect.arrayContaining(["InformationRequested", "CustomerReplied"]),
    );
    // A reply when nothing was asked is a conflict, and changes nothing.
    const stray = await asChannel("POST", `/complaints/${c.id}/customer-reply`, { message: "hello?" });
    expect(stray.status).toBe(409);
  });

  it("reassigns across teams: the new team's queue has it, the old team loses access", async () => {
    const c = await openComplaint();
    const cardsAgent = await h.staffToken(["cards"], "agent");
    const loansAgent = await h.staffToken(["loans"], "agent");
    const moved = await act(cardsAgent, c.id, {
      type: "reassign",
      team: "loans",
      reason: "It is the card loan",
    });
    expect(moved.status).toBe(200);
    expect(moved.body.team).toBe("loans");
    const loansQueue = await h.waitFor(
      () => h.staff("GET", "/queues/loans", loansAgent),
      (r) => r.body.items?.some((i: { id: string }) => i.id === c.id),
    );
    expect(loansQueue.status).toBe(200);
    const cardsQueue = await h.staff("GET", "/queues/cards?limit=100", cardsAgent);
    expect(cardsQueue.body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    const denied = await act(cardsAgent, c.id, { type: "claim" });
    expect(denied.status).toBe(403);
    const unknownTeam = await act(loansAgent, c.id, { type: "reassign", team: "nowhere", reason: "x" });
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body.error.code).toBe("UNKNOWN_TEAM");
    // The new team works it through the fresh token.
    const resolved = await act(loansAgent, c.id, {
      type: "resolve",
      resolution: {
        outcome: "rejected",
        summary: "Fee was contractual",
        rootCause: "customer_misunderstanding",
      },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe("awaiting_feedback");
  });

  it("reopens on the customer's request: back to staff one tier up, a new cycle; tier 2 needs a supervisor", async () => {
    const c = await openComplaint();
    const agent = await h.staffToken(["cards"], "agent");
    const supervisor = await h.staffToken(["cards"], "supervisor", "sup-zhao");
    await act(agent, c.id, {
      type: "resolve",
      resolution: { outcome: "rejected", summary: "No error found", rootCause: "customer_misunderstanding" },
    });
    const reopened = await h.waitFor(
      () =>
        asChannel("POST", `/complaints/${c.id}/feedback`, {
          satisfaction: 1,
          outcome: "reopen",
          comment: "Not fixed",
        }),
      (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
    );
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: "in_progress", tier: 1, cycle: 2 });
    expect(await types(agent, c.id)).toEqual(expect.arrayContaining(["FeedbackReceived", "Reopened"]));

    // A manual escalation to tier 2 (manager level): from then on agents may not act.
    const escalated = await act(agent, c.id, { type: "escalate", reason: "Customer wrote to the regulator" });
    expect(escalated.status).toBe(200);
    expect(escalated.body.tier).toBe(2);
    const agentTry = await act(agent, c.id, { type: "claim" });
    expect(agentTry.status).toBe(403);
    expect(agentTry.body.error.code).toBe("FORBIDDEN_ROLE");
    const supervisorClaim = await act(supervisor, c.id, { type: "claim" });
    expect(supervisorClaim.status).toBe(200);
  });

  it("extends the CN period: 30 days freely, 60 only with a manager's approval, never past 60", async () => {
    const c = await openComplaint();
    const agent = await h.staffToken(["cards"], "agent");
    const supervisor = await h.staffToken(["cards"], "supervisor", "sup-li");
    const manager = await h.staffToken(["cards"], "manager", "mgr-zhao");
    // CBIRC Measures art. 20: the further 30 days need head-office senior management, not the team.
    for (const token of [agent, supervisor]) {
      const refused = await act(token, c.id, {
        type: "extend",
        level: "cn_60",
        reason: "Needs card scheme records",
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("FORBIDDEN_ROLE");
    }
    const tooLong = await act(manager, c.id, {
      type: "extend",
      level: "cn_60",
      totalDays: 90,
      reason: "x",
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.code).toBe("EXTENSION_LIMIT_EXCEEDED");
    const approved = await act(manager, c.id, {
      type: "extend",
      level: "cn_60",
      reason: "Needs scheme records",
    });
    expect(approved.status).toBe(200);
    expect(approved.body.extension.approvedBy).toMatchObject({ role: "manager", subject: "mgr-zhao" });
    const statutory = approved.body.deadlines.statutory.find(
      (s: { rule: string }) => s.rule === "cn_decision",
    );
    // 60 days counted from Wed 2 Dec 2026 end on Sat 30 Jan 2027, moved to the next working day, Mon 1 Feb.
    // CN 2027 ships provisional (the State Council's notice is not out), so the deadline says so.
    expect(statutory.dueBy).toBe("2027-02-01T23:59:59.999+08:00");
    expect(approved.body.deadlines.provisional).toBe(true);
  });

  it("answers the FCA's eight weeks with a holding response (GB): why, when, and the Ombudsman", async () => {
    // A credit-card interest complaint: consumer credit, not a payment service (no PSD2 15 business days).
    const c = await openComplaint({ jurisdiction: "GB", flags: { paymentServices: false } });
    // The three-day summary resolution is shown as a window (never breached); eight weeks is the deadline.
    expect(c.deadlines.statutory).toEqual([
      expect.objectContaining({ rule: "gb_summary_resolution", window: true }),
      expect.objectContaining({ rule: "gb_final_response", dueBy: "2027-01-26T23:59:59.999+00:00" }),
    ]);
    const agent = await h.staffToken(["cards"], "agent");
    const letter = {
      type: "extend",
      level: "holding_reply",
      reason: "The card scheme has not sent its records.",
    };
    const undated = await act(agent, c.id, letter);
    expect(undated.status).toBe(400);
    expect(undated.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "expectedBy", message: expect.stringContaining("required") }],
    });
    const held = await act(agent, c.id, { ...letter, expectedBy: "2027-01-29" });
    expect(held.status).toBe(200);
    expect(held.body.extension).toMatchObject({ level: "holding_reply", expectedBy: "2027-01-29" });
    expect(held.body.deadlines.statutory.map((s: { rule: string }) => s.rule)).toEqual([
      "gb_summary_resolution",
    ]);
    // The customer's letter, through the channel's API: in English (GB default), DISP 1.6.2's three points.
    const notices = await asChannel("GET", `/complaints/${c.id}/notices`);
    const holding = notices.body.notices.find((n: { kind: string }) => n.kind === "holding_reply");
    expect(holding.locale).toBe("en-GB");
    expect(holding.satisfies).toMatchObject({ rule: "gb_final_response", met: true });
    expect(holding.content.body).toContain("The card scheme has not sent its records.");
    expect(holding.content.body).toContain("final response by 2027-01-29");
    expect(holding.content.body).toContain("Financial Ombudsman Service, free of charge, from 2027-01-27");
    // A CN complaint's extension takes no such date.
    const cn = await openComplaint();
    const dated = await act(agent, cn.id, {
      type: "extend",
      level: "cn_30",
      reason: "x",
      expectedBy: "2027-01-29",
    });
    expect(dated.status).toBe(400);
    expect(dated.body.error.details).toEqual([
      { path: "expectedBy", message: "applies only to a GB eight-week holding response" },
    ]);
  });

  it("finds a complaint by the reference the customer quotes, under the same access rules as its id", async () => {
    const c = await openComplaint();
    expect(c.reference).toMatch(/^CMP-\d{8}-\d{6}$/);
    const agent = await h.staffToken(["cards"], "agent");
    const byReference = await h.staff("GET", `/staff/complaints/${c.reference}`, agent);
    expect(byReference.status).toBe(200);
    expect(byReference.body).toMatchObject({ id: c.id, reference: c.reference });
    expect(byReference.body.audit[0].type).toBe("ComplaintReceived");
    // Another team's agent is refused as by id; the submitting channel reads it, another channel cannot.
    const loans = await h.staffToken(["loans"], "agent");
    expect((await h.staff("GET", `/staff/complaints/${c.reference}`, loans)).body.error.code).toBe(
      "FORBIDDEN_TEAM",
    );
    expect((await asChannel("GET", `/complaints/${c.reference}`)).body.id).toBe(c.id);
    const other = await h.request("GET", `/complaints/${c.reference}`, {
      headers: { "x-api-key": h.apiKey("wechat") },
    });
    expect([other.status, other.body.error.code]).toEqual([404, "COMPLAINT_NOT_FOUND"]);
    // A reference nobody was given, and something that is neither an id nor a reference.
    const unknown = await h.staff("GET", "/staff/complaints/CMP-19991231-000001", agent);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "COMPLAINT_NOT_FOUND"]);
    const garbled = await h.staff("GET", "/staff/complaints/CMP-2026", agent);
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.details).toEqual([
      { path: "path.id", message: "must be a complaint id (ULID) or a reference (CMP-YYYYMMDD-NNNNNN)" },
    ]);
  });

  it("lets exactly one of two simultaneous resolves win", async () => {
    const c = await openComplaint();
    const a = await h.staffToken(["cards"], "agent", "agent-a");
    const b = await h.staffToken(["cards"], "agent", "agent-b");
    const [ra, rb] = await Promise.all([
      act(a, c.id, {
        type: "resolve",
        resolution: { outcome: "upheld", summary: "A", rootCause: "process" },
      }),
      act(b, c.id, {
        type: "resolve",
        resolution: { outcome: "rejected", summary: "B", rootCause: "customer_misunderstanding" },
      }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    const trail = await h.staff("GET", `/staff/complaints/${c.id}`, a);
    expect(trail.body.audit.filter((e: { type: string }) => e.type === "Resolved")).toHaveLength(1);
  });

  it("links a repeat complaint to the open one when its workflow takes it up, and raises its priority", async () => {
    const customer = { id: "C-REPEAT-1", segment: "mass_retail" };
    const first = await openComplaint({ customer });
    const second = await openComplaint({ customer, description: "Still charged twice, second complaint" });
    // The acknowledgement comes from intake's one write, before repeat detection runs.
    expect([first.priority, second.priority]).toEqual(["P3", "P3"]);
    const agent = await h.staffToken(["cards"], "agent");
    const secondView = await h.staff("GET", `/staff/complaints/${second.id}`, agent);
    expect(secondView.body).toMatchObject({
      repeatOf: first.id,
      flags: { repeat: true },
      priority: "P2",
    });
    // The raised priority's internal targets are recomputed and audited; the statutory clock is unchanged.
    const detected = secondView.body.audit.find((e: { type: string }) => e.type === "RepeatDetected");
    expect(detected.data).toMatchObject({ repeatOf: first.id, priorityBefore: "P3", priorityAfter: "P2" });
    expect(Date.parse(detected.data.resolveBy)).toBeLessThan(Date.parse(String(second.deadlines.resolveBy)));
    expect(secondView.body.deadlines.statutory).toEqual(second.deadlines.statutory);
    const firstView = await h.staff("GET", `/staff/complaints/${first.id}`, agent);
    expect(firstView.body.repeatedBy).toEqual([second.id]);
  });

  it("filters and pages the queue by nearest deadline", async () => {
    const agent = await h.staffToken(["cards"], "agent");
    const page1 = await h.staff("GET", "/queues/cards?limit=1&stage=in_progress", agent);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await h.staff(
      "GET",
      `/queues/cards?limit=1&stage=in_progress&cursor=${page1.body.nextCursor}`,
      agent,
    );
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect(Date.parse(page2.body.items[0].dueBy)).toBeGreaterThanOrEqual(
      Date.parse(page1.body.items[0].dueBy),
    );
    const bad = await h.staff("GET", "/queues/cards?sla=late", agent);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe("query.sla");
    const forged = await h.staff("GET", "/queues/cards?cursor=bm9wZQ", agent);
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe("INVALID_CURSOR");
  });

  it("detects an edited audit event through the hash chain", async () => {
    const c = await openComplaint({ customer: { id: "C-AUDIT-1", segment: "mass_retail" } });
    const agent = await h.staffToken(["cards"], "agent");
    await act(agent, c.id, { type: "note", note: "Original note" });
    const ok = await h.staff("GET", `/staff/complaints/${c.id}/audit/verify`, agent);
    // Received, its acknowledgement notice, handling started, the note.
    expect(ok.body).toMatchObject({ valid: true, events: 4 });

    // Someone with table access rewrites history directly in the store.
    const db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: h.stack.dynamoEndpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    );
    await db.send(
      new UpdateCommand({
        TableName: h.stack.tableName,
        Key: { pk: `COMPLAINT#${c.id}`, sk: "EVENT#00000004" },
        UpdateExpression: "SET #d.#n = :n",
        ExpressionAttributeNames: { "#d": "data", "#n": "note" },
        ExpressionAttributeValues: { ":n": "Edited note" },
      }),
    );
    db.destroy();
    const broken = await h.staff("GET", `/staff/complaints/${c.id}/audit/verify`, agent);
    expect(broken.body).toMatchObject({ valid: false, brokenAt: { seq: 4, reason: "content_hash" } });
  });
});
