import type { DecisionRecord, IdempotencyRecord, PendingTask, StoredComplaint } from "../../app/ports";
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
  PRIORITIES,
  ROOT_CAUSES,
  SEGMENTS,
} from "../../domain/codes";
import { type Complaint, STATUSES } from "../../domain/complaint";
import { intakeResponseSchema, moneySchema } from "../../domain/schemas";
import { STATUTORY_RULES } from "../../domain/sla/statutory";
import * as z from "../../domain/zod";
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
export const sameShape = <A, B>(proof: SameShape<A, B>): SameShape<A, B> => proof;
export const iso = /* @__PURE__ */ (() => z.string().check(z.minLength(20)))();
const resolution = /* @__PURE__ */ (() =>
  z.object({
    outcome: z.enum(["upheld", "partially_upheld", "rejected"]),
    summary: z.string(),
    remedy: z.optional(moneySchema),
    // Absent on resolutions stored before root causes were recorded.
    rootCause: z.optional(z.enum(ROOT_CAUSES)),
    remediation: z.optional(z.object({ description: z.string(), owner: z.string(), dueBy: z.string() })),
    remediationCompleted: z.optional(z.object({ at: iso, by: z.string() })),
    resolvedBy: z.string(),
    resolvedAt: iso,
  }))();

/** A file attached to the complaint (see `Attachment`): metadata only, the bytes are in the evidence store. */
const attachmentRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    fileName: z.string(),
    contentType: z.enum(ATTACHMENT_CONTENT_TYPES),
    size: z.int().check(z.positive()),
    sha256: z.string(),
    uploadedBy: z.enum(["channel", "staff"]),
    status: z.enum(ATTACHMENT_STATUSES),
    reason: z.optional(z.enum(REJECTION_REASONS)),
    requiredChecks: z.array(z.enum(ATTACHMENT_CHECKS)),
    checks: z.partialRecord(z.enum(ATTACHMENT_CHECKS), z.enum(["passed", "failed"])),
    requestedAt: iso,
    uploadBy: iso,
    uploadedAt: z.optional(iso),
    versionId: z.optional(z.string()),
    availableAt: z.optional(iso),
    rejectedAt: z.optional(iso),
  }))();

export const complaintRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    reference: z.string(),
    channel: z.enum(CHANNELS),
    jurisdiction: z.enum(JURISDICTIONS),
    customer: z.object({
      id: z.string(),
      segment: z.enum(SEGMENTS),
      name: z.optional(z.string()),
      phone: z.optional(z.string()),
      email: z.optional(z.string()),
      locale: z.optional(z.string()),
    }),
    businessType: z.enum(BUSINESS_TYPES),
    cause: z.enum(CAUSES),
    codes: z.object({ channel: z.string(), businessType: z.string(), cause: z.string() }),
    description: z.string(),
    amountInDispute: z.optional(moneySchema),
    branch: z.optional(z.string()),
    region: z.optional(z.string()),
    flags: z.object({
      vulnerableCustomer: z.boolean(),
      mediaRisk: z.boolean(),
      regulatorReferral: z.boolean(),
      repeat: z.boolean(),
      paymentServices: z.optional(z.boolean()),
    }),
    severity: z.enum(["low", "medium", "high"]),
    priority: z.enum(PRIORITIES),
    team: z.string(),
    tier: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
    tierSince: z.optional(iso),
    assignee: z.optional(z.string()),
    status: z.enum(STATUSES),
    receivedAt: iso,
    recordedAt: z.optional(iso),
    sla: z.object({
      policyVersion: z.string(),
      acknowledgedAt: iso,
      firstResponseBy: iso,
      resolveBy: iso,
      warningAt: iso,
      tierDueBy: z.optional(iso),
      calendar: z.string(),
      statutory: z.array(
        z.object({
          rule: z.enum(STATUTORY_RULES),
          dueBy: iso,
          provisional: z.boolean(),
          paused: z.boolean(),
        }),
      ),
      provisional: z.boolean(),
    }),
    slaPhase: z.enum(["on_track", "at_risk", "breached"]),
    pauses: z.array(
      z.object({
        start: iso,
        end: z.optional(iso),
        reason: z.enum(["awaiting_customer", "external_appraisal"]),
      }),
    ),
    statutoryBreaches: z.array(z.string()),
    extension: z.optional(
      z.object({
        level: z.enum(["cn_30", "cn_60", "holding_reply"]),
        totalDays: z.optional(z.int()),
        expectedBy: z.optional(z.iso.date()),
        approvedBy: z.optional(
          z.object({ role: z.enum(["supervisor", "manager"]), subject: z.string(), at: iso }),
        ),
        reason: z.optional(z.string()),
      }),
    ),
    resolution: z.optional(resolution),
    cycle: z.int().check(z.positive()),
    cycleStartedAt: iso,
    pendingQuestion: z.optional(z.object({ question: z.string(), askedAt: iso, replyBy: iso })),
    feedbackDueBy: z.optional(iso),
    feedback: z.optional(
      z.object({
        satisfaction: z.int(),
        accepted: z.boolean(),
        comment: z.optional(z.string()),
        at: iso,
      }),
    ),
    repeatOf: z.optional(z.string()),
    closedAt: z.optional(iso),
    resumes: z.optional(z.int().check(z.positive())),
    attachments: z.optional(z.array(attachmentRecordSchema)),
    version: z.int().check(z.nonnegative()),
  }))();
