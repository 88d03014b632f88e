import { ATTACHMENT_CHECKS, ATTACHMENT_CONTENT_TYPES, REJECTION_REASONS } from "./attachments";
import { CHANNELS, NOTICE_KINDS, NOTICE_LOCALES, PRIORITIES, ROOT_CAUSES } from "./codes";
import { STATUSES } from "./complaint";
import { STATUTORY_RULES } from "./sla/statutory";
import * as z from "./zod";

/**
 * What can happen to a complaint, as data: one payload schema per event type. The TypeScript types are
 * inferred from these schemas, stored audit events are validated against them when read back, and the
 * integration events published outside reuse their fields (integration-events.ts). Free text a person wrote
 * (notes, a customer's reply, a reason) is part of the complaint record, which only the owning team reads;
 * events are never logged, and the integration events leave that text out.
 */

const iso = /* @__PURE__ */ (() => z.iso.datetime({ offset: true }).check(z.describe("ISO-8601 instant")))();
const localDate = /* @__PURE__ */ (() => z.iso.date().check(z.describe("local date, YYYY-MM-DD")))();
const tier = /* @__PURE__ */ (() => z.int().check(z.gte(0), z.lte(3)))();
const outcome = /* @__PURE__ */ (() => z.enum(["upheld", "partially_upheld", "rejected"]))();

/** A statutory deadline as an event records it (the rule and when it falls due). */
export const statutoryDueSchema = /* @__PURE__ */ (() =>
  z.strictObject({ rule: z.enum(STATUTORY_RULES), dueBy: iso }))();

