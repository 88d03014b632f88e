import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import {
  evidenceOutbox,
  fromNoticeItem,
  integrationEventsOutbox,
  managerNoticesOutbox,
  metricsOutbox,
  noOutbox,
  reportFactsOutbox,
  toAuditItem,
  toNoticeItem,
} from "../../functions/adapters/dynamodb/audit-item";
import { STREAM_FILTERS, streamRecordOf } from "../../functions/adapters/dynamodb/stream-records";
import { deliveriesOf } from "../../functions/app/outbox";
import type { AuditEvent, EventDeliveries, StoredNotice } from "../../functions/app/ports";
import {
  deliverInOrder,
  publishToBus,
  type StreamMessage,
  type StreamRecord,
  startWorkflows,
} from "../../functions/app/stream";
import type { Complaint, DomainEvent } from "../../functions/domain/complaint";
import { transition } from "../../functions/domain/lifecycle";
import { type CustomerNotice, withCustomerNotices } from "../../functions/domain/notices";
import { reportFactsOf } from "../../functions/domain/report-aggregates";
import { matchesFilter } from "../../infra/local/stream-filter";
import { agent, ctxAt, newComplaint, receivedEvent } from "./domain/fixtures";

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A fake stream record: `fails` makes its delivery throw; `unreadable` makes it fail to parse. */
const rec = (complaintId: string, seq: number, opts: { fails?: boolean; unreadable?: boolean } = {}) => ({
  sequenceNumber: String(seq).padStart(21, "0"),
  complaintId,
  read: (): StreamMessage => {
    if (opts.unreadable) throw Object.assign(new Error("bad item"), { name: "ZodError" });
    return {
      kind: "event",
      complaintId,
      seq,
      deliveries: opts.fails ? { startExecution: -1 } : {},
    };
  },
});

describe("delivery in order per complaint", () => {
  const run = async (records: StreamRecord[], unreadable: "fail" | "skip" = "fail") => {
    const delivered: string[] = [];
    const failed = await deliverInOrder(
      records,
      async (m) => {
        if (m.kind === "event" && m.deliveries.startExecution === -1) throw new Error("destination down");
        delivered.push(`${m.complaintId}:${(m as { seq: number }).seq}`);
      },
      quiet,
      unreadable,
    );
    return { delivered, failed };
  };

  it("delivers each complaint's records in stream order", async () => {
    const { delivered, failed } = await run([rec("A", 1), rec("B", 2), rec("A", 3), rec("B", 4)]);
    expect(failed).toEqual([]);
    expect(delivered.filter((d) => d.startsWith("A"))).toEqual(["A:1", "A:3"]);
    expect(delivered.filter((d) => d.startsWith("B"))).toEqual(["B:2", "B:4"]);
  });

  it("holds a complaint's later records behind its failed one while other complaints go on", async () => {
    const { delivered, failed } = await run([
      rec("A", 1),
      rec("B", 2, { fails: true }),
      rec("A", 3),
      rec("B", 4),
      rec("C", 5),
    ]);
    expect(failed).toEqual(["000000000000000000002"]);
    expect(delivered.sort()).toEqual(["A:1", "A:3", "C:5"]);
  });

  it("fails an unreadable record like a refused one, or skips it where retries would do harm", async () => {
    const records = [rec("A", 1, { unreadable: true }), rec("A", 2), rec("B", 3)];
    expect(await run(records)).toEqual({ delivered: ["B:3"], failed: ["000000000000000000001"] });
    expect(await run(records, "skip")).toEqual({ delivered: ["A:2", "B:3"], failed: [] });
  });
});

const complaint = (): Complaint => newComplaint();

/** The audit items of a change as the table holds them, turned into stream records as Lambda gets them. */
/** The stream record of a stored customer notice (the item as intake or a change writes it). */
const noticeRecordOf = (c: Complaint, notice: CustomerNotice, seq = 1): DynamoDBRecord => {
  const item = toNoticeItem(c.id, seq, notice);
  return {
    eventName: "INSERT",
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item) as never,
    },
  };
};

