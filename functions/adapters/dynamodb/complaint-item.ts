import * as z from "zod";
import type {
  AuditEvent,
  DecisionRecord,
  EventDeliveries,
  IdempotencyRecord,
  PendingTask,
  StoredComplaint,
  StoredNotice,
} from "../../app/ports";
import {
  ATTACHMENT_CHECKS,
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_STATUSES,
  REJECTION_REASONS,
} from "../../domain/attachments";
import {
  BUSINESS_TYPES,
  CAUSES,
  CHANNELS,
  JURISDICTIONS,
  NOTICE_KINDS,
  NOTICE_LOCALES,
  PRIORITIES,
  ROOT_CAUSES,
  SEGMENTS,
} from "../../domain/codes";
import { type Complaint, STATUSES } from "../../domain/complaint";
import { domainEventSchema } from "../../domain/events";
import { integrationEventSchema } from "../../domain/integration-events";
import { DIMENSION_NAMES, METRIC_NAMES } from "../../domain/metrics";
import type { CustomerNotice } from "../../domain/notices";
import { REPORT_AXES, type ReportFacts } from "../../domain/report-aggregates";
import { intakeResponseSchema, moneySchema } from "../../domain/schemas";
import { STATUTORY_RULES } from "../../domain/sla/statutory";
import { indexAttributes, key } from "./keys";

/**
 * The item mapping, once: what each kind of item holds and how it turns back into domain values. Items
 * read back are parsed, never trusted: a row written by an older version or edited by hand fails loudly
 * here instead of deep inside a use case. The schemas must describe the domain types exactly — a field
 * added to `Complaint` and not here fails to compile (`SameShape` below), because zod would silently drop
 * it on the way back in.
 */

/** Every property path of a type (arrays looked through), e.g. `"sla" | "sla.statutory" | "sla.statutory.rule"`. */
type Paths<T> = T extends readonly (infer U)[]
  ? Paths<U>
  : T extends object
    ? { [K in keyof T & string]-?: K | `${K}.${Paths<NonNullable<T[K]>>}` }[keyof T & string]
    : never;
/** `true` only when A and B have the same property paths and each is assignable to the other. */
type SameShape<A, B> = [Exclude<Paths<A>, Paths<B>>, Exclude<Paths<B>, Paths<A>>] extends [never, never]
  ? [A] extends [B]
    ? [B] extends [A]
      ? true
      : false
    : false
  : false;
/** Compiles only when the two types have the same shape. */
const sameShape = <A, B>(proof: SameShape<A, B>): SameShape<A, B> => proof;
const iso = z.string().min(20);
const resolution = z.object({
  outcome: z.enum(["upheld", "partially_upheld", "rejected"]),
  summary: z.string(),
  remedy: moneySchema.optional(),
  // Absent on resolutions stored before root causes were recorded.
  rootCause: z.enum(ROOT_CAUSES).optional(),
  remediation: z.object({ description: z.string(), owner: z.string(), dueBy: z.string() }).optional(),
  remediationCompleted: z.object({ at: iso, by: z.string() }).optional(),
  resolvedBy: z.string(),
  resolvedAt: iso,
});

/** A file attached to the complaint (see `Attachment`): metadata only, the bytes are in the evidence store. */
const attachmentRecordSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.enum(ATTACHMENT_CONTENT_TYPES),
  size: z.number().int().positive(),
  sha256: z.string(),
  uploadedBy: z.enum(["channel", "staff"]),
  status: z.enum(ATTACHMENT_STATUSES),
  reason: z.enum(REJECTION_REASONS).optional(),
  requiredChecks: z.array(z.enum(ATTACHMENT_CHECKS)),
  checks: z.partialRecord(z.enum(ATTACHMENT_CHECKS), z.enum(["passed", "failed"])),
  requestedAt: iso,
  uploadBy: iso,
  uploadedAt: iso.optional(),
  versionId: z.string().optional(),
  availableAt: iso.optional(),
  rejectedAt: iso.optional(),
});

