import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_REDRIVES } from "../../functions/app/reconcile";
import { complaintBody, type Harness, newKey, startHarness } from "./harness";

// Faults are injected by a proxy between the (unchanged) handlers and DynamoDB Local; the checks below
// read DynamoDB Local directly, past the proxy. One simulated minute per second: SLA checkpoints stay
// days away, and the state machine's Retry intervals (2 s, x2) pass in a fraction of a second.
let h: Harness;
let db: DynamoDBDocumentClient;
beforeAll(async () => {
  h = await startHarness({ timeScale: 60, faults: true });
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: h.stack.dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
});
afterAll(async () => {
  db?.destroy();
  await h?.stop();
});
afterEach(() => {
  h.stack.faults?.clear();
  h.stack.outages?.bus(false);
  h.stack.outages?.alerts(false);
});

const faults = () => {
  const proxy = h.stack.faults;
  if (!proxy) throw new Error("the stack was started without the fault proxy");
  return proxy;
};

let customers = 0;
const uniqueCustomer = () => `C-REL-${process.pid}-${Date.now()}-${++customers}`;
const bodyFor = (customerId: string) =>
  complaintBody({ customer: { id: customerId, segment: "mass_retail" } });

const complaintsOfCustomer = async (customerId: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: h.stack.tableName,
        IndexName: "GSI2",
        KeyConditionExpression: "gsi2pk = :pk",
        ExpressionAttributeValues: { ":pk": `CUSTOMER#${customerId}` },
      }),
    )
  ).Items ?? [];

const idempotencyRecord = async (channel: string, key: string) =>
  (
    await db.send(
      new GetCommand({
        TableName: h.stack.tableName,
        Key: { pk: `IDEMPOTENCY#${channel}#${key}`, sk: "IDEMPOTENCY" },
      }),
    )
  ).Item;

const item = async (id: string) =>
  (
    await db.send(
      new GetCommand({ TableName: h.stack.tableName, Key: { pk: `COMPLAINT#${id}`, sk: "META" } }),
    )
  ).Item as { complaint: { status: string; reference: string }; taskStage?: string } | undefined;

const waitForStage = (id: string, stage: string, timeoutMs = 20_000) =>
  h.waitFor(
    () => item(id),
    (i) => i?.taskStage === stage,
    timeoutMs,
  );

const waitForStatus = (id: string, status: string, timeoutMs = 30_000) =>
  h.waitFor(
    () => item(id),
    (i) => i?.complaint.status === status,
    timeoutMs,
  );

const executionsOf = async (id: string) =>
  (
    await h.stack.engine.listExecutions({ stateMachineArn: h.stack.engine.stateMachineArn, maxResults: 1000 })
  ).executions.filter((e) => e.name === id || e.name.startsWith(`${id}-r`));

const retriesOf = async (id: string) => {
  const stats = await h.stack.engine.stats();
  return Object.values(stats.executions)
    .filter((e) => e.name === id)
    .reduce((n, e) => n + e.retries, 0);
};

const audit = async (id: string) => {
  const supervisor = await h.staffToken(["cards"], "supervisor");
  const res = await h.staff("GET", `/staff/complaints/${id}`, supervisor);
  return (res.body.audit as { type: string }[]).map((e) => e.type);
};
const count = (types: string[], type: string) => types.filter((t) => t === type).length;

const resolution = { outcome: "upheld", summary: "Refunded the duplicate fee", rootCause: "process" };

/** Sends a staff action, retrying only the brief TASK_BUSY window between workflow stages. */
const act = async (token: string, id: string, action: Record<string, unknown>) =>
  h.waitFor(
    () => h.staff("POST", `/staff/complaints/${id}/actions`, token, action),
    (r) => !(r.status === 409 && r.body.error?.code === "TASK_BUSY"),
  );

/** A complaint whose workflow waits for staff (its task is registered). */
const waitingForStaff = async () => {
  const res = await h.submit("mobile_app", bodyFor(uniqueCustomer()));
  expect(res.status).toBe(201);
  await waitForStage(res.body.id, "staff");
  return res.body as { id: string; reference: string };
};

describe("exactly one complaint per submission", () => {
  it("20 concurrent identical submissions with one Idempotency-Key make one complaint and one execution", async () => {
    const customerId = uniqueCustomer();
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => h.submit("mobile_app", bodyFor(customerId), key)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect(await complaintsOfCustomer(customerId)).toHaveLength(1);
    await waitForStage(id, "staff");
    expect((await executionsOf(id)).map((e) => e.name)).toEqual([id]);
    expect(count(await audit(id), "HandlingStarted")).toBe(1);
  });
});