const recordsOf = (c: Complaint, events: DomainEvent[], deliveries: EventDeliveries[], firstSeq = 1) =>
  events.map((e, i): DynamoDBRecord => {
    const event = { ...e, seq: firstSeq + i, prevHash: "0".repeat(64), hash: "1".repeat(64) } as AuditEvent;
    const item = toAuditItem(c.id, event, deliveries[i]);
    return {
      eventName: "INSERT",
      dynamodb: {
        Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
        NewImage: marshall(item, { removeUndefinedValues: true }) as never,
        SequenceNumber: String(100 + i),
      },
    };
  });

describe("the outbox: what each event hands over, and which consumer takes it", () => {
  it("starts the workflow on ComplaintReceived, publishes its integration events, and stores the acknowledgement", () => {
    const c = complaint();
    const { events, notices } = withCustomerNotices(c, [receivedEvent(c)], new Date(c.receivedAt), 0);
    const deliveries = deliveriesOf(c, events);
    expect(events.map((e) => e.type)).toEqual(["ComplaintReceived", "NoticeSent"]);
    expect(deliveries[0]).toMatchObject({ startExecution: 0 });
    expect(deliveries[0]?.integrationEvents?.map((e) => [e.type, e.eventId])).toEqual([
      ["ComplaintReceived", `${c.id}-0-1`],
      ["Acknowledged", `${c.id}-0-2`],
    ]);
    // The change's last event carries the report facts (one aggregate update per change), nothing else.
    expect(deliveries[1]).toEqual({ reportFacts: reportFactsOf(c) });
    expect(deliveries[0]?.reportFacts).toBeUndefined();
    expect(notices).toHaveLength(1);

    // The workflow consumer sees the first event only; the bus consumer sees the first event and the notice.
    const records = recordsOf(c, events, deliveries);
    const passes = (kind: keyof typeof STREAM_FILTERS, r: DynamoDBRecord) =>
      STREAM_FILTERS[kind].some((f) => matchesFilter(f, r));
    expect(records.map((r) => passes("workflow", r))).toEqual([true, false]);
    expect(records.map((r) => passes("bus", r))).toEqual([true, false]);
    expect(records.map((r) => passes("alerts", r))).toEqual([false, false]);
    const noticeRecord = noticeRecordOf(c, notices[0]!);
    expect(passes("bus", noticeRecord)).toBe(true);
    expect(passes("workflow", noticeRecord)).toBe(false);
    // A later update of the notice (the ledger's deliveredAt) is not an insert: nothing is delivered twice.
    expect(passes("bus", { ...noticeRecord, eventName: "MODIFY" })).toBe(false);
  });

  it("hands an escalation to managers and metrics, and an operator's resume starts execution N", () => {
    let c: Complaint = { ...complaint(), status: "in_progress", version: 3 };
    const escalated = transition(
      c,
      { type: "escalate", actor: agent, reason: "press" },
      ctxAt("2026-12-01T03:00:00Z"),
    );
    const [delivery] = deliveriesOf({ ...escalated.complaint, version: 4 }, escalated.events);
    expect(delivery?.managerNotices?.map((n) => n.kind)).toEqual(["escalation"]);
    expect(delivery?.metrics?.map((m) => m.name)).toEqual(["Escalations"]);
    expect(delivery?.integrationEvents?.[0]?.eventId).toBe(`${c.id}-4-1`);
    expect(delivery?.startExecution).toBeUndefined();

    c = { ...escalated.complaint, status: "needs_attention", version: 5 };
    const supervisor = { ...agent, role: "supervisor" };
    const resumed = transition(
      c,
      { type: "resume", actor: supervisor, reason: "fixed" },
      ctxAt("2026-12-01T04:00:00Z"),
    );
    expect(deliveriesOf({ ...resumed.complaint, version: 6 }, resumed.events)[0]?.startExecution).toBe(1);
  });

  it("reads back from a stream record exactly what was computed at the commit", () => {
    const c = complaint();
    const events = [receivedEvent(c)];
    const deliveries = deliveriesOf(c, events);
    const [record] = recordsOf(c, events, deliveries);
    // Every consumer reads its own part; together they read back all that was computed, no part missing.
    const parts = [
      noOutbox,
      reportFactsOutbox,
      integrationEventsOutbox,
      managerNoticesOutbox,
      metricsOutbox,
      evidenceOutbox,
    ];
    const messages = parts.map((outbox) => streamRecordOf({ outbox })(record!).read());
    for (const message of messages) expect(message).toMatchObject({ kind: "event", complaintId: c.id });
    const read = messages.map((m) => (m.kind === "event" ? m.deliveries : {}));
    expect(Object.assign({}, ...read)).toEqual(deliveries[0]);
    // A record of something else is refused by name, never half-read.
    expect(() =>
      streamRecordOf({ outbox: noOutbox })({
        dynamodb: { Keys: marshall({ pk: "COUNTER#x", sk: "COUNTER" }) as never, NewImage: {} },
      }).read(),
    ).toThrow(expect.objectContaining({ name: "UnreadableStreamRecordError" }));
  });

  it("gives each consumer its own part of the outbox, and notices to the bus alone", () => {
    const c = complaint();
    const { events, notices } = withCustomerNotices(c, [receivedEvent(c)], new Date(c.receivedAt), 0);
    const deliveries = deliveriesOf(c, events);
    const [record] = recordsOf(c, events, deliveries);
    const bus = streamRecordOf({ outbox: integrationEventsOutbox, notice: fromNoticeItem });
    const read = (m: StreamMessage) => (m.kind === "event" ? m.deliveries : undefined);
    // The bus reads the integration events and the execution to start (a flat attribute), nothing else.
    expect(read(bus(record!).read())).toEqual({
      startExecution: 0,
      integrationEvents: deliveries[0]?.integrationEvents,
    });
    expect(read(streamRecordOf({ outbox: noOutbox })(record!).read())).toEqual({ startExecution: 0 });
    // A part's payload is still validated: a broken one fails the record (retried, then dead-lettered).
    const broken = structuredClone(record!);
    const image = broken.dynamodb?.NewImage as Record<string, { M?: Record<string, unknown> }>;
    image.outbox = marshall({ outbox: { metrics: [{ name: "NoSuchMetric" }] } }).outbox as never;
    expect(() => streamRecordOf({ outbox: metricsOutbox })(broken).read()).toThrow();
    expect(read(bus(broken).read())).toMatchObject({ startExecution: 0 });
    // Notices: read by the bus; any other consumer refuses one as unreadable (its filter never lets one in).
    const noticeRecord = noticeRecordOf(c, notices[0]!);
    expect(bus(noticeRecord).read()).toMatchObject({ kind: "notice", notice: { seq: 1 } });
    expect(() => streamRecordOf({ outbox: metricsOutbox })(noticeRecord).read()).toThrow(
      expect.objectContaining({ name: "UnreadableStreamRecordError" }),
    );
  });
});