export const complaintRecordSchema = z.object({
  id: z.string(),
  reference: z.string(),
  channel: z.enum(CHANNELS),
  jurisdiction: z.enum(JURISDICTIONS),
  customer: z.object({
    id: z.string(),
    segment: z.enum(SEGMENTS),
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    locale: z.string().optional(),
  }),
  businessType: z.enum(BUSINESS_TYPES),
  cause: z.enum(CAUSES),
  codes: z.object({ channel: z.string(), businessType: z.string(), cause: z.string() }),
  description: z.string(),
  amountInDispute: moneySchema.optional(),
  branch: z.string().optional(),
  region: z.string().optional(),
  flags: z.object({
    vulnerableCustomer: z.boolean(),
    mediaRisk: z.boolean(),
    regulatorReferral: z.boolean(),
    repeat: z.boolean(),
    paymentServices: z.boolean().optional(),
  }),
  severity: z.enum(["low", "medium", "high"]),
  priority: z.enum(PRIORITIES),
  team: z.string(),
  tier: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  tierSince: iso.optional(),
  assignee: z.string().optional(),
  status: z.enum(STATUSES),
  receivedAt: iso,
  recordedAt: iso.optional(),
  sla: z.object({
    policyVersion: z.string(),
    acknowledgedAt: iso,
    firstResponseBy: iso,
    resolveBy: iso,
    warningAt: iso,
    tierDueBy: iso.optional(),
    calendar: z.string(),
    statutory: z.array(
      z.object({ rule: z.enum(STATUTORY_RULES), dueBy: iso, provisional: z.boolean(), paused: z.boolean() }),
    ),
    provisional: z.boolean(),
  }),
  slaPhase: z.enum(["on_track", "at_risk", "breached"]),
  pauses: z.array(
    z.object({
      start: iso,
      end: iso.optional(),
      reason: z.enum(["awaiting_customer", "external_appraisal"]),
    }),
  ),
  statutoryBreaches: z.array(z.string()),
  extension: z
    .object({
      level: z.enum(["cn_30", "cn_60", "holding_reply"]),
      totalDays: z.number().int().optional(),
      expectedBy: z.iso.date().optional(),
      approvedBy: z
        .object({ role: z.enum(["supervisor", "manager"]), subject: z.string(), at: iso })
        .optional(),
      reason: z.string().optional(),
    })
    .optional(),
  resolution: resolution.optional(),
  cycle: z.number().int().positive(),
  cycleStartedAt: iso,
  pendingQuestion: z.object({ question: z.string(), askedAt: iso, replyBy: iso }).optional(),
  feedbackDueBy: iso.optional(),
  feedback: z
    .object({
      satisfaction: z.number().int(),
      accepted: z.boolean(),
      comment: z.string().optional(),
      at: iso,
    })
    .optional(),
  repeatOf: z.string().optional(),
  closedAt: iso.optional(),
  resumes: z.number().int().positive().optional(),
  attachments: z.array(attachmentRecordSchema).optional(),
  version: z.number().int().nonnegative(),
});
sameShape<z.output<typeof complaintRecordSchema>, Complaint>(true);

export const complaintItemSchema = z.object({
  pk: z.string(),
  sk: z.literal("META"),
  complaint: complaintRecordSchema,
  version: z.number().int(),
  eventCount: z.number().int().nonnegative(),
  lastEventHash: z.string(),
  /** Customer notices stored under the complaint so far (absent before the first). */
  noticeCount: z.number().int().nonnegative().optional(),
  taskToken: z.string().optional(),
  taskStage: z.enum(["staff", "customer", "feedback"]).optional(),
  taskSince: z.string().optional(),
});
export type ComplaintItem = z.infer<typeof complaintItemSchema>;

