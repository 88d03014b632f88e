import { type Complaint, OPEN_STATUSES } from "../../domain/complaint";
import { MONTH_SHARDS, TABLE } from "./table-schema";

/*
 * The table's keys and derived index attributes, built here and nowhere else (a rule test keeps key
 * prefixes inside this adapter). Item layout: docs/architecture.md "Data model".
 */

export const key = {
  complaint: (id: string) => ({ pk: `COMPLAINT#${id}`, sk: "META" }),
  event: (id: string, seq: number) => ({
    pk: `COMPLAINT#${id}`,
    sk: `EVENT#${String(seq).padStart(8, "0")}`,
  }),
  /** A decision's answer under the caller's key, per complaint (staff actions, customer reply, feedback). */
  decision: (scope: string, complaintId: string, idemKey: string) => ({
    pk: `IDEMPOTENCY#DECISION#${scope}#${complaintId}#${idemKey}`,
    sk: "IDEMPOTENCY",
  }),
  idempotency: (channel: string, idemKey: string) => ({
    pk: `IDEMPOTENCY#${channel}#${idemKey}`,
    sk: "IDEMPOTENCY",
  }),
  counter: (localDate: string) => ({ pk: `COUNTER#REFERENCE#${localDate}`, sk: "COUNTER" }),
  reference: (reference: string) => ({ pk: `REFERENCE#${reference}`, sk: "REFERENCE" }),
  notice: (id: string, seq: number) => ({
    pk: `COMPLAINT#${id}`,
    sk: `NOTICE#${String(seq).padStart(8, "0")}`,
  }),
  customer: (customerId: string) => `CUSTOMER#${customerId}`,
  queue: (team: string) => `QUEUE#${team}`,
  month: (month: string, shard: number) => `MONTH#${month}#${shard}`,
  /**
   * Report aggregates: a complaint's contribution (in its own partition), the quarter-hour cells of a UTC
   * day, the day cells of a UTC month, and the open remediation actions by month of receipt.
   */
  reports: {
    contribution: (id: string) => ({ pk: `COMPLAINT#${id}`, sk: "REPORTS" }),
    slotCells: (day: string) => `REPORTS#SLOT#${day}`,
    dayCells: (month: string) => `REPORTS#DAY#${month}`,
    /** A cell item's sort key: axis first, so one query reads one axis over a span of slots or days. */
    cellSort: (axis: string, slotOrDay: string, value: string) => `${axis}#${slotOrDay}#${value}`,
    remediation: (month: string) => `REPORTS#REMEDIATION#${month}`,
    remediationSort: (receivedAt: string, id: string) => `${receivedAt}#${id}`,
  },
  /** Operator-loaded calendar years, their load records and recompute jobs: one small partition. */
  calendars: {
    pk: "CALENDARS",
    version: { pk: "CALENDARS", sk: "VERSION" },
    rules: { pk: "CALENDARS", sk: "RULES" },
    year: (calendar: string, year: number) => ({ pk: "CALENDARS", sk: `YEAR#${calendar}#${year}` }),
    load: (at: string, loadId: string) => ({ pk: "CALENDARS", sk: `LOAD#${at}#${loadId}` }),
    job: (createdAt: string, jobId: string) => ({ pk: "CALENDARS", sk: `JOB#${createdAt}#${jobId}` }),
  },
};

/** Sort-key prefixes of the items stored under a complaint's partition. */
export const ITEM_PREFIX = { event: "EVENT#", notice: "NOTICE#" } as const;

/** Sort-key prefixes of the calendar partition's items. */
export const CALENDAR_PREFIX = { year: "YEAR#", load: "LOAD#", job: "JOB#" } as const;

/** The UTC month (yyyy-mm) an instant falls in: the month index's partition. */
export const monthOf = (isoInstant: string) => isoInstant.slice(0, 7);

/** The write shard of a complaint on the month index (spreads one month's writes over partitions). */
export const shardOf = (id: string) => {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % MONTH_SHARDS;
};

/** Index attributes derived from the complaint; a closed complaint leaves its team's queue. */
export const indexAttributes = (c: Complaint) => ({
  ...(OPEN_STATUSES.includes(c.status)
    ? {
        [TABLE.indexes.byQueue.partitionKey]: key.queue(c.team),
        [TABLE.indexes.byQueue.sortKey]: `${c.sla.tierDueBy ?? c.sla.resolveBy}#${c.id}`,
      }
    : {}),
  [TABLE.indexes.byCustomer.partitionKey]: key.customer(c.customer.id),
  [TABLE.indexes.byCustomer.sortKey]: `${c.receivedAt}#${c.id}`,
  [TABLE.indexes.byMonth.partitionKey]: key.month(monthOf(c.receivedAt), shardOf(c.id)),
  [TABLE.indexes.byMonth.sortKey]: `${c.receivedAt}#${c.id}`,
  // Top-level copies for queue filters (the complaint map itself cannot be filtered cheaply).
  status: c.status,
  tier: c.tier,
  priority: c.priority,
  slaPhase: c.slaPhase,
});

/** The UTC months (yyyy-mm, as the month index keys them) that [from, to) touches. */
export const monthsBetween = (from: Date, to: Date): string[] => {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (cursor.getTime() < to.getTime()) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
};
