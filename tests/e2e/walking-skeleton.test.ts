import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, newKey, startHarness } from "./harness";

// Twenty simulated hours a second, from Tue 1 Dec 2026 09:00 in Shanghai: a private-banking P1 complaint
// (2 business days) warns on Thu 10:45 (~2.5 s), breaches Thu 17:30 (~2.8 s), tier 1 runs out Fri 17:30 (~4 s).
const TIME_SCALE = 72_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: TIME_SCALE });
});
afterAll(async () => {
  await h?.stop();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/;

describe("a complaint end to end on the embedded target", () => {
  it("is taken in, queued, resolved by staff, accepted by the customer and closed", async () => {
    const submitted = await h.submit("mobile_app", complaintBody());
    expect(submitted.status).toBe(201);
    const ack = submitted.body;
    expect(ack).toMatchObject({ status: "received", team: "cards", priority: "P3" });
    expect(ack.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ack.reference).toMatch(/^CMP-\d{8}-\d{6}$/);
    for (const field of ["acknowledgedAt", "firstResponseBy", "resolveBy"])
      expect(ack.deadlines[field]).toMatch(ISO);
    expect(submitted.headers.get("location")).toBe(`/complaints/${ack.id}`);

    const agent = await h.staffToken(["cards"], "agent", "agent-li");
    const queue = await h.waitFor(
      () => h.staff("GET", "/queues/cards", agent),
      (r) =>
        r.body.items?.some(
          (i: { id: string; status: string }) => i.id === ack.id && i.status === "in_progress",
        ),
    );
    expect(queue.status).toBe(200);
    const row = queue.body.items.find((i: { id: string }) => i.id === ack.id);
    expect(row).toMatchObject({ priority: "P3", tier: 0, dueBy: ack.deadlines.resolveBy });
    expect(JSON.stringify(queue.body)).not.toContain("Li Lei");

    const resolved = await h.staff("POST", `/staff/complaints/${ack.id}/actions`, agent, {
      type: "resolve",
      resolution: {
        outcome: "upheld",
        summary: "Duplicate fee refunded",
        remedy: { amount: "120.00", currency: "CNY" },
        rootCause: "system_defect",
      },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe("awaiting_feedback");

    // The customer accepts through the channel; the workflow closes the complaint.
    const feedback = await h.waitFor(
      () =>
        h.request("POST", `/complaints/${ack.id}/feedback`, {
          headers: { "x-api-key": h.apiKey("mobile_app") },
          body: { satisfaction: 5, outcome: "accept" },
        }),
      (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
    );
    expect(feedback.status).toBe(200);
    const closed = await h.waitFor(
      () => h.request("GET", `/complaints/${ack.id}`, { headers: { "x-api-key": h.apiKey("mobile_app") } }),
      (r) => r.body.status === "closed",
    );
    expect(closed.body).toMatchObject({
      id: ack.id,
      status: "closed",
      resolution: { outcome: "upheld" },
      feedback: { satisfaction: 5, accepted: true },
    });
    expect(closed.body.closedAt).toMatch(ISO);
    expect(JSON.stringify(closed.body)).not.toMatch(/taskToken|token/i);

    // The closed complaint has left the queue, and acting on it again is a conflict that changes nothing.
    const after = await h.staff("GET", "/queues/cards", agent);
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(ack.id);
    const again = await h.staff("POST", `/staff/complaints/${ack.id}/actions`, agent, {
      type: "resolve",
      resolution: { outcome: "rejected", summary: "second try", rootCause: "customer_misunderstanding" },
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "ACTION_NOT_ALLOWED",
      // A closed complaint takes nothing more (but the completion of a remediation, had it committed to one).
      details: { status: "closed", allowedActions: [] },
    });

    const trail = await h.staff("GET", `/staff/complaints/${ack.id}`, agent);
    // Each customer notice (acknowledgement, final response, survey) is recorded where it was sent.
    expect(trail.body.audit.map((e: { type: string }) => e.type)).toEqual([
      "ComplaintReceived",
      "NoticeSent",
      "HandlingStarted",
      "Resolved",
      "NoticeSent",
      "NoticeSent",
      "FeedbackReceived",
      "Closed",
    ]);
    expect(trail.body.resolution.outcome).toBe("upheld");
  });

  it("answers a replay of the same key and body with 200 and the same body, creating nothing", async () => {
    const key = newKey();
    const body = complaintBody({ customer: { id: "C-2002", segment: "mass_retail" } });
    const first = await h.submit("online_banking", body, key);
    const replay = await h.submit("online_banking", body, key);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const different = await h.submit("online_banking", { ...body, description: "something else" }, key);
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const executions = h.stack.engine.listExecutions({ stateMachineArn: h.stack.engine.stateMachineArn });
    const names = (await executions).executions.map((e: { name: string }) => e.name);
    expect(names.filter((n: string) => n === first.body.id)).toHaveLength(1);
  });

  it("rejects bad requests with a clear error and stores nothing", async () => {
    const key = h.apiKey("branch");
    const malformed = await h.request("POST", "/complaints", {
      headers: { "x-api-key": key, "idempotency-key": newKey(), "content-type": "application/json" },
      raw: '{"customer": {',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("MALFORMED_JSON");

    const invalid = await h.submit("branch", {
      ...complaintBody(),
      customer: { id: "C-1", segment: "vip" },
      businessType: 42,
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("VALIDATION_FAILED");
    const paths = invalid.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["customer.segment", "businessType"]));

    const noIdempotencyKey = await h.request("POST", "/complaints", {
      headers: { "x-api-key": key },
      body: complaintBody(),
    });
    expect(noIdempotencyKey.status).toBe(400);
    expect(noIdempotencyKey.body.error.code).toBe("MISSING_IDEMPOTENCY_KEY");

    const noApiKey = await h.request("POST", "/complaints", {
      headers: { "idempotency-key": newKey() },
      body: complaintBody(),
    });
    expect(noApiKey.status).toBe(403);
    expect(noApiKey.body.error.code).toBe("INVALID_API_KEY");

    const wrongType = await h.request("POST", "/complaints", {
      headers: { "x-api-key": key, "idempotency-key": newKey(), "content-type": "text/plain" },
      raw: JSON.stringify(complaintBody()),
    });
    expect(wrongType.status).toBe(415);

    const noToken = await h.request("GET", "/queues/cards");
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.code).toBe("UNAUTHORIZED");

    // Nothing above reached the store: the branch channel's queue of 'cards' holds no branch complaint.
    const manager = await h.staffToken([], "manager");
    const queue = await h.staff("GET", "/queues/cards?limit=100", manager);
    for (const item of queue.body.items) {
      const view = await h.request("GET", `/complaints/${item.id}`, { headers: { "x-api-key": key } });
      expect(view.status).toBe(404);
    }
  });

  it("forbids staff of another team and hides a complaint from other channels", async () => {
    const { body: ack } = await h.submit("wechat", complaintBody());
    const loansAgent = await h.staffToken(["loans"], "agent");
    const denied = await h.staff("POST", `/staff/complaints/${ack.id}/actions`, loansAgent, {
      type: "resolve",
      resolution: { outcome: "rejected", summary: "not mine", rootCause: "customer_misunderstanding" },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("FORBIDDEN_TEAM");
    const queueDenied = await h.staff("GET", "/queues/cards", loansAgent);
    expect(queueDenied.status).toBe(403);

    const otherChannel = await h.request("GET", `/complaints/${ack.id}`, {
      headers: { "x-api-key": h.apiKey("branch") },
    });
    expect(otherChannel.status).toBe(404);
    const own = await h.request("GET", `/complaints/${ack.id}`, {
      headers: { "x-api-key": h.apiKey("wechat") },
    });
    expect(own.status).toBe(200);
    expect(own.body.status).not.toBe("resolved");
  });

  it("escalates an untouched complaint when its SLA clock runs out", async () => {
    // Private banking P1: resolve within 2 business days, warning at 75%, then supervisor (tier 1) for 1 day.
    const { body: ack } = await h.submit(
      "phone_centre",
      complaintBody({ customer: { id: "C-PB-7", segment: "private_banking" } }),
    );
    expect(ack).toMatchObject({ team: "private_banking", priority: "P1" });
    const supervisor = await h.staffToken(["private_banking"], "supervisor");
    const view = await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${ack.id}`, supervisor),
      (r) => r.body.tier >= 2,
      20_000,
    );
    const types = view.body.audit
      .map((e: { type: string }) => e.type)
      .filter((t: string) => t !== "NoticeSent");
    expect(types.slice(0, 5)).toEqual([
      "ComplaintReceived",
      "HandlingStarted",
      "SlaWarning",
      "SlaBreached",
      "Escalated",
    ]);
    const escalations = view.body.audit.filter((e: { type: string }) => e.type === "Escalated");
    expect(escalations[0].data).toMatchObject({ fromTier: 0, toTier: 1, reason: "breach" });
    expect(escalations[1].data).toMatchObject({ fromTier: 1, toTier: 2, reason: "tier_timeout" });
    expect(view.body.slaPhase).toBe("breached");
    // The warning fired no earlier than the warning instant (simulated time).
    const warning = view.body.audit.find((e: { type: string }) => e.type === "SlaWarning");
    expect(Date.parse(warning.at)).toBeGreaterThanOrEqual(Date.parse(ack.deadlines.warningAt));

    // Still resolvable after two escalations: the fresh token is found and the workflow asks for feedback.
    const resolved = await h.staff("POST", `/staff/complaints/${ack.id}/actions`, supervisor, {
      type: "resolve",
      resolution: { outcome: "partially_upheld", summary: "Late, but fixed", rootCause: "process" },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe("awaiting_feedback");
  });
});
