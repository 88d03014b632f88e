import * as z from "zod";
import { ATTACHMENT_CHECKS, ATTACHMENT_CONTENT_TYPES, REJECTION_REASONS } from "./attachments";
import { CHANNELS, NOTICE_KINDS, NOTICE_LOCALES, PRIORITIES, ROOT_CAUSES } from "./codes";
import { STATUSES } from "./complaint";
import { STATUTORY_RULES } from "./sla/statutory";

/**
 * What can happen to a complaint, as data: one payload schema per event type. The TypeScript types are
 * inferred from these schemas, stored audit events are validated against them when read back, and the
 * integration events published outside reuse their fields (integration-events.ts). Free text a person wrote
 * (notes, a customer's reply, a reason) is part of the complaint record, which only the owning team reads;
 * events are never logged, and the integration events leave that text out.
 */

const iso = z.iso.datetime({ offset: true }).describe("ISO-8601 instant");
const localDate = z.iso.date().describe("local date, YYYY-MM-DD");
const tier = z.number().int().min(0).max(3);
const outcome = z.enum(["upheld", "partially_upheld", "rejected"]);

/** A statutory deadline as an event records it (the rule and when it falls due). */
export const statutoryDueSchema = z.object({ rule: z.enum(STATUTORY_RULES), dueBy: iso }).strict();

/** Every event type and the payload it carries. Add types at the end; never rename one (the trail keeps them). */
export const EVENT_DATA = {
  ComplaintReceived: z
    .object({
      team: z.string(),
      priority: z.enum(PRIORITIES),
      rule: z.string().describe("the routing rule that matched"),
      codes: z.object({ channel: z.string(), businessType: z.string(), cause: z.string() }).strict(),
      policyVersion: z.string(),
      provisional: z.boolean(),
      repeatOf: z.string().nullable(),
    })
    .strict(),
  HandlingStarted: z.object({ team: z.string(), priority: z.enum(PRIORITIES) }).strict(),
  Claimed: z.object({ previousAssignee: z.string().nullable() }).strict(),
  NoteAdded: z.object({ note: z.string() }).strict(),
  InformationRequested: z.object({ replyBy: iso }).strict(),
  CustomerReplied: z.object({ pausedMinutes: z.number().int().nonnegative(), message: z.string() }).strict(),
  CustomerReplyOverdue: z.object({ pausedMinutes: z.number().int().nonnegative() }).strict(),
  SlaWarning: z.object({ resolveBy: iso }).strict(),
  SlaBreached: z.object({ resolveBy: iso }).strict(),
  StatutoryDeadlineBreached: statutoryDueSchema,
  Escalated: z
    .object({
      fromTier: tier,
      toTier: tier,
      reason: z.enum(["manual", "breach", "tier_timeout"]),
      /** What the person who escalated wrote (manual escalations only). */
      note: z.string().optional(),
      tierDueBy: iso.nullable(),
    })
    .strict(),
  Reassigned: z.object({ fromTeam: z.string(), toTeam: z.string(), reason: z.string() }).strict(),
  Extended: z
    .object({
      level: z.enum(["cn_30", "cn_60", "holding_reply"]),
      totalDays: z.number().int().nullable(),
      expectedBy: z.string().nullable(),
      approvedBy: z.string().nullable(),
      statutory: z.array(statutoryDueSchema),
    })
    .strict(),
  Resolved: z
    .object({
      outcome,
      cycle: z.number().int().positive(),
      rootCause: z.enum(ROOT_CAUSES).nullable(),
      remediationDueBy: localDate.nullable(),
    })
    .strict(),
  FeedbackReceived: z
    .object({ satisfaction: z.number().int().min(1).max(5), accepted: z.boolean() })
    .strict(),
  Reopened: z.object({ cycle: z.number().int().positive(), toTier: tier }).strict(),
  Closed: z.object({ outcome: outcome.nullable(), reason: z.enum(["accepted", "no_feedback"]) }).strict(),
  NeedsAttention: z.object({ reason: z.string() }).strict(),
  Resumed: z.object({ reason: z.string(), attempt: z.number().int().positive() }).strict(),
  /** A customer notice stored with the change that called for it; its text (personal data) is not here. */
  NoticeSent: z
    .object({
      noticeId: z.string(),
      kind: z.enum(NOTICE_KINDS),
      locale: z.enum(NOTICE_LOCALES),
      satisfies: z.object({ rule: z.enum(STATUTORY_RULES), dueBy: z.string(), met: z.boolean() }).nullable(),
    })
    .strict(),
  RemediationCompleted: z.object({ dueBy: z.string(), owner: z.string(), evidence: z.string() }).strict(),
  /** CN: an external appraisal, test or evaluation started; the statutory clock stops until it ends. */
  AppraisalStarted: z.object({ reason: z.string() }).strict(),
  /** The external appraisal ended; `stoppedDays` whole days were left out of the statutory period. */
  AppraisalEnded: z.object({ findings: z.string(), stoppedDays: z.number().int().nonnegative() }).strict(),
  /**
   * Deadlines recomputed under the calendars and rules in force (a calendar year loaded, a rule corrected):
   * each deadline that moved, from and to; `toldToCustomer` when a date the customer was given moved.
   */
  DeadlinesRecomputed: z
    .object({
      reason: z.enum(["calendar_loaded", "rules_corrected"]),
      detail: z.string(),
      changes: z.array(z.object({ deadline: z.string(), from: iso.nullable(), to: iso.nullable() }).strict()),
      toldToCustomer: z.boolean(),
      provisional: z.boolean(),
    })
    .strict(),
  /** The complaint repeats an open one of the same customer about the same business type. */
  RepeatDetected: z
    .object({
      repeatOf: z.string(),
      priorityBefore: z.enum(PRIORITIES),
      priorityAfter: z.enum(PRIORITIES),
      /** The internal targets recomputed for the raised priority. */
      firstResponseBy: iso,
      resolveBy: iso,
    })
    .strict(),
  /**
   * A file was asked to be attached (an upload URL was issued). The file name is metadata on the
   * attachment, not in the trail: it is what a person typed and may name the customer.
   */
  AttachmentRequested: z
    .object({
      attachmentId: z.string(),
      contentType: z.enum(ATTACHMENT_CONTENT_TYPES),
      size: z.number().int().positive(),
      sha256: z.string().describe("the declared SHA-256, base64"),
      uploadedBy: z.enum(["channel", "staff"]),
    })
    .strict(),
  /** The file's object arrived in the evidence store: what it measured. */
  AttachmentUploaded: z
    .object({
      attachmentId: z.string(),
      size: z.number().int().nonnegative(),
      sha256: z
        .string()
        .nullable()
        .describe("the SHA-256 of the stored content, base64 (null: not read, its size was already wrong)"),
    })
    .strict(),
  /** One check's verdict on the file (content by magic bytes, size and checksum; or the malware scan). */
  AttachmentChecked: z
    .object({
      attachmentId: z.string(),
      check: z.enum(ATTACHMENT_CHECKS),
      passed: z.boolean(),
      detail: z.string().describe("what the check found, e.g. the detected type or the scan's status"),
    })
    .strict(),
  /** Every required check passed: the file can be downloaded, and is kept until `retainUntil`. */
  AttachmentAvailable: z.object({ attachmentId: z.string(), sha256: z.string(), retainUntil: iso }).strict(),
  /** A check failed: the file is never served, and its object is deleted (never locked). */
  AttachmentRejected: z
    .object({
      attachmentId: z.string(),
      sha256: z.string().nullable().describe("the stored content's SHA-256, when it was read"),
      reason: z.enum(REJECTION_REASONS),
    })
    .strict(),
  /** Someone was given a download URL for the file (audit-only: the complaint keeps its version). */
  AttachmentDownloaded: z.object({ attachmentId: z.string(), sha256: z.string() }).strict(),
} as const;