describe("the store throttled or unavailable during intake", () => {
  for (const error of ["ThrottlingException", "ProvisionedThroughputExceededException"] as const) {
    it(`answers 503 with Retry-After on ${error}, writes nothing, and the retry with the same key succeeds`, async () => {
      const customerId = uniqueCustomer();
      const key = newKey();
      faults().set({ kind: "throttle", operations: ["TransactWriteItems"], error });
      const refused = await h.submit("mobile_app", bodyFor(customerId), key);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("2");
      expect(refused.body.error.code).toBe("SERVICE_UNAVAILABLE");
      // The SDK retried inside the handler before giving up.
      expect(faults().injected().TransactWriteItems).toBeGreaterThanOrEqual(3);
      expect(await complaintsOfCustomer(customerId)).toHaveLength(0);
      expect(await idempotencyRecord("mobile_app", key)).toBeUndefined();

      faults().clear();
      const retried = await h.submit("mobile_app", bodyFor(customerId), key);
      expect(retried.status).toBe(201);
      expect(await complaintsOfCustomer(customerId)).toHaveLength(1);
      await waitForStage(retried.body.id, "staff");
      expect(await executionsOf(retried.body.id)).toHaveLength(1);
    });
  }

  it("answers 503 while the store refuses connections, and the retry succeeds once it is back", async () => {
    const customerId = uniqueCustomer();
    const key = newKey();
    faults().set({ kind: "refuse" });
    const refused = await h.submit("mobile_app", bodyFor(customerId), key);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("2");
    faults().clear();
    expect(await complaintsOfCustomer(customerId)).toHaveLength(0);
    expect(await idempotencyRecord("mobile_app", key)).toBeUndefined();
    const retried = await h.submit("mobile_app", bodyFor(customerId), key);
    expect(retried.status).toBe(201);
  });
});