sameShape<z.output<typeof complaintRecordSchema>, Complaint>(true);

export const complaintItemSchema = /* @__PURE__ */ (() =>
  z.object({
    pk: z.string(),
    sk: z.literal("META"),
    complaint: complaintRecordSchema,
    version: z.int(),
    eventCount: z.int().check(z.nonnegative()),
    lastEventHash: z.string(),
    lastEventAt: z.optional(z.string()),
    /** Customer notices stored under the complaint so far (absent before the first). */
    noticeCount: z.optional(z.int().check(z.nonnegative())),
    taskToken: z.optional(z.string()),
    taskStage: z.optional(z.enum(["staff", "customer", "feedback"])),
    taskSince: z.optional(z.string()),
  }))();
export type ComplaintItem = z.infer<typeof complaintItemSchema>;

export const idempotencyItemSchema = /* @__PURE__ */ (() =>
  z.object({
    pk: z.string(),
    sk: z.literal("IDEMPOTENCY"),
    channel: z.string(),
    key: z.string(),
    requestHash: z.string(),
    complaintId: z.string(),
    response: intakeResponseSchema,
  }))();

/** The lookup from a complaint's reference to its id (`REFERENCE#<reference>`), written at intake. */
export const referenceItemSchema = /* @__PURE__ */ (() =>
  z.object({
    pk: z.string(),
    sk: z.literal("REFERENCE"),
    complaintId: z.string(),
  }))();

/** Where a complaint's audit chain and notices stand: kept on its item so a change can extend them. */
export interface ChainPosition {
  eventCount: number;
  lastEventHash: string;
  /** When the last audit event happened (items written before it was kept have none). */
  lastEventAt?: string;
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
    stored: {
      complaint: item.complaint,
      ...(task ? { task } : {}),
      ...(item.lastEventAt ? { lastEventAt: item.lastEventAt } : {}),
    },
    position: {
      eventCount: item.eventCount,
      lastEventHash: item.lastEventHash,
      ...(item.lastEventAt ? { lastEventAt: item.lastEventAt } : {}),
      noticeCount: item.noticeCount ?? 0,
    },
  };
};

/** The complaint alone, from an item an index query returned. */
export const complaintOf = (raw: unknown): Complaint => complaintItemSchema.parse(raw).complaint;

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
export const decisionItemSchema = /* @__PURE__ */ (() =>
  z.object({
    pk: z.string(),
    sk: z.literal("IDEMPOTENCY"),
    scope: z.string(),
    complaintId: z.string(),
    key: z.string(),
    requestHash: z.string(),
    version: z.int(),
    response: z.unknown(),
    keepUntil: z.string(),
  }))();

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