/** An audit event's place in its complaint's hash chain, stored beside the event. */
const chainSchema = z.object({
  seq: z.number().int().positive(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export const idempotencyItemSchema = z.object({
  pk: z.string(),
  sk: z.literal("IDEMPOTENCY"),
  channel: z.string(),
  key: z.string(),
  requestHash: z.string(),
  complaintId: z.string(),
  response: intakeResponseSchema,
});

/** The lookup from a complaint's reference to its id (`REFERENCE#<reference>`), written at intake. */
export const referenceItemSchema = z.object({
  pk: z.string(),
  sk: z.literal("REFERENCE"),
  complaintId: z.string(),
});

/** A customer notice as stored under its complaint (`NOTICE#<seq>`): personal data only in `content`. */
const noticeSchema = z.object({
  noticeId: z.string(),
  complaintId: z.string(),
  reference: z.string(),
  channel: z.enum(CHANNELS),
  jurisdiction: z.enum(JURISDICTIONS),
  kind: z.enum(NOTICE_KINDS),
  locale: z.enum(NOTICE_LOCALES),
  at: z.string(),
  satisfies: z.object({ rule: z.enum(STATUTORY_RULES), dueBy: z.string(), met: z.boolean() }).nullable(),
  content: z.object({
    to: z.object({
      customerId: z.string(),
      name: z.string().optional(),
      email: z.string().optional(),
      phone: z.string().optional(),
    }),
    subject: z.string(),
    body: z.string(),
  }),
});
sameShape<z.output<typeof noticeSchema>, CustomerNotice>(true);

/** Where a complaint's audit chain and notices stand: kept on its item so a change can extend them. */
export interface ChainPosition {
  eventCount: number;
  lastEventHash: string;
  noticeCount: number;
}

/** The complaint as its item holds it: the complaint itself, its index keys, its chain position. */
export const toComplaintItem = (c: Complaint, position: ChainPosition) => ({
  ...key.complaint(c.id),
  ...indexAttributes(c),
  complaint: c,
  version: c.version,
  ...position,
});

/** A complaint item read back: the complaint, its pending task and its chain position. */
export const fromComplaintItem = (raw: unknown): { stored: StoredComplaint; position: ChainPosition } => {
  const item = complaintItemSchema.parse(raw);
  const task: PendingTask | undefined =
    item.taskToken && item.taskStage
      ? { token: item.taskToken, stage: item.taskStage, since: item.taskSince ?? "" }
      : undefined;
  return {
    stored: { complaint: item.complaint, ...(task ? { task } : {}) },
    position: {
      eventCount: item.eventCount,
      lastEventHash: item.lastEventHash,
      noticeCount: item.noticeCount ?? 0,
    },
  };
};

/** The complaint alone, from an item an index query returned. */
export const complaintOf = (raw: unknown): Complaint => complaintItemSchema.parse(raw).complaint;

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
const managerNoticeSchema = z.object({
  kind: z.enum(["sla_warning", "escalation", "statutory_breach", "needs_attention"]),
  complaintId: z.string(),
  reference: z.string(),
  team: z.string(),
  tier: z.number().int(),
  audience: z.string(),
  subject: z.string(),
  at: iso,
  details: z.record(z.string(), z.unknown()),
});

const metricDatumSchema = z.object({
  name: z.enum(METRIC_NAMES),
  unit: z.enum(["Count", "None"]),
  value: z.number(),
  dimensions: z.partialRecord(z.enum(DIMENSION_NAMES), z.string()),
  at: iso,
});

const evidenceInstructionSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("retain"),
    attachmentId: z.string(),
    versionId: z.string().optional(),
    retainUntil: iso,
  }),
  z.object({ action: z.literal("remove"), attachmentId: z.string(), versionId: z.string().optional() }),
]);

