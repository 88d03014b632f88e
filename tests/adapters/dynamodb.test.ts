import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { DynamoComplaintRepository } from "../../functions/adapters/dynamodb/complaint-repository";
import { InvalidCursorError } from "../../functions/adapters/dynamodb/cursors";
import { key } from "../../functions/adapters/dynamodb/keys";
import { DynamoNoticeLedger } from "../../functions/adapters/dynamodb/notice-ledger";
import { DynamoReadModels } from "../../functions/adapters/dynamodb/read-models";
import { verifyAuditChain } from "../../functions/app/audit-chain";
import { deliveriesOf } from "../../functions/app/outbox";
import { ConcurrentUpdateError } from "../../functions/app/ports";
import type { Complaint, DomainEvent } from "../../functions/domain/complaint";
import { withCustomerNotices } from "../../functions/domain/notices";
import { toIntakeResponse } from "../../functions/domain/views";
import { freePort } from "../../infra/local/stack";
import { type LocalStore, startLocalStore } from "../../infra/local/store";
import { newComplaint, RECEIVED_AT } from "../unit/domain/fixtures";

/*
 * The DynamoDB adapters against AWS's DynamoDB Local (the embedded target's store): real queries, real
 * conditions, real transactions — what mocked expression strings could not prove.
 */

const TABLE = "adapter-test";
let local: LocalStore;
let doc: DynamoDBDocumentClient;
let repo: DynamoComplaintRepository;
let reads: DynamoReadModels;

beforeAll(async () => {
  local = await startLocalStore({ port: await freePort(), tableName: TABLE });
  doc = DynamoDBDocumentClient.from(local.client, { marshallOptions: { removeUndefinedValues: true } });
  repo = new DynamoComplaintRepository(doc, TABLE);
  reads = new DynamoReadModels(doc, TABLE);
});
afterAll(async () => {
  await local?.stop();
});

let n = 0;
/** A complaint with a fresh id (26 Crockford characters) and the given overrides. */
const complaintLike = (overrides: Partial<Complaint> = {}): Complaint => {
  const id = `01KADAPTER${String(++n).padStart(16, "0")}`;
  return { ...newComplaint(), id, reference: `CMP-20261201-${String(n).padStart(6, "0")}`, ...overrides };
};

const received = (c: Complaint): DomainEvent => ({
  type: "ComplaintReceived",
  at: c.receivedAt,
  actor: { kind: "channel", channel: "mobile_app" },
  statusAfter: "received",
  data: {
    team: c.team,
    priority: c.priority,
    rule: "cards",
    codes: c.codes,
    policyVersion: c.sla.policyVersion,
    provisional: false,
    repeatOf: null,
  },
});

const create = async (c: Complaint, key = `key-${c.id}`) => {
  const outgoing = withCustomerNotices(c, [received(c)], RECEIVED_AT, 0);
  return repo.create({
    complaint: c,
    events: outgoing.events,
    deliveries: deliveriesOf(c, outgoing.events),
    notices: outgoing.notices,
    idempotency: {
      channel: "mobile_app",
      key,
      requestHash: "h".repeat(64),
      complaintId: c.id,
      response: toIntakeResponse(c, RECEIVED_AT),
    },
    idempotencyExpiresAt: new Date(RECEIVED_AT.getTime() + 86_400_000),
  });
};

