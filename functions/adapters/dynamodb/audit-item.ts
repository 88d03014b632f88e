import type { AuditEvent, EventDeliveries, StoredNotice } from "../../app/ports";
import { domainEventSchema } from "../../domain/events";
import { integrationEventSchema } from "../../domain/integration-events";
import { DIMENSION_NAMES, METRIC_NAMES } from "../../domain/metrics";
import type { CustomerNotice } from "../../domain/notices";
import { REPORT_AXES, type ReportFacts } from "../../domain/report-aggregates";
import { customerNoticeSchema } from "../../domain/schemas";
import * as z from "../../domain/zod";
import { iso, sameShape } from "./complaint-item";
import { key } from "./keys";

/*
 * The items under a complaint that are written once and never updated: its audit events (each with the
 * outbox it hands over to the stream consumers) and its customer notices. The complaint item itself:
 * complaint-item.ts.
 */

/** The place of an item (an audit event, a notice) in its complaint's sequence: 1, 2, ... */
const seqSchema = /* @__PURE__ */ (() => z.int().check(z.positive()))();
/** The execution attempt an audit event starts (`outWorkflow`): 0 first, N for an operator's Nth resume. */
const attemptSchema = /* @__PURE__ */ (() => z.int().check(z.nonnegative()))();

/** An audit event's place in its complaint's hash chain, stored beside the event. */
const chainSchema = /* @__PURE__ */ (() =>
  z.object({
    seq: seqSchema,
    prevHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  }))();

/** A customer notice as stored under its complaint (`NOTICE#<seq>`): the domain's schema, one source. */
const noticeSchema = customerNoticeSchema;
sameShape<z.output<typeof noticeSchema>, CustomerNotice>(true);

/**
 * An audit event as its item holds it, with what the event hands over (the outbox, see `EventDeliveries`):
 * the payloads under `outbox`, and one flat attribute per destination that the stream consumers' filters
 * match on (`outWorkflow`: the execution to start; `outEvents`, `outAlerts`, `outMetrics`: how many).
 * The hash chain covers the domain event only; the outbox is derived from it and the complaint.
 */
export const toAuditItem = (complaintId: string, event: AuditEvent, deliveries: EventDeliveries = {}) => {
  const { startExecution, integrationEvents, managerNotices, metrics, evidence, reportFacts } = deliveries;
  const outbox = {
    ...(reportFacts ? { reportFacts } : {}),
    ...(integrationEvents?.length ? { integrationEvents } : {}),
    ...(managerNotices?.length ? { managerNotices } : {}),
    ...(metrics?.length ? { metrics } : {}),
    ...(evidence?.length ? { evidence } : {}),
  };
  return {
    ...key.event(complaintId, event.seq),
    ...event,
    ...(startExecution !== undefined ? { [OUTBOX.workflow]: startExecution } : {}),
    ...(integrationEvents?.length ? { [OUTBOX.events]: integrationEvents.length } : {}),
    ...(managerNotices?.length ? { [OUTBOX.alerts]: managerNotices.length } : {}),
    ...(metrics?.length ? { [OUTBOX.metrics]: metrics.length } : {}),
    ...(evidence?.length ? { [OUTBOX.evidence]: evidence.length } : {}),
    ...(reportFacts ? { [OUTBOX.reports]: 1 } : {}),
    ...(Object.keys(outbox).length ? { outbox } : {}),
  };
};

/** The flat outbox attributes of an audit item: what each stream consumer's filter matches on. */
export const OUTBOX = {
  workflow: "outWorkflow",
  events: "outEvents",
  alerts: "outAlerts",
  metrics: "outMetrics",
  evidence: "outEvidence",
  reports: "outReports",
} as const;

/** A notice to managers (ids, references, deadlines: no personal data). */
const managerNoticeSchema = /* @__PURE__ */ (() =>
  z.object({
    kind: z.enum(["sla_warning", "escalation", "statutory_breach", "needs_attention"]),
    complaintId: z.string(),
    reference: z.string(),
    team: z.string(),
    tier: z.int(),
    audience: z.string(),
    subject: z.string(),
    at: iso,
    details: z.record(z.string(), z.unknown()),
  }))();

const metricDatumSchema = /* @__PURE__ */ (() =>
  z.object({
    name: z.enum(METRIC_NAMES),
    unit: z.enum(["Count", "None"]),
    value: z.number(),
    dimensions: z.partialRecord(z.enum(DIMENSION_NAMES), z.string()),
    at: iso,
  }))();

const evidenceInstructionSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion("action", [
    z.object({
      action: z.literal("retain"),
      attachmentId: z.string(),
      versionId: z.optional(z.string()),
      retainUntil: iso,
    }),
    z.object({ action: z.literal("remove"), attachmentId: z.string(), versionId: z.optional(z.string()) }),
  ]))();