/** Every event type and the payload it carries. Add types at the end; never rename one (the trail keeps them). */
export const EVENT_DATA = {
  ComplaintReceived: z.strictObject({
    team: z.string(),
    priority: z.enum(PRIORITIES),
    rule: z.string().check(z.describe("the routing rule that matched")),
    codes: z.strictObject({ channel: z.string(), businessType: z.string(), cause: z.string() }),
    policyVersion: z.string(),
    provisional: z.boolean(),
    repeatOf: z.nullable(z.string()),
  }),
  HandlingStarted: z.strictObject({ team: z.string(), priority: z.enum(PRIORITIES) }),
  Claimed: z.strictObject({ previousAssignee: z.nullable(z.string()) }),
  NoteAdded: z.strictObject({ note: z.string() }),
  InformationRequested: z.strictObject({ replyBy: iso }),
  CustomerReplied: z.strictObject({ pausedMinutes: z.int().check(z.nonnegative()), message: z.string() }),
  CustomerReplyOverdue: z.strictObject({ pausedMinutes: z.int().check(z.nonnegative()) }),
  SlaWarning: z.strictObject({ resolveBy: iso }),
  SlaBreached: z.strictObject({ resolveBy: iso }),
  StatutoryDeadlineBreached: statutoryDueSchema,
  Escalated: z.strictObject({
    fromTier: tier,
    toTier: tier,
    reason: z.enum(["manual", "breach", "tier_timeout"]),
    /** What the person who escalated wrote (manual escalations only). */
    note: z.optional(z.string()),
    tierDueBy: z.nullable(iso),
  }),
  Reassigned: z.strictObject({ fromTeam: z.string(), toTeam: z.string(), reason: z.string() }),
  Extended: z.strictObject({
    level: z.enum(["cn_30", "cn_60", "holding_reply"]),
    totalDays: z.nullable(z.int()),
    expectedBy: z.nullable(z.string()),
    approvedBy: z.nullable(z.string()),
    statutory: z.array(statutoryDueSchema),
  }),
  Resolved: z.strictObject({
    outcome,
    cycle: z.int().check(z.positive()),
    rootCause: z.nullable(z.enum(ROOT_CAUSES)),
    remediationDueBy: z.nullable(localDate),
  }),
  FeedbackReceived: z.strictObject({
    satisfaction: z.int().check(z.gte(1), z.lte(5)),
    accepted: z.boolean(),
  }),
  Reopened: z.strictObject({ cycle: z.int().check(z.positive()), toTier: tier }),
  Closed: z.strictObject({ outcome: z.nullable(outcome), reason: z.enum(["accepted", "no_feedback"]) }),
  NeedsAttention: z.strictObject({ reason: z.string() }),
  Resumed: z.strictObject({ reason: z.string(), attempt: z.int().check(z.positive()) }),
  /** A customer notice stored with the change that called for it; its text (personal data) is not here. */
  NoticeSent: z.strictObject({
    noticeId: z.string(),
    kind: z.enum(NOTICE_KINDS),
    locale: z.enum(NOTICE_LOCALES),
    satisfies: z.nullable(z.object({ rule: z.enum(STATUTORY_RULES), dueBy: z.string(), met: z.boolean() })),
  }),
  RemediationCompleted: z.strictObject({ dueBy: z.string(), owner: z.string(), evidence: z.string() }),
  /** CN: an external appraisal, test or evaluation started; the statutory clock stops until it ends. */
  AppraisalStarted: z.strictObject({ reason: z.string() }),
  /** The external appraisal ended; `stoppedDays` whole days were left out of the statutory period. */
  AppraisalEnded: z.strictObject({ findings: z.string(), stoppedDays: z.int().check(z.nonnegative()) }),
  /**
   * Deadlines recomputed under the calendars and rules in force (a calendar year loaded, a rule corrected):
   * each deadline that moved, from and to; `toldToCustomer` when a date the customer was given moved.
   */
  DeadlinesRecomputed: z.strictObject({
    reason: z.enum(["calendar_loaded", "rules_corrected"]),
    detail: z.string(),
    changes: z.array(z.strictObject({ deadline: z.string(), from: z.nullable(iso), to: z.nullable(iso) })),
    toldToCustomer: z.boolean(),
    provisional: z.boolean(),
  }),
  /** The complaint repeats an open one of the same customer about the same business type. */
  RepeatDetected: z.strictObject({
    repeatOf: z.string(),
    priorityBefore: z.enum(PRIORITIES),
    priorityAfter: z.enum(PRIORITIES),
    /** The internal targets recomputed for the raised priority. */
    firstResponseBy: iso,
    resolveBy: iso,
  }),
  /**
   * A file was asked to be attached (an upload URL was issued). The file name is metadata on the
   * attachment, not in the trail: it is what a person typed and may name the customer.
   */
  AttachmentRequested: z.strictObject({
    attachmentId: z.string(),
    contentType: z.enum(ATTACHMENT_CONTENT_TYPES),
    size: z.int().check(z.positive()),
    sha256: z.string().check(z.describe("the declared SHA-256, base64")),
    uploadedBy: z.enum(["channel", "staff"]),
  }),
  /** The file's object arrived in the evidence store: what it measured. */
  AttachmentUploaded: z.strictObject({
    attachmentId: z.string(),
    size: z.int().check(z.nonnegative()),
    sha256: z
      .nullable(z.string())
      .check(
        z.describe("the SHA-256 of the stored content, base64 (null: not read, its size was already wrong)"),
      ),
  }),
  /** One check's verdict on the file (content by magic bytes, size and checksum; or the malware scan). */
  AttachmentChecked: z.strictObject({
    attachmentId: z.string(),
    check: z.enum(ATTACHMENT_CHECKS),
    passed: z.boolean(),
    detail: z.string().check(z.describe("what the check found, e.g. the detected type or the scan's status")),
  }),
  /** Every required check passed: the file can be downloaded, and is kept until `retainUntil`. */
  AttachmentAvailable: z.strictObject({ attachmentId: z.string(), sha256: z.string(), retainUntil: iso }),
  /** A check failed: the file is never served, and its object is deleted (never locked). */
  AttachmentRejected: z.strictObject({
    attachmentId: z.string(),
    sha256: z.nullable(z.string()).check(z.describe("the stored content's SHA-256, when it was read")),
    reason: z.enum(REJECTION_REASONS),
  }),
  /** Someone was given a download URL for the file (audit-only: the complaint keeps its version). */
  AttachmentDownloaded: z.strictObject({ attachmentId: z.string(), sha256: z.string() }),
} as const;

export type DomainEventType = keyof typeof EVENT_DATA;
export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_DATA) as DomainEventType[];

/** The payload of each event type. */
export type EventData = { [T in DomainEventType]: z.infer<(typeof EVENT_DATA)[T]> };

/** Who did something: staff (by subject), a channel system, or the system itself (a named component). */
export const actorSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("staff"),
      subject: z.string(),
      role: z.string(),
      teams: z.array(z.string()),
    }),
    z.strictObject({ kind: z.literal("channel"), channel: z.enum(CHANNELS) }),
    z.strictObject({ kind: z.literal("system"), component: z.string() }),
  ]))();
export type Actor = z.infer<typeof actorSchema>;

const eventSchemaOf = <T extends DomainEventType>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    at: iso,
    actor: actorSchema,
    statusBefore: z.optional(z.enum(STATUSES)),
    statusAfter: z.enum(STATUSES),
    data: EVENT_DATA[type],
  });

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
export const domainEventSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion("type", [
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
  ]))();

/** Compiles only while the union above lists every event type, each with its own payload. */
const everyType = <T extends true>(proof: T) => proof;
everyType<
  [Exclude<DomainEventType, z.output<typeof domainEventSchema>["type"]>] extends [never]
    ? [z.output<typeof domainEventSchema>] extends [DomainEvent]
      ? true
      : false
    : false
>(true);