describe("the complaint repository on DynamoDB Local", () => {
  it("creates a complaint with its trail, reference and idempotency record once per key", async () => {
    const c = complaintLike();
    expect(await create(c, "same-key-0001")).toBe(true);
    // A second complaint under the same key commits nothing: the key decides.
    const other = complaintLike();
    expect(await create(other, "same-key-0001")).toBe(false);
    expect(await repo.get(other.id)).toBeUndefined();

    expect((await repo.get(c.id))?.complaint).toEqual(c);
    expect(await repo.idByReference(c.reference)).toBe(c.id);
    const record = await repo.getIdempotency("mobile_app", "same-key-0001");
    expect(record).toMatchObject({ complaintId: c.id, response: { id: c.id, status: "received" } });

    const trail = await reads.audit(c.id);
    expect(trail.map((e) => [e.seq, e.type])).toEqual([
      [1, "ComplaintReceived"],
      [2, "NoticeSent"],
    ]);
    expect(verifyAuditChain(trail).valid).toBe(true);
    expect((await reads.notices(c.id)).map((x) => [x.seq, x.kind])).toEqual([[1, "acknowledgement"]]);
  });

  it("round-trips a complaint with every optional field set, losing nothing", async () => {
    const base = complaintLike();
    const full: Complaint = {
      ...base,
      customer: {
        ...base.customer,
        name: "Li Lei",
        phone: "+86 138 0013 8000",
        email: "l@x.cn",
        locale: "zh-CN",
      },
      amountInDispute: { amount: "120.00", currency: "CNY" },
      branch: "BJ-001",
      tier: 2,
      tierSince: "2026-12-02T02:00:00.000Z",
      assignee: "agent-li",
      status: "awaiting_feedback",
      sla: { ...base.sla, tierDueBy: "2026-12-04T09:30:00.000Z" },
      pauses: [
        { start: "2026-12-01T03:00:00.000Z", end: "2026-12-01T05:00:00.000Z", reason: "awaiting_customer" },
      ],
      statutoryBreaches: ["cn_decision"],
      extension: {
        level: "cn_60",
        totalDays: 45,
        approvedBy: { role: "manager", subject: "m-1", at: "2026-12-02T02:00:00.000Z" },
        reason: "appraisal",
      },
      resolution: {
        outcome: "upheld",
        summary: "Refunded",
        remedy: { amount: "120.00", currency: "CNY" },
        rootCause: "system_defect",
        remediation: { description: "Fix fees job", owner: "cards ops", dueBy: "2026-12-31" },
        remediationCompleted: { at: "2026-12-03T02:00:00.000Z", by: "agent-li" },
        resolvedBy: "agent-li",
        resolvedAt: "2026-12-02T03:00:00.000Z",
      },
      pendingQuestion: {
        question: "?",
        askedAt: "2026-12-01T03:00:00.000Z",
        replyBy: "2026-12-08T09:30:00.000Z",
      },
      feedbackDueBy: "2026-12-16T03:00:00.000Z",
      feedback: { satisfaction: 4, accepted: false, comment: "ok", at: "2026-12-03T03:00:00.000Z" },
      repeatOf: "01KADAPTER0000000000000000",
      closedAt: "2026-12-04T03:00:00.000Z",
      resumes: 2,
    };
    expect(await create(full)).toBe(true);
    expect((await repo.get(full.id))?.complaint).toEqual(full);
  });

  it("saves only on the version (and token) read, clears the token, and drops a closed complaint from its queue", async () => {
    const c = complaintLike();
    await create(c);
    expect(await repo.registerTask(c.id, { stage: "staff", token: "tok-1", since: "x" })).toBe(false);
    const started = await repo.save({
      after: { ...c, status: "in_progress" },
      events: [],
      deliveries: [],
      condition: { expectedVersion: 0 },
    });
    expect(started.version).toBe(1);
    expect(await repo.registerTask(c.id, { stage: "staff", token: "tok-1", since: "x" })).toBe(true);
    expect((await repo.get(c.id))?.task).toEqual({ stage: "staff", token: "tok-1", since: "x" });

    // The version moved on, or the token is not the one read: nothing is written.
    await expect(
      repo.save({ after: started, events: [], deliveries: [], condition: { expectedVersion: 0 } }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(
      repo.save({
        after: started,
        events: [],
        deliveries: [],
        condition: { expectedVersion: 1, expectedToken: "tok-0" },
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await repo.get(c.id))?.complaint.version).toBe(1);

    const inQueue = async () => (await reads.queue(c.team, { limit: 100 })).items.some((x) => x.id === c.id);
    expect(await inQueue()).toBe(true);
    await repo.save({
      after: { ...started, status: "closed", closedAt: "2026-12-02T00:00:00.000Z" },
      events: [],
      deliveries: [],
      condition: { expectedVersion: 1, expectedToken: "tok-1" },
      task: null,
    });
    const closed = await repo.get(c.id);
    expect(closed?.complaint).toMatchObject({ status: "closed", version: 2 });
    expect(closed?.task).toBeUndefined();
    expect(await inQueue()).toBe(false);
  });

  it("keeps a decision's answer with its change, once per caller, complaint and key", async () => {
    const c = complaintLike();
    await create(c);
    const record = (requestHash: string) => ({
      scope: "staff:agent-1",
      complaintId: c.id,
      key: "k-1",
      requestHash,
      version: 1,
      response: { id: c.id, tier: 1, nested: { list: [1, 2] } },
      expiresAt: new Date("2026-12-02T00:00:00.000Z"),
    });
    await repo.save({
      after: { ...c, status: "in_progress" },
      events: [],
      deliveries: [],
      condition: { expectedVersion: 0 },
      decision: record("h-1"),
    });
    expect(await repo.getDecision("staff:agent-1", c.id, "k-1")).toEqual(record("h-1"));
    expect(await repo.getDecision("staff:agent-2", c.id, "k-1")).toBeUndefined();
    // The key is taken: a second change carrying it does not land, nor does a record on its own.
    await expect(
      repo.save({
        after: { ...c, status: "in_progress", version: 1 },
        events: [],
        deliveries: [],
        condition: { expectedVersion: 1 },
        decision: record("h-2"),
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await repo.get(c.id))?.complaint.version).toBe(1);
    expect(await repo.putDecision(record("h-3"))).toBe(false);
    expect(await repo.putDecision({ ...record("h-4"), key: "k-2" })).toBe(true);
    expect((await repo.getDecision("staff:agent-1", c.id, "k-1"))?.requestHash).toBe("h-1");
  });

  it("records audit-only events on the trail without a new version, still chained and conditional", async () => {
    const c = complaintLike();
    await create(c);
    const note = {
      type: "NoteAdded" as const,
      at: "2026-12-01T03:00:00.000Z",
      actor: { kind: "system" as const, component: "test" },
      statusAfter: "received" as const,
      data: { note: "looked at" },
    };
    const kept = await repo.save({
      after: c,
      events: [note],
      deliveries: [],
      condition: { expectedVersion: 0 },
      auditOnly: true,
    });
    expect(kept.version).toBe(0);
    expect((await repo.get(c.id))?.complaint.version).toBe(0);
    const trail = await reads.audit(c.id);
    expect(trail.map((e) => [e.seq, e.type])).toEqual([
      [1, "ComplaintReceived"],
      [2, "NoticeSent"],
      [3, "NoteAdded"],
    ]);
    expect(verifyAuditChain(trail).valid).toBe(true);
    await expect(
      repo.save({
        after: c,
        events: [note],
        deliveries: [],
        condition: { expectedVersion: 1 },
        auditOnly: true,
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it("refuses a stored row that does not parse instead of trusting it", async () => {
    const c = complaintLike();
    await create(c);
    const row = {
      pk: `COMPLAINT#${c.id}`,
      sk: "META",
      version: 0,
      eventCount: 1,
      lastEventHash: "0".repeat(64),
    };
    await doc.send(
      new PutCommand({ TableName: TABLE, Item: { ...row, complaint: { ...c, status: "lost" } } }),
    );
    await expect(repo.get(c.id)).rejects.toBeInstanceOf(z.core.$ZodError);
  });
});

describe("the read models on DynamoDB Local", () => {
  it("pages a team's queue nearest deadline first, fills filtered pages, and refuses foreign cursors", async () => {
    const team = "adapter_queue";
    const due = (day: number) => `2026-12-${String(day).padStart(2, "0")}T09:30:00.000Z`;
    const made: Complaint[] = [];
    for (let day = 10; day < 16; day++) {
      const c = complaintLike({ team, slaPhase: day % 2 === 0 ? "breached" : "on_track" });
      made.push({ ...c, sla: { ...c.sla, resolveBy: due(day) } });
    }
    // Created out of order: the index sorts them.
    for (const c of [...made].reverse()) await create(c);

    const first = await reads.queue(team, { limit: 4 });
    expect(first.items.map((c) => c.sla.resolveBy)).toEqual([due(10), due(11), due(12), due(13)]);
    const rest = await reads.queue(team, { limit: 4, cursor: first.cursor! });
    expect(rest.items.map((c) => c.sla.resolveBy)).toEqual([due(14), due(15)]);

    const breached = await reads.queue(team, { limit: 10, filter: { slaPhase: "breached" } });
    expect(breached.items.map((c) => c.sla.resolveBy)).toEqual([due(10), due(12), due(14)]);

    await expect(reads.queue(team, { limit: 4, cursor: "bm9wZQ" })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
    // A real cursor of another queue is refused too.
    await expect(reads.queue("cards", { limit: 4, cursor: first.cursor! })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });

  it("reads a customer's history newest first with repeat links, and the open complaints about a business type", async () => {
    const customer = { id: "C-ADAPTER-1", segment: "mass_retail" as const };
    const old = complaintLike({ customer, receivedAt: "2026-11-01T02:00:00.000Z", status: "closed" });
    const open = complaintLike({ customer, receivedAt: "2026-11-20T02:00:00.000Z", status: "in_progress" });
    const repeat = complaintLike({ customer, receivedAt: "2026-11-25T02:00:00.000Z", repeatOf: open.id });
    const loans = complaintLike({ customer, receivedAt: "2026-11-26T02:00:00.000Z", businessType: "loans" });
    for (const c of [old, open, repeat, loans]) await create(c);

    const page = await reads.customerHistory(customer.id, { limit: 2 });
    expect(page.items.map((c) => c.id)).toEqual([loans.id, repeat.id]);
    expect(page.repeats).toEqual([{ id: repeat.id, repeatOf: open.id }]);
    const next = await reads.customerHistory(customer.id, { limit: 2, cursor: page.cursor! });
    expect(next.items.map((c) => c.id)).toEqual([open.id, old.id]);
    await expect(reads.customerHistory("C-OTHER", { limit: 2, cursor: page.cursor! })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );

    // Open at an instant: not closed, or closed after it (a complaint closed before it is not).
    const closedLater = complaintLike({
      customer,
      receivedAt: "2026-11-10T02:00:00.000Z",
      status: "closed",
      closedAt: "2026-11-27T09:00:00.000Z",
    });
    const closedBefore = complaintLike({
      customer,
      receivedAt: "2026-11-11T02:00:00.000Z",
      status: "closed",
      closedAt: "2026-11-26T09:00:00.000Z",
    });
    for (const c of [closedLater, closedBefore]) await create(c);
    const openAt = async (at: string) =>
      (await reads.openComplaintsAbout(customer.id, "cards", at)).map((c) => c.id).sort();
    expect(await openAt("2026-11-27T00:00:00.000Z")).toEqual([open.id, repeat.id, closedLater.id].sort());
    expect(await openAt("2026-11-28T00:00:00.000Z")).toEqual([open.id, repeat.id].sort());
    expect((await reads.repeatsOf(customer.id, open.id)).map((c) => c.id)).toEqual([repeat.id]);
  });

  it("reads a range of the month index across months and shards, page by page and whole", async () => {
    const at = (iso: string) => complaintLike({ receivedAt: iso, cycleStartedAt: iso });
    const inRange = [
      at("2027-04-15T00:00:00.000Z"),
      at("2027-05-02T00:00:00.000Z"),
      at("2027-06-14T23:59:59.999Z"),
    ];
    const outside = [at("2027-04-14T23:59:59.999Z"), at("2027-06-15T00:00:00.000Z")];
    for (const c of [...inRange, ...outside]) await create(c);
    const from = new Date("2027-04-15T00:00:00Z");
    const to = new Date("2027-06-15T00:00:00Z");
    const whole = await reads.receivedBetween(from, to);
    expect(whole.map((c) => c.receivedAt)).toEqual(inRange.map((c) => c.receivedAt));
    const seen: string[] = [];
    await reads.eachReceivedBetween(from, to, (page) => seen.push(...page.map((c) => c.id)));
    expect(seen.sort()).toEqual(inRange.map((c) => c.id).sort());

    const stuck = await reads.receivedBefore(new Date("2027-05-01T00:00:00Z"), ["2027-04"]);
    expect(stuck.map((c) => c.id).sort()).toEqual([inRange[0]!.id, outside[0]!.id].sort());
  });
});

describe("the calendar store on DynamoDB Local", () => {
  const year = (source: string) => ({
    calendar: "CN" as const,
    year: 2030,
    status: "confirmed" as const,
    source,
    holidays: [{ date: "2030-01-01", name: "元旦" }],
    workdays: [],
    loadId: `L-${source}`,
    loadedAt: "2026-12-01T00:00:00.000Z",
    loadedBy: "mgr-1",
  });
  const job = (jobId: string, createdAt: string) => ({
    jobId,
    reason: "calendar_loaded" as const,
    detail: "CN 2030 loaded",
    calendars: ["CN" as const],
    runAfter: 0,
    createdAt,
    status: "pending" as const,
    position: { team: 0 },
    counts: { seen: 0, changed: 0, unchanged: 0, failed: 0 },
    retry: { ids: [], passes: 0, after: 0 },
    step: 0,
  });
  const record = (loadId: string, at: string, version: number) => ({
    loadId,
    calendar: "CN" as const,
    year: 2030,
    source: "s",
    by: { subject: "mgr-1", role: "manager" as const },
    at,
    replaced: null,
    holidays: 1,
    workdays: 0,
    version,
  });

  it("stores a year, its load record and its job in one write conditional on the version", async () => {
    const { DynamoCalendarStore } = await import("../../functions/adapters/dynamodb/calendar-store");
    const store = new DynamoCalendarStore(doc, TABLE);
    expect(await store.version()).toBe(0);
    await store.load({
      year: year("first"),
      record: record("L-1", "2026-12-01T00:00:01.000Z", 1),
      job: job("J-1", "2026-12-01T00:00:01.000Z"),
      expectedVersion: 0,
    });
    expect(await store.version()).toBe(1);
    // A second writer that read version 0 loses, and nothing of its load is stored.
    await expect(
      store.load({
        year: year("stale"),
        record: record("L-2", "2026-12-01T00:00:02.000Z", 1),
        job: job("J-2", "2026-12-01T00:00:02.000Z"),
        expectedVersion: 0,
      }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await store.years()).map((y) => y.source)).toEqual(["first"]);
    expect((await store.loads(10)).map((l) => l.loadId)).toEqual(["L-1"]);
    expect((await store.jobs(10)).map((j) => j.jobId)).toEqual(["J-1"]);
  });

  it("lets one runner advance a job: a save from a stale step is refused", async () => {
    const { DynamoCalendarStore } = await import("../../functions/adapters/dynamodb/calendar-store");
    const store = new DynamoCalendarStore(doc, TABLE);
    const [stored] = await store.jobs(1);
    expect(await store.saveJob({ ...stored!, step: 1, position: { team: 1 } }, 0)).toBe(true);
    expect(await store.saveJob({ ...stored!, step: 1, position: { team: 5 } }, 0)).toBe(false);
    expect((await store.jobs(1))[0]?.position).toEqual({ team: 1 });
  });

  it("adopts a statutory rules version once, with its job", async () => {
    const { DynamoCalendarStore } = await import("../../functions/adapters/dynamodb/calendar-store");
    const store = new DynamoCalendarStore(doc, TABLE);
    expect(await store.rulesVersion()).toBeUndefined();
    const adopt = (jobId: string) =>
      store.adoptRules({
        version: "2026-12-01",
        previous: undefined,
        job: job(jobId, `2026-12-02T00:00:0${jobId.length}.000Z`),
      });
    expect(await adopt("R-1")).toBe(true);
    expect(await adopt("R-22")).toBe(false);
    expect(await store.rulesVersion()).toBe("2026-12-01");
    expect((await store.jobs(10)).map((j) => j.jobId)).toContain("R-1");
    expect((await store.jobs(10)).map((j) => j.jobId)).not.toContain("R-22");
  });
});

describe("references and the notice ledger on DynamoDB Local", () => {
  it("hands out disjoint blocks of reference numbers per local date, concurrent callers included", async () => {
    expect(await repo.reserveReferences("2031-01-02", 1)).toEqual({ first: 1, last: 1 });
    const blocks = await Promise.all([1, 2, 3, 4].map(() => repo.reserveReferences("2031-01-02", 5)));
    const numbers = blocks.flatMap(({ first, last }) => {
      expect(last - first).toBe(4);
      return Array.from({ length: 5 }, (_, i) => first + i);
    });
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    // Another date counts from one.
    expect(await repo.reserveReferences("2031-01-03", 2)).toEqual({ first: 1, last: 2 });
  });

  it("records a notice delivered once, keeps the first time, and never creates a notice it does not have", async () => {
    const ledger = new DynamoNoticeLedger(doc, TABLE);
    const c = complaintLike();
    await create(c);
    expect(await ledger.delivered(c.id, 1)).toBe(false);
    await ledger.markDelivered(c.id, 1, new Date("2026-12-01T02:00:05Z"));
    expect(await ledger.delivered(c.id, 1)).toBe(true);
    // A redelivered stream record marks it again: nothing changes, nothing throws.
    await ledger.markDelivered(c.id, 1, new Date("2026-12-01T02:09:00Z"));
    const item = await doc.send(new GetCommand({ TableName: TABLE, Key: key.notice(c.id, 1) }));
    expect(item.Item?.deliveredAt).toBe("2026-12-01T02:00:05.000Z");
    // A notice that was never stored stays absent (the condition needs the item).
    await ledger.markDelivered(c.id, 2, new Date("2026-12-01T02:00:05Z"));
    expect(await ledger.delivered(c.id, 2)).toBe(false);
    expect((await reads.notices(c.id)).map((n) => n.seq)).toEqual([1]);
  });
});