/** A complaint's report facts (see `ReportFacts`): codes, flags and timings, no personal data. */
export const reportFactsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    receivedAt: iso,
    axes: z.record(z.enum(REPORT_AXES), z.string()),
    open: z.boolean(),
    resolved: z.boolean(),
    resolvedWithinSla: z.boolean(),
    slaBreached: z.boolean(),
    statutoryBreached: z.boolean(),
    escalated: z.boolean(),
    reopens: z.int().check(z.nonnegative()),
    needsAttention: z.boolean(),
    repeat: z.boolean(),
    repeatOf: z.optional(z.string()),
    satisfaction: z.optional(z.number()),
    overdue: z.boolean(),
    openStatutoryDue: z.optional(iso),
    rootCause: z.optional(z.string()),
    resolutionMinutes: z.optional(z.object({ business: z.number(), calendar: z.number() })),
    closed: z.boolean(),
    resolvedWithin3BusinessDays: z.boolean(),
    resolvedWithin8Weeks: z.boolean(),
    redress: z.optional(z.object({ currency: z.string(), amount: z.number() })),
    openRemediation: z.optional(
      z.object({
        reference: z.string(),
        team: z.string(),
        businessType: z.string(),
        branch: z.nullable(z.string()),
        rootCause: z.nullable(z.string()),
        description: z.string(),
        owner: z.string(),
        dueBy: z.string(),
        calendar: z.string(),
      }),
    ),
  }))() satisfies z.ZodMiniType<ReportFacts>;

/**
 * The outbox's parts, each as the one stream consumer that delivers it decodes it (a consumer reads its own
 * part and leaves the rest undecoded, so its bundle carries only that part's schemas). Each is an object
 * schema that strips the other parts.
 */
export type OutboxPart = z.ZodMiniType<Omit<EventDeliveries, "startExecution">>;

/** Nothing of the outbox (the workflow starter reads the flat `outWorkflow` attribute alone). */
export const noOutbox: OutboxPart = /* @__PURE__ */ (() => z.object({}))();
export const reportFactsOutbox: OutboxPart = /* @__PURE__ */ (() =>
  z.object({ reportFacts: z.optional(reportFactsSchema) }))();
export const integrationEventsOutbox: OutboxPart = /* @__PURE__ */ (() =>
  z.object({ integrationEvents: z.optional(z.array(integrationEventSchema)) }))();
export const managerNoticesOutbox: OutboxPart = /* @__PURE__ */ (() =>
  z.object({ managerNotices: z.optional(z.array(managerNoticeSchema)) }))();
export const metricsOutbox: OutboxPart = /* @__PURE__ */ (() =>
  z.object({ metrics: z.optional(z.array(metricDatumSchema)) }))();
export const evidenceOutbox: OutboxPart = /* @__PURE__ */ (() =>
  z.object({ evidence: z.optional(z.array(evidenceInstructionSchema)) }))();

/** An audit item's attributes: the domain event, its chain links, and what it hands over (the outbox). */
const splitEventItem = (raw: Record<string, unknown>) => {
  const {
    pk: _pk,
    sk: _sk,
    seq,
    prevHash,
    hash,
    [OUTBOX.workflow]: workflow,
    [OUTBOX.events]: _events,
    [OUTBOX.alerts]: _alerts,
    [OUTBOX.metrics]: _metrics,
    [OUTBOX.evidence]: _evidence,
    [OUTBOX.reports]: _reports,
    outbox,
    ...event
  } = raw;
  return { event, chain: { seq, prevHash, hash }, workflow, outbox };
};

/**
 * An audit item read back for its trail: the domain event, validated against its type's payload, and its
 * chain links. What it handed over is not decoded: the trail never shows it.
 */
export const fromAuditItem = (raw: Record<string, unknown>): AuditEvent => {
  const { event, chain } = splitEventItem(raw);
  return { ...domainEventSchema.parse(event), ...chainSchema.parse(chain) };
};

/**
 * An audit item as one stream consumer reads it: its place in the trail and the part of what it hands
 * over that this consumer delivers (validated). The event itself is not decoded: every delivery was
 * computed at the commit and stored in the outbox, so no consumer reads the event's body.
 */
export const fromEventItem = (
  raw: Record<string, unknown>,
  part: OutboxPart,
): { seq: number; deliveries: EventDeliveries } => {
  const { chain, workflow, outbox } = splitEventItem(raw);
  return {
    seq: seqSchema.parse(chain.seq),
    deliveries: {
      ...(workflow !== undefined ? { startExecution: attemptSchema.parse(workflow) } : {}),
      ...part.parse(outbox ?? {}),
    },
  };
};

export const toNoticeItem = (complaintId: string, seq: number, notice: CustomerNotice) => ({
  ...key.notice(complaintId, seq),
  seq,
  ...notice,
});

export const fromNoticeItem = (raw: Record<string, unknown>): StoredNotice => {
  const { pk: _pk, sk: _sk, seq, deliveredAt, ...notice } = raw;
  return {
    ...noticeSchema.parse(notice),
    seq: seqSchema.parse(seq),
    ...(deliveredAt !== undefined ? { deliveredAt: iso.parse(deliveredAt) } : {}),
  };
};