describe("the store throttled during a staff action", () => {
  it("refuses with 503 and changes nothing; the retry applies the decision exactly once", async () => {
    const c = await waitingForStaff();
    const agent = await h.staffToken(["cards"], "agent");
    faults().set({ kind: "throttle", operations: ["TransactWriteItems"] });
    const refused = await h.staff("POST", `/staff/complaints/${c.id}/actions`, agent, {
      type: "resolve",
      resolution,
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("2");
    faults().clear();
    expect((await item(c.id))?.complaint.status).toBe("in_progress");
    expect(count(await audit(c.id), "Resolved")).toBe(0);

    const applied = await act(agent, c.id, { type: "resolve", resolution });
    expect(applied.status).toBe(200);
    await waitForStage(c.id, "feedback");
    expect(count(await audit(c.id), "Resolved")).toBe(1);
  });

  it("a decision whose write landed but whose answer was lost is neither lost nor doubled", async () => {
    const c = await waitingForStaff();
    const agent = await h.staffToken(["cards"], "agent");
    // The store applies the transaction; the handler only sees its connection drop, and its SDK retries.
    faults().set({ kind: "hangup_after", operations: ["TransactWriteItems"], count: 1 });
    const res = await act(agent, c.id, { type: "resolve", resolution });
    expect(faults().injected().TransactWriteItems).toBe(1);
    expect([200, 409]).toContain(res.status);
    await waitForStage(c.id, "feedback");
    expect((await item(c.id))?.complaint.status).toBe("awaiting_feedback");
    expect(count(await audit(c.id), "Resolved")).toBe(1);
  });
});

describe("the store failing during a workflow step", () => {
  it("a short outage is absorbed by the state machine's Retry on TransientStoreError", async () => {
    const c = await waitingForStaff();
    const agent = await h.staffToken(["cards"], "agent");
    // "Ask for feedback" stores its token with UpdateItem: 4 throttles outlast the SDK's 3 attempts once.
    // (Only the task registration's: the stream's notice ledger writes UpdateItems of its own meanwhile.)
    faults().set({ kind: "throttle", operations: ["UpdateItem"], bodyIncludes: "taskToken", count: 4 });
    expect((await act(agent, c.id, { type: "resolve", resolution })).status).toBe(200);
    await waitForStage(c.id, "feedback");
    expect(faults().injected().UpdateItem).toBe(4);
    expect(await retriesOf(c.id)).toBeGreaterThanOrEqual(1);
    expect((await item(c.id))?.complaint.status).toBe("awaiting_feedback");
    expect(count(await audit(c.id), "NeedsAttention")).toBe(0);
  });

  it("a long outage ends in needs_attention with a notice, and an operator's resume brings it back", async () => {
    const c = await waitingForStaff();
    const agent = await h.staffToken(["cards"], "agent");
    faults().set({ kind: "throttle", operations: ["UpdateItem"], bodyIncludes: "taskToken" });
    expect((await act(agent, c.id, { type: "resolve", resolution })).status).toBe(200);
    await waitForStatus(c.id, "needs_attention", 45_000);
    faults().clear();
    expect(await retriesOf(c.id)).toBe(3);
    const notices = await h.noticesAbout(c.id, (ns) => ns.some((n) => n.kind === "needs_attention"));
    expect(notices.filter((n) => n.kind === "needs_attention")).toHaveLength(1);
    // The execution fails once the flagging step has returned (its notice goes out before that).
    await h.waitFor(
      () => executionsOf(c.id),
      (executions) => executions[0]?.status === "FAILED",
    );

    // Agents cannot resume; a supervisor can, and a fresh execution <id>-r1 takes the complaint on.
    const refused = await h.staff("POST", `/staff/complaints/${c.id}/actions`, agent, {
      type: "resume",
      reason: "Store outage over",
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN_ROLE");
    const supervisor = await h.staffToken(["cards"], "supervisor", "sup-li");
    const resumed = await h.staff("POST", `/staff/complaints/${c.id}/actions`, supervisor, {
      type: "resume",
      reason: "Store outage over",
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe("in_progress");
    await waitForStage(c.id, "staff");
    expect((await executionsOf(c.id)).map((e) => e.name).sort()).toEqual([c.id, `${c.id}-r1`]);
    // A second resume of a complaint that is not flagged is refused with what is allowed.
    const again = await h.staff("POST", `/staff/complaints/${c.id}/actions`, supervisor, {
      type: "resume",
      reason: "twice",
    });
    expect(again.status).toBe(409);

    expect((await act(agent, c.id, { type: "resolve", resolution })).status).toBe(200);
    await waitForStage(c.id, "feedback");
    const accepted = await h.request("POST", `/complaints/${c.id}/feedback`, {
      headers: { "x-api-key": h.apiKey("mobile_app") },
      body: { satisfaction: 5, outcome: "accept" },
    });
    expect(accepted.status).toBe(200);
    await waitForStatus(c.id, "closed");
    const types = await audit(c.id);
    expect(count(types, "NeedsAttention")).toBe(1);
    expect(count(types, "Resumed")).toBe(1);
    expect(count(types, "Resolved")).toBe(2);
  });

  it("an outage that outlasts even the flagging step: the reconciler redrives the execution once the store answers", async () => {
    // Every write that touches a task (registering the staff stage, and clearing it when the complaint is
    // flagged) is throttled: "Wait for staff" gives up, and so does "Mark needs attention" after it.
    faults().set({
      kind: "throttle",
      operations: ["UpdateItem", "TransactWriteItems"],
      bodyIncludes: "taskStage",
    });
    const res = await h.submit("mobile_app", bodyFor(uniqueCustomer()));
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const [failed] = await h.waitFor(
      () => executionsOf(id),
      (executions) => executions[0]?.status === "FAILED",
      45_000,
    );
    // Failed, but the complaint was never flagged: nothing in the workflow would pick it up again.
    expect((await item(id))?.complaint.status).toBe("in_progress");
    // The reconciler (every 2 s here) may already have redriven it while the store still refused (each such
    // run fails the same way; under load the test sees FAILED only after some): bounded, never exhausted.
    const redrivenDuringOutage = failed?.redriveCount ?? 0;
    expect(redrivenDuringOutage).toBeLessThan(MAX_REDRIVES);
    faults().clear();
    // Once the store answers, a redrive restarts at the step that failed: the complaint is flagged.
    await waitForStatus(id, "needs_attention", 30_000);
    const [redriven] = await h.waitFor(
      () => executionsOf(id),
      (executions) =>
        executions[0]?.status === "FAILED" && (executions[0]?.redriveCount ?? 0) > redrivenDuringOutage,
    );
    expect(redriven?.name).toBe(id);
    const described = await h.stack.engine.describeExecution({ executionArn: redriven!.executionArn });
    expect(described.error).toBe("ComplaintNeedsAttention");
    expect(count(await audit(id), "NeedsAttention")).toBe(1);
    // Flagged now: later runs leave it to an operator (no further redrive).
    await h.stack.reconcile();
    expect((await executionsOf(id))[0]?.redriveCount).toBe(redriven?.redriveCount);
  });

  it("a step that dies after its write landed is retried, and the retry changes nothing twice", async () => {
    const customerId = uniqueCustomer();
    // Intake's transaction passes; "Start handling"'s lands in the store, but its Lambda never hears back
    // (three hang-ups outlast the SDK's retries): the invocation fails as a crash would, mid-step.
    // (Matched on the event it writes: the stream consumers' own transactions, the report cells', pass.)
    faults().set({
      kind: "hangup_after",
      operations: ["TransactWriteItems"],
      bodyIncludes: '"HandlingStarted"',
      count: 3,
    });
    const res = await h.submit("mobile_app", bodyFor(customerId));
    expect(res.status).toBe(201);
    await waitForStage(res.body.id, "staff");
    expect(faults().injected().TransactWriteItems).toBe(3);
    expect(await retriesOf(res.body.id)).toBeGreaterThanOrEqual(1);
    const types = await audit(res.body.id);
    expect(count(types, "HandlingStarted")).toBe(1);
    expect(count(types, "NeedsAttention")).toBe(0);
  });
});

describe("the bus and the alerts topic down while changes are made", () => {
  it("answers the changes; the stream consumers retry and deliver everything once they are back, each letter once", async () => {
    const c = await waitingForStaff();
    const agent = await h.staffToken(["cards"], "agent");
    const outages = h.stack.outages;
    if (!outages) throw new Error("the stack was started without fault injection");
    const onBus = () =>
      h.stack.busEvents().filter((e) => (e.detail as { complaintId?: string }).complaintId === c.id);
    await h.stack.stream.drained();
    const before = onBus().length;

    outages.bus(true);
    outages.alerts(true);
    expect((await act(agent, c.id, { type: "escalate", reason: "Customer insists" })).status).toBe(200);
    expect((await act(agent, c.id, { type: "resolve", resolution })).status).toBe(200);
    await waitForStage(c.id, "feedback");
    // Nothing got through yet: the changes are stored, their deliveries wait in the stream, retried.
    await new Promise((r) => setTimeout(r, 600));
    expect(onBus()).toHaveLength(before);

    outages.bus(false);
    outages.alerts(false);
    const delivered = await h.waitFor(
      async () => onBus().slice(before),
      (events) =>
        ["Escalated", "Resolved"].every((t) => events.some((e) => e.detailType === t)) &&
        events.filter((e) => e.detailType === "CustomerNoticeRequested").length >= 2,
    );
    await h.stack.stream.drained();
    // At least once: an integration event may come again (same eventId); a customer's letter never does.
    const kinds = onBus()
      .slice(before)
      .filter((e) => e.detailType === "CustomerNoticeRequested")
      .map((e) => (e.detail as { kind: string }).kind);
    expect(kinds.sort()).toEqual(["final_response", "satisfaction_survey"]);
    const eventIds = new Set(
      delivered
        .filter((e) => e.detailType !== "CustomerNoticeRequested")
        .map((e) => (e.detail as { eventId: string }).eventId),
    );
    expect([...eventIds].every((id) => id.startsWith(`${c.id}-`))).toBe(true);
    const notices = await h.noticesAbout(c.id, (ns) => ns.some((n) => n.kind === "escalation"));
    expect(notices.some((n) => n.kind === "escalation")).toBe(true);
    // Nothing was given up on, and the trail tells the same story as the bus.
    expect(h.stack.stream.deadLetters()).toEqual([]);
    expect(count(await audit(c.id), "Resolved")).toBe(1);
  });

  it("sends a record it cannot read to the dead-letter list after its retries, never holding up other complaints", async () => {
    const poisoned = await waitingForStaff();
    await h.stack.stream.drained();
    // An audit item for the bus that no consumer can parse (written past the API, as a bad migration would).
    await db.send(
      new PutCommand({
        TableName: h.stack.tableName,
        Item: {
          pk: `COMPLAINT#${poisoned.id}`,
          sk: "EVENT#00009999",
          type: "NoSuchEvent",
          outEvents: 1,
          outbox: { integrationEvents: [{ type: "Bogus" }] },
        },
      }),
    );
    // Another complaint, received after the poison, is delivered at once.
    const other = await waitingForStaff();
    await h.waitFor(
      async () =>
        h.stack.busEvents().filter((e) => (e.detail as { complaintId?: string }).complaintId === other.id),
      (events) => events.some((e) => e.detailType === "ComplaintReceived"),
      5_000,
    );
    expect(h.stack.stream.deadLetters()).toEqual([]);
    // The poison is retried (5 times, backing off) and then given up on, with its place in the stream.
    const letters = await h.waitFor(
      async () => h.stack.stream.deadLetters(),
      (l) => l.length > 0,
      20_000,
    );
    expect(letters).toEqual([
      expect.objectContaining({ consumer: "streamBus", attempts: 6, records: expect.any(Number) }),
    ]);
    expect(BigInt(letters[0]!.firstSequenceNumber) <= BigInt(letters[0]!.lastSequenceNumber)).toBe(true);
    // An operator sees it on the dashboard, as the StreamDeadLetters alarm shows the queue on AWS.
    const dashboard = await h.staff("GET", "/dashboard/data.json", await h.managerToken());
    expect(dashboard.body.deadLetters).toEqual(letters);
  });
});