export type DomainEventType = keyof typeof EVENT_DATA;
export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_DATA) as DomainEventType[];

/** The payload of each event type. */
export type EventData = { [T in DomainEventType]: z.infer<(typeof EVENT_DATA)[T]> };

/** Who did something: staff (by subject), a channel system, or the system itself (a named component). */
export const actorSchema = z.discriminatedUnion("kind", [
  z
    .object({ kind: z.literal("staff"), subject: z.string(), role: z.string(), teams: z.array(z.string()) })
    .strict(),
  z.object({ kind: z.literal("channel"), channel: z.enum(CHANNELS) }).strict(),
  z.object({ kind: z.literal("system"), component: z.string() }).strict(),
]);
export type Actor = z.infer<typeof actorSchema>;

const eventSchemaOf = <T extends DomainEventType>(type: T) =>
  z
    .object({
      type: z.literal(type),
      at: iso,
      actor: actorSchema,
      statusBefore: z.enum(STATUSES).optional(),
      statusAfter: z.enum(STATUSES),
      data: EVENT_DATA[type],
    })
    .strict();

type Status = (typeof STATUSES)[number];

/** The event of one type: what happened, when, by whom, the status it left the complaint in, and its payload. */
export interface EventOf<T extends DomainEventType> {
  type: T;
  at: string;
  actor: Actor;
  statusBefore?: Status;
  statusAfter: Status;
  data: EventData[T];
}

/** A domain event of any type (a union discriminated by `type`, so `data` narrows with it). */
export type DomainEvent = { [T in DomainEventType]: EventOf<T> }[DomainEventType];

/** A domain event of any type, as stored in the audit trail (validated on the way back in). */
export const domainEventSchema = z.discriminatedUnion("type", [
  eventSchemaOf("ComplaintReceived"),
  eventSchemaOf("HandlingStarted"),
  eventSchemaOf("Claimed"),
  eventSchemaOf("NoteAdded"),
  eventSchemaOf("InformationRequested"),
  eventSchemaOf("CustomerReplied"),
  eventSchemaOf("CustomerReplyOverdue"),
  eventSchemaOf("SlaWarning"),
  eventSchemaOf("SlaBreached"),
  eventSchemaOf("StatutoryDeadlineBreached"),
  eventSchemaOf("Escalated"),
  eventSchemaOf("Reassigned"),
  eventSchemaOf("Extended"),
  eventSchemaOf("Resolved"),
  eventSchemaOf("FeedbackReceived"),
  eventSchemaOf("Reopened"),
  eventSchemaOf("Closed"),
  eventSchemaOf("NeedsAttention"),
  eventSchemaOf("Resumed"),
  eventSchemaOf("NoticeSent"),
  eventSchemaOf("RemediationCompleted"),
  eventSchemaOf("RepeatDetected"),
  eventSchemaOf("AppraisalStarted"),
  eventSchemaOf("AppraisalEnded"),
  eventSchemaOf("DeadlinesRecomputed"),
  eventSchemaOf("AttachmentRequested"),
  eventSchemaOf("AttachmentUploaded"),
  eventSchemaOf("AttachmentChecked"),
  eventSchemaOf("AttachmentAvailable"),
  eventSchemaOf("AttachmentRejected"),
  eventSchemaOf("AttachmentDownloaded"),
]);

/** Compiles only while the union above lists every event type, each with its own payload. */
const everyType = <T extends true>(proof: T) => proof;
everyType<
  [Exclude<DomainEventType, z.output<typeof domainEventSchema>["type"]>] extends [never]
    ? [z.output<typeof domainEventSchema>] extends [DomainEvent]
      ? true
      : false
    : false
>(true);