/** A complaint's report facts (see `ReportFacts`): codes, flags and timings, no personal data. */
export const reportFactsSchema = z
  .object({
    receivedAt: iso,
    axes: z.record(z.enum(REPORT_AXES), z.string()),
    open: z.boolean(),
    resolved: z.boolean(),
    resolvedWithinSla: z.boolean(),
    slaBreached: z.boolean(),
    statutoryBreached: z.boolean(),
    escalated: z.boolean(),
    reopens: z.number().int().nonnegative(),
    needsAttention: z.boolean(),
    repeat: z.boolean(),
    repeatOf: z.string().optional(),
    satisfaction: z.number().optional(),
    overdue: z.boolean(),
    openStatutoryDue: iso.optional(),
    rootCause: z.string().optional(),
    resolutionMinutes: z.object({ business: z.number(), calendar: z.number() }).optional(),
    closed: z.boolean(),
    resolvedWithin3BusinessDays: z.boolean(),
    resolvedWithin8Weeks: z.boolean(),
    redress: z.object({ currency: z.string(), amount: z.number() }).optional(),
    openRemediation: z
      .object({
        reference: z.string(),
        team: z.string(),
        businessType: z.string(),
        branch: z.string().nullable(),
        rootCause: z.string().nullable(),
        description: z.string(),
        owner: z.string(),
        dueBy: z.string(),
        calendar: z.string(),
      })
      .optional(),
  })
  .strict() satisfies z.ZodType<ReportFacts>;

const outboxSchema = z.object({
  reportFacts: reportFactsSchema.optional(),
  integrationEvents: z.array(integrationEventSchema).optional(),
  managerNotices: z.array(managerNoticeSchema).optional(),
  metrics: z.array(metricDatumSchema).optional(),
  evidence: z.array(evidenceInstructionSchema).optional(),
});

/** An audit item read back: the domain event, validated against its type's payload, and its chain links. */
export const fromAuditItem = (raw: Record<string, unknown>): AuditEvent => fromEventItem(raw).event;

/** An audit item read back with what it hands over (as a stream consumer reads it). */
export const fromEventItem = (
  raw: Record<string, unknown>,
): { event: AuditEvent; deliveries: EventDeliveries } => {
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
  const payloads = outboxSchema.parse(outbox ?? {});
  return {
    event: { ...domainEventSchema.parse(event), ...chainSchema.parse({ seq, prevHash, hash }) },
    deliveries: {
      ...(workflow !== undefined ? { startExecution: z.number().int().nonnegative().parse(workflow) } : {}),
      ...payloads,
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
    seq: z.number().int().positive().parse(seq),
    ...(deliveredAt !== undefined ? { deliveredAt: iso.parse(deliveredAt) } : {}),
  };
};

export const toIdempotencyItem = (record: IdempotencyRecord, expiresAt: Date, ttlAttribute: string) => ({
  ...key.idempotency(record.channel, record.key),
  ...record,
  [ttlAttribute]: Math.floor(expiresAt.getTime() / 1000),
});

export const fromIdempotencyItem = (raw: unknown): IdempotencyRecord => {
  const item = idempotencyItemSchema.parse(raw);
  return {
    channel: item.channel,
    key: item.key,
    requestHash: item.requestHash,
    complaintId: item.complaintId,
    response: item.response,
  };
};

/** A decision's answer under its Idempotency-Key (`IDEMPOTENCY#DECISION#<scope>#<complaint>#<key>`). */
export const decisionItemSchema = z.object({
  pk: z.string(),
  sk: z.literal("IDEMPOTENCY"),
  scope: z.string(),
  complaintId: z.string(),
  key: z.string(),
  requestHash: z.string(),
  version: z.number().int(),
  response: z.unknown(),
  keepUntil: z.string(),
});

export const toDecisionItem = (record: DecisionRecord, ttlAttribute: string) => ({
  ...key.decision(record.scope, record.complaintId, record.key),
  scope: record.scope,
  complaintId: record.complaintId,
  key: record.key,
  requestHash: record.requestHash,
  version: record.version,
  response: record.response,
  // Beside the table's TTL attribute (epoch seconds, which DynamoDB deletes by), the instant itself.
  keepUntil: record.expiresAt.toISOString(),
  [ttlAttribute]: Math.floor(record.expiresAt.getTime() / 1000),
});

export const fromDecisionItem = (raw: unknown): DecisionRecord => {
  const item = decisionItemSchema.parse(raw);
  return {
    scope: item.scope,
    complaintId: item.complaintId,
    key: item.key,
    requestHash: item.requestHash,
    version: item.version,
    response: item.response,
    expiresAt: new Date(item.keepUntil),
  };
};