describe("the consumers", () => {
  it("start the execution a record names, and nothing for other records", async () => {
    const started: [string, number | undefined][] = [];
    const deliver = startWorkflows({
      workflow: { start: async (id, n) => void started.push([id, n]), resume: async () => "resumed" },
      log: quiet,
    });
    await deliver({
      kind: "event",
      complaintId: "A",
      seq: 1,
      deliveries: { startExecution: 2 },
    });
    await deliver({ kind: "event", complaintId: "B", seq: 1, deliveries: {} });
    expect(started).toEqual([["A", 2]]);
  });

  it("send a customer's notice once, even when its record comes again", async () => {
    const sent: Record<string, unknown>[] = [];
    const ledger = new Set<string>();
    const deliver = publishToBus({
      events: { publish: async () => undefined },
      customerNotifier: { send: async (ns) => void sent.push(...ns.map((n) => ({ ...n }))) },
      noticeLedger: {
        delivered: async (id, seq) => ledger.has(`${id}/${seq}`),
        markDelivered: async (id, seq) => void ledger.add(`${id}/${seq}`),
      },
      clock: { now: () => new Date("2026-12-01T03:00:00Z") },
      log: quiet,
    });
    const c = complaint();
    const { notices } = withCustomerNotices(c, [receivedEvent(c)], new Date(c.receivedAt), 0);
    const notice: StoredNotice = { ...notices[0]!, seq: 1 };
    await deliver({ kind: "notice", complaintId: c.id, notice });
    await deliver({ kind: "notice", complaintId: c.id, notice });
    // One letter, and what went out is the notice as rendered, without the store's bookkeeping.
    expect(sent.map((n) => n.noticeId)).toEqual([notice.noticeId]);
    expect(sent[0]).not.toHaveProperty("seq");
    expect(sent[0]).toMatchObject({ kind: "acknowledgement", complaintId: c.id });
  });
});
