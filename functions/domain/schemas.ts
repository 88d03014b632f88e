import { ATTACHMENT_CHECKS, ATTACHMENT_STATUSES, REJECTION_REASONS } from "./attachments";
import { CALENDAR_YEAR_STATUSES } from "./calendar/business-calendar";
import { MAX_CALENDAR_YEAR, MIN_CALENDAR_YEAR } from "./calendar/calendar-year";
import { CALENDAR_IDS } from "./calendar/definitions";
import {
  BUSINESS_TYPES,
  CAUSES,
  CHANNELS,
  JURISDICTIONS,
  NOTICE_KINDS,
  NOTICE_LOCALES,
  PRIORITIES,
  ROLES,
  ROOT_CAUSES,
  SEGMENTS,
} from "./codes";
import { STATUSES } from "./complaint";
import { domainEventSchema } from "./events";
import { STAFF_ACTIONS } from "./lifecycle";
import { STATUTORY_RULES } from "./sla/statutory";
import * as z from "./zod";

/**
 * Request and response schemas: the one source for validation, TypeScript types and the API
 * documentation. Limits are deliberate: they bound what a client can make us store.
 */

const currency = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code such as CNY"),
      z.describe("ISO 4217 currency code"),
    ))();

export const moneySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    amount: z
      .string()
      .check(
        z.regex(/^(0|[1-9]\d{0,14})(\.\d{1,2})?$/, "must be a non-negative decimal string such as '1250.00'"),
        z.describe("decimal string, at most two decimal places"),
      ),
    currency,
  }))();
export type Money = z.infer<typeof moneySchema>;

/**
 * Free text a person wrote: trimmed, bounded, and only characters that show what they say. Refused, each
 * with its own message: control characters (C0 other than line breaks and tabs, DEL, and C1
 * U+0080-U+009F); bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text
 * read differently from how it is stored ("Trojan Source"); zero-width spaces (U+200B, U+FEFF), which hide
 * inside names and references; U+FFFD, the mark a decoder leaves where bytes were not text (on AWS, API
 * Gateway turns invalid UTF-8 into it); and lone surrogates. The zero-width joiner (U+200D) and non-joiner
 * (U+200C) stay: emoji sequences and several scripts need them.
 */
const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1, "must not be empty"),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((s) => !hasControlCharacters(s), "must not contain control characters"),
    z.refine(
      (s) => !BIDI_CONTROLS.test(s),
      "must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)",
    ),
    z.refine((s) => !ZERO_WIDTH_SPACES.test(s), "must not contain zero-width spaces (U+200B, U+FEFF)"),
    z.refine(
      (s) => !s.includes("\uFFFD"),
      "must not contain U+FFFD (the replacement character: the text was not decoded correctly)",
    ),
    // A lone UTF-16 surrogate is not text: it cannot be stored or sent on as UTF-8 (found by fuzzing).
    z.refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode text"),
  );

const LONE_SURROGATE = /\p{Cs}/u;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const ZERO_WIDTH_SPACES = /[\u200B\uFEFF]/u;

const hasControlCharacters = (s: string): boolean => {
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 0x20 && ch !== "\n" && ch !== "\r" && ch !== "\t") || code === 0x7f) return true;
    if (code >= 0x80 && code <= 0x9f) return true;
  }
  return false;
};

/** The years a date we are given can plausibly be in; outside them it is a typo (0000-01-01, 2206-12-01). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;
const plausibleYear = (s: string) => {
  const year = Number(s.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
};
const IMPLAUSIBLE = `must be in the years ${FIRST_YEAR}-${LAST_YEAR}`;

/** A calendar date (YYYY-MM-DD) in the years 1900-2100: every date a request carries uses this one. */
export const calendarDateSchema = /* @__PURE__ */ (() =>
  z.iso.date().check(z.refine(plausibleYear, IMPLAUSIBLE)))();

/** An ISO-8601 instant with an offset, in the years 1900-2100 (as written, in its own offset). */
export const instantSchema = /* @__PURE__ */ (() =>
  z.iso.datetime({ offset: true }).check(z.refine(plausibleYear, IMPLAUSIBLE)))();

/**
 * A whole number in a query string, in plain decimal digits: `10`, never `0x10`, `1e1`, ` 5` or `+5`
 * (which `Number()`, and so `z.coerce.number()`, would read). Every query schema's numbers use this one;
 * `fallback` is the value when the parameter is left out.
 */
export const queryInteger = (min: number, max: number, fallback?: number) => {
  const number = z.pipe(
    z.pipe(
      z.string().check(z.regex(/^[0-9]{1,15}$/, "must be a whole number in plain digits, such as 10")),
      z.transform(Number),
    ),
    z.int().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`)),
  );
  const about = `a whole number from ${min} to ${max}, in plain digits`;
  return fallback === undefined
    ? number.check(z.describe(about))
    : z._default(number, fallback).check(z.describe(`${about} (default ${fallback})`));
};

const identifier = /* @__PURE__ */ (() =>
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, "must be 1-64 letters, digits or . _ : -")))();

export const customerSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    id: identifier.check(z.describe("the bank's customer identifier")),
    segment: z.enum(SEGMENTS),
    name: z.optional(text(200)),
    phone: z.optional(z.string().check(z.regex(/^\+?[0-9 ()-]{5,24}$/, "must be a phone number"))),
    email: z.optional(z.email("must be an e-mail address").check(z.maxLength(254))),
    locale: z
      .optional(z.enum(NOTICE_LOCALES))
      .check(z.describe("notice language; default: the jurisdiction's")),
  }))();

export const flagsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    vulnerableCustomer: z.optional(z.boolean()),
    mediaRisk: z.optional(z.boolean()),
    regulatorReferral: z.optional(z.boolean()),
    paymentServices: z
      .optional(z.boolean())
      .check(
        z.describe(
          "the complaint is about a payment service (PSD2, FCA DISP 1.6.2A); default: true for payments, cards and e_banking",
        ),
      ),
  }))();

/** Body of `POST /complaints`. */
export const intakeRequestSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    customer: customerSchema,
    businessType: z.enum(BUSINESS_TYPES),
    cause: z.enum(CAUSES),
    description: text(8000),
    jurisdiction: z.optional(z.enum(JURISDICTIONS)),
    amountInDispute: z.optional(moneySchema),
    branch: z.optional(identifier).check(z.describe("branch or region code that received the complaint")),
    region: z
      .optional(
        z
          .string()
          .check(
            z.regex(
              /^[A-Z]{2}-[A-Z0-9]{1,3}$/,
              "must be an ISO 3166-2 subdivision code such as CN-BJ or GB-SCT",
            ),
          ),
      )
      .check(
        z.describe(
          "ISO 3166-2 subdivision of the complaint's jurisdiction where it is handled; for GB it picks the calendar (GB-ENG, GB-WLS: England and Wales; GB-SCT; GB-NIR)",
        ),
      ),
    receivedAt: z
      .optional(z.iso.datetime({ offset: true }))
      .check(
        z.describe(
          "when the bank received it (paper at a branch, by phone, a regulator's referral): an instant with an offset, not in the future, at most 30 days back; every clock starts there. Default: now",
        ),
      ),
    flags: z.optional(flagsSchema),
  }))();
export type IntakeRequest = z.infer<typeof intakeRequestSchema>;

export const idempotencyKeySchema = /* @__PURE__ */ (() =>
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9._:-]{8,128}$/, "must be 8-128 characters of letters, digits or . _ : -")))();

/** A remediation action a resolution commits the bank to (fix the process, the product, the branch). */
export const remediationSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    description: text(1000),
    owner: text(200).check(z.describe("the team or role that owns the action")),
    dueBy: calendarDateSchema.check(z.describe("local date in the complaint's jurisdiction")),
  }))();
export type Remediation = z.infer<typeof remediationSchema>;

export const resolutionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    outcome: z.enum(["upheld", "partially_upheld", "rejected"]),
    summary: text(4000),
    remedy: z.optional(moneySchema),
    rootCause: z.enum(ROOT_CAUSES).check(z.describe("what the complaint reveals (see ROOT_CAUSES)")),
    remediation: z.optional(remediationSchema),
  }))();
export type Resolution = z.infer<typeof resolutionSchema>;

/** Body of `POST /staff/complaints/{id}/actions`, discriminated by `type`. */
export const staffActionSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("claim"),
      takeOver: z
        .optional(z.boolean())
        .check(
          z.describe(
            "a supervisor or manager takes a complaint someone else holds (recorded); without it that is a 409",
          ),
        ),
    }),
    z.strictObject({ type: z.literal("note"), note: text(4000) }),
    z.strictObject({
      type: z.literal("complete_remediation"),
      evidence: text(2000).check(z.describe("what was done (kept in the audit trail)")),
    }),
    z.strictObject({ type: z.literal("request_info"), question: text(2000) }),
    z
      .strictObject({
        type: z.literal("start_appraisal"),
        reason: text(1000).check(
          z.describe("what an external body is asked to appraise, test or evaluate (told to the customer)"),
        ),
      })
      .check(
        z.describe(
          "CN: an external appraisal, test or evaluation starts; the statutory clock stops (CBIRC Measures art. 20)",
        ),
      ),
    z
      .strictObject({
        type: z.literal("end_appraisal"),
        findings: text(4000).check(z.describe("what the appraisal found (kept in the audit trail)")),
      })
      .check(z.describe("CN: the external appraisal is over; the statutory clock runs again")),
    z.strictObject({ type: z.literal("resolve"), resolution: resolutionSchema }),
    z.strictObject({
      type: z.literal("reassign"),
      team: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, "must be a team name such as 'cards'")),
      reason: text(1000),
    }),
    z.strictObject({ type: z.literal("escalate"), reason: text(1000) }),
    z.strictObject({
      type: z.literal("extend"),
      level: z.enum(["cn_30", "cn_60", "holding_reply"]),
      totalDays: z
        .optional(z.int().check(z.gte(16), z.lte(366)))
        .check(z.describe("CN: the total period in days")),
      expectedBy: z
        .optional(calendarDateSchema)
        .check(
          z.describe(
            "GB eight-week holding response (not payment services): the local date the final response is expected by; required there, refused elsewhere",
          ),
        ),
      reason: text(1000).check(
        z.describe(
          "why more time is needed; in a GB eight-week holding response it is quoted to the customer",
        ),
      ),
    }),
    z
      .strictObject({ type: z.literal("resume"), reason: text(1000) })
      .check(z.describe("supervisor or manager: return a needs_attention complaint to in_progress")),
  ]))();
export type StaffAction = z.infer<typeof staffActionSchema>;

/** Body of `POST /complaints/{id}/customer-reply`. */
export const customerReplySchema = /* @__PURE__ */ (() => z.strictObject({ message: text(4000) }))();
export type CustomerReply = z.infer<typeof customerReplySchema>;

/** Body of `POST /complaints/{id}/feedback`. */
export const feedbackSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    satisfaction: z
      .int()
      .check(z.gte(1), z.lte(5), z.describe("1 (very dissatisfied) to 5 (very satisfied)")),
    outcome: z.enum(["accept", "reopen"]),
    comment: z.optional(text(2000)),
  }))();
export type Feedback = z.infer<typeof feedbackSchema>;

export const complaintIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be a complaint id (ULID)")))();
/** The reference a customer quotes (see `formatReference`): `CMP-<local date>-<daily sequence>`. */
const REFERENCE = /^CMP-\d{8}-\d{6,}$/;
/** A complaint named by its id or by its reference: what a person reading a complaint has at hand. */
export const complaintLookupSchema = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.refine(
        (s) => complaintIdSchema.safeParse(s).success || REFERENCE.test(s),
        "must be a complaint id (ULID) or a reference (CMP-YYYYMMDD-NNNNNN)",
      ),
    ))();
export const isComplaintReference = (s: string): boolean => REFERENCE.test(s);
export const teamSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/, "must be a team name such as 'cards'")))();

export const queueQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    limit: queryInteger(1, 100, 25),
    cursor: z.optional(z.string().check(z.maxLength(512))),
    stage: z.optional(
      z.enum(["received", "in_progress", "awaiting_customer", "awaiting_feedback", "needs_attention"]),
    ),
    tier: z.optional(queryInteger(0, 3)),
    priority: z.optional(z.enum(PRIORITIES)),
    sla: z
      .optional(z.enum(["on_track", "at_risk", "breached"]))
      .check(z.describe("at_risk: warned; breached: past due")),
  }))();

export type QueueQuery = z.infer<typeof queueQuerySchema>;

export const deadlinesSchema = /* @__PURE__ */ (() =>
  z.object({
    acknowledgedAt: z.string().check(z.describe("ISO-8601 with the calendar's offset")),
    firstResponseBy: z.string(),
    resolveBy: z.string(),
    warningAt: z.string(),
    statutory: z.array(
      z.object({
        rule: z.enum(STATUTORY_RULES),
        dueBy: z.string(),
        paused: z.optional(z.boolean()),
        window: z
          .optional(z.boolean())
          .check(
            z.describe("an option with an end, not an obligation (FCA summary resolution): never breached"),
          ),
        breached: z.optional(z.boolean()),
      }),
    ),
    tier: z.int(),
    tierDueBy: z.optional(z.string()),
    calendar: z.string(),
    timeZone: z
      .string()
      .check(z.describe("the calendar's IANA time zone: show dates in it (e.g. Asia/Shanghai)")),
    provisional: z.boolean().check(z.describe("a deadline reaches a year whose holidays are not loaded")),
    businessTime: z.object({ usedMinutes: z.number(), remainingMinutes: z.number() }),
  }))();

/** What a channel system sees of a complaint (never task tokens, never internal notes). */
export const complaintViewSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    reference: z.string(),
    channel: z.enum(CHANNELS),
    status: z.enum(STATUSES),
    team: z.string(),
    priority: z.enum(PRIORITIES),
    tier: z.int(),
    jurisdiction: z.enum(JURISDICTIONS),
    businessType: z.enum(BUSINESS_TYPES),
    cause: z.enum(CAUSES),
    region: z
      .optional(z.string())
      .check(z.describe("ISO 3166-2 subdivision where it is handled (it picked the calendar)")),
    receivedAt: z.string().check(z.describe("when the bank received it: every clock starts here")),
    recordedAt: z.string().check(z.describe("when it was recorded in this system (the acknowledgement)")),
    deadlines: deadlinesSchema,
    resolution: z.optional(z.pick(resolutionSchema, { outcome: true, summary: true, remedy: true })),
    pendingQuestion: z.optional(z.object({ question: z.string(), askedAt: z.string(), replyBy: z.string() })),
    feedback: z.optional(z.object({ satisfaction: z.number(), accepted: z.boolean(), at: z.string() })),
    feedbackDueBy: z.optional(z.string()),
    cycle: z.int(),
    closedAt: z.optional(z.string()),
    version: z
      .int()
      .check(
        z.describe(
          "changes with every change of the complaint (not with an audit-only record); the ETag is it, quoted",
        ),
      ),
  }))();
export type ComplaintView = z.infer<typeof complaintViewSchema>;

export const intakeResponseSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    reference: z.string(),
    status: z.enum(STATUSES),
    team: z.string(),
    priority: z.enum(PRIORITIES),
    deadlines: deadlinesSchema,
  }))();
export type IntakeResponse = z.infer<typeof intakeResponseSchema>;

export const errorResponseSchema = /* @__PURE__ */ (() =>
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.optional(z.unknown()),
    }),
  }))();

/** An attachment's id (a ULID, like a complaint's). */
export const attachmentIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be an attachment id (ULID)")))();

/** A file's name as the uploader gave it: a name only, never a path (it is kept as metadata, not a key). */
const fileNameSchema = /* @__PURE__ */ (() =>
  text(255).check(
    z.refine((s) => !/[/\\]/.test(s) && s !== "." && s !== "..", "must be a file name, not a path"),
    z.describe("the file's name as shown to people (metadata only)"),
  ))();

/** Body of `POST /complaints/{id}/attachments` and `POST /staff/complaints/{id}/attachments`. */
export const attachmentUploadRequestSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    fileName: fileNameSchema,
    contentType: z
      .string()
      .check(
        z.regex(/^[a-z]+\/[a-z0-9.+-]{1,80}$/, "must be a media type such as application/pdf"),
        z.describe(
          "PDF, JPEG, PNG, HEIC, MP3 (audio/mpeg), M4A (audio/mp4), WAV (audio/wav) or MP4 (video/mp4)",
        ),
      ),
    size: z
      .number()
      .check(
        z.int("must be a whole number of bytes"),
        z.gte(1, "must be at least 1 byte"),
        z.lte(Number.MAX_SAFE_INTEGER),
        z.describe("bytes: at most 25 MiB, audio and video at most 200 MiB"),
      ),
    sha256: z
      .string()
      .check(
        z.regex(/^[A-Za-z0-9+/]{43}=$/, "must be the file's SHA-256 digest in base64 (44 characters)"),
        z.describe("SHA-256 of the file, base64: S3 refuses an upload whose content does not match"),
      ),
  }))();
export type AttachmentUploadRequest = z.infer<typeof attachmentUploadRequestSchema>;

/** The answer to an upload request: where to PUT the file, with which headers, until when. */
export const attachmentUploadResponseSchema = /* @__PURE__ */ (() =>
  z.object({
    attachmentId: z.string(),
    uploadUrl: z
      .string()
      .check(z.describe("presigned S3 PUT; send the file as the body with `uploadHeaders`")),
    uploadHeaders: z
      .record(z.string(), z.string())
      .check(z.describe("Content-Type, Content-Length, x-amz-checksum-sha256")),
    expiresAt: z.string().check(z.describe("the URL is refused after this instant")),
  }))();

/** A file attached to a complaint, as readers see it (no URL: ask for a download). */
export const attachmentViewSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.int(),
    sha256: z.string(),
    uploadedBy: z.enum(["channel", "staff"]),
    status: z
      .enum(ATTACHMENT_STATUSES)
      .check(z.describe("pending until checked; only available files download")),
    reason: z.optional(z.enum(REJECTION_REASONS)).check(z.describe("why a rejected file was refused")),
    checks: z.partialRecord(z.enum(ATTACHMENT_CHECKS), z.enum(["passed", "failed"])),
    requestedAt: z.string(),
    uploadedAt: z.optional(z.string()),
    availableAt: z.optional(z.string()),
    rejectedAt: z.optional(z.string()),
    retainUntil: z
      .optional(z.string())
      .check(
        z.describe("an available file is kept (locked) at least until then: the period runs from closure"),
      ),
  }))();

/** `GET /complaints/{id}/attachments` (and the staff route). */
export const attachmentListSchema = /* @__PURE__ */ (() =>
  z.object({
    complaintId: z.string(),
    items: z.array(attachmentViewSchema),
  }))();

/** A download: a short-lived presigned GET of the file. */
export const attachmentDownloadSchema = /* @__PURE__ */ (() =>
  z.object({
    attachmentId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    size: z.int(),
    sha256: z.string(),
    downloadUrl: z
      .string()
      .check(z.describe("presigned S3 GET, served as an attachment under its file name")),
    expiresAt: z.string(),
  }))();

/** One entry of the audit trail: a domain event with its place in the hash chain. */
export const auditEntrySchema = /* @__PURE__ */ (() =>
  z.intersection(
    domainEventSchema,
    z.object({
      seq: z.int(),
      prevHash: z.string().check(z.describe("the previous entry's hash (the chain)")),
      hash: z.string(),
    }),
  ))();

const slaPhaseSchema = /* @__PURE__ */ (() => z.enum(["on_track", "at_risk", "breached"]))();

/**
 * What staff of the complaint's team (and managers) see: the handlers build it in `views.ts`. Every field
 * returned is declared; fields may be added later, and clients ignore the ones they do not know.
 */
export const staffViewSchema = /* @__PURE__ */ (() =>
  z.extend(complaintViewSchema, {
    allowedActions: z
      .array(z.enum(STAFF_ACTIONS))
      .check(
        z.describe(
          "the actions the caller's role may take now (the lifecycle table, less what the role may not do)",
        ),
      ),
    customer: z.object({
      id: z.string(),
      segment: z.enum(SEGMENTS),
      name: z.optional(z.string()),
      phone: z.optional(z.string()),
      email: z.optional(z.string()),
      locale: z.optional(z.string()),
    }),
    description: z.string(),
    codes: z
      .object({ channel: z.string(), businessType: z.string(), cause: z.string() })
      .check(z.describe("JR/T 0169 codes: channel A, business type B, cause C")),
    flags: z.object({
      vulnerableCustomer: z.boolean(),
      mediaRisk: z.boolean(),
      regulatorReferral: z.boolean(),
      repeat: z.boolean(),
      paymentServices: z.optional(z.boolean()),
    }),
    severity: z.enum(["low", "medium", "high"]),
    assignee: z.nullable(z.string()),
    slaPhase: slaPhaseSchema,
    policyVersion: z.string().check(z.describe("the SLA policy version the complaint runs under")),
    pauses: z.array(
      z.object({
        reason: z.enum(["awaiting_customer", "external_appraisal"]),
        start: z.string(),
        end: z.optional(z.string()),
      }),
    ),
    resolution: z.optional(
      z.object({
        outcome: z.enum(["upheld", "partially_upheld", "rejected"]),
        summary: z.string(),
        remedy: z.optional(moneySchema),
        rootCause: z
          .optional(z.enum(ROOT_CAUSES))
          .check(z.describe("absent on resolutions recorded before root causes")),
        resolvedBy: z.string(),
        resolvedAt: z.string(),
      }),
    ),
    extension: z.nullable(
      z.object({
        level: z.enum(["cn_30", "cn_60", "holding_reply"]),
        totalDays: z.optional(z.int()),
        expectedBy: z.optional(z.string()),
        approvedBy: z.optional(
          z.object({ role: z.enum(["supervisor", "manager"]), subject: z.string(), at: z.string() }),
        ),
        reason: z.optional(z.string()),
      }),
    ),
    amountInDispute: z.nullable(moneySchema),
    branch: z.nullable(z.string()),
    repeatOf: z
      .nullable(z.string())
      .check(z.describe("the open complaint of the same customer this one repeats")),
    tierSince: z.nullable(z.string()).check(z.describe("when the current tier was called in")),
    statutoryBreaches: z
      .array(z.string())
      .check(z.describe("statutory rules whose deadline passed (each once)")),
    version: z.int().check(z.describe("optimistic-locking version of the stored complaint")),
    repeatedBy: z.optional(z.array(z.string())),
    remediation: z
      .nullable(
        z.extend(remediationSchema, {
          completedAt: z.nullable(z.string()),
          completedBy: z.nullable(z.string()),
        }),
      )
      .check(z.describe("the resolution's remediation action and whether it is done (complete_remediation)")),
    attachments: z
      .array(attachmentViewSchema)
      .check(z.describe("the complaint's files (see the attachments routes)")),
    audit: z
      .optional(z.array(auditEntrySchema))
      .check(z.describe("the tamper-evident audit trail (GET /staff/complaints/{id} only)")),
  }))();

export const queuePageSchema = /* @__PURE__ */ (() =>
  z.object({
    team: z.string(),
    items: z.array(
      z.object({
        id: z.string(),
        reference: z.string(),
        status: z.enum(STATUSES),
        priority: z.enum(PRIORITIES),
        tier: z.int(),
        segment: z.enum(SEGMENTS),
        businessType: z.enum(BUSINESS_TYPES),
        assignee: z.nullable(z.string()),
        slaPhase: slaPhaseSchema,
        receivedAt: z.string(),
        dueBy: z
          .string()
          .check(z.describe("the current tier's due time, in the complaint calendar's offset")),
        statutoryDueBy: z
          .nullable(z.string())
          .check(
            z.describe("the earliest statutory deadline, in the calendar's offset (null: none applies)"),
          ),
        businessMinutesLeft: z
          .number()
          .check(z.describe("business minutes left to the internal resolution target (negative: past it)")),
        timeZone: z.string().check(z.describe("the complaint calendar's IANA time zone")),
      }),
    ),
    nextCursor: z
      .nullable(z.string())
      .check(z.describe("pass as `cursor` for the next page; null on the last page")),
  }))();

/** `GET /teams` takes no query: an unknown parameter is refused rather than ignored (as `GET /calendars`). */
export const teamsQuerySchema = /* @__PURE__ */ (() => z.strictObject({}))();

/** `GET /teams`: the teams complaints are routed to. */
export const teamsSchema = /* @__PURE__ */ (() =>
  z.object({
    teams: z.array(
      z.object({
        team: z.string(),
        member: z.boolean().check(z.describe("the caller belongs to this team")),
      }),
    ),
  }))();

/**
 * A customer notice as the domain holds it (`CustomerNotice`): what is stored under the complaint and what
 * its channel and staff read. Personal data only in `content`.
 */
export const customerNoticeSchema = /* @__PURE__ */ (() =>
  z.object({
    noticeId: z.string(),
    complaintId: z.string(),
    reference: z.string(),
    channel: z.enum(CHANNELS),
    jurisdiction: z.enum(JURISDICTIONS),
    kind: z.enum(NOTICE_KINDS),
    locale: z.enum(NOTICE_LOCALES),
    at: z.string(),
    satisfies: z
      .nullable(z.object({ rule: z.enum(STATUTORY_RULES), dueBy: z.string(), met: z.boolean() }))
      .check(z.describe("the statutory deadline the notice satisfies, and whether it was sent in time")),
    content: z.object({
      to: z.object({
        customerId: z.string(),
        name: z.optional(z.string()),
        email: z.optional(z.string()),
        phone: z.optional(z.string()),
      }),
      subject: z.string(),
      body: z.string(),
    }),
  }))();

/** `GET /complaints/{id}/notices` and `GET /staff/complaints/{id}/notices`. */
export const noticeListSchema = /* @__PURE__ */ (() =>
  z.object({
    complaintId: z.string(),
    reference: z.string(),
    notices: z.array(
      z.object({
        seq: z.int(),
        ...customerNoticeSchema.shape,
        deliveredAt: z.optional(z.string()).check(z.describe("when the messaging service took it")),
      }),
    ),
  }))();

export const auditVerificationSchema = /* @__PURE__ */ (() =>
  z.object({
    complaintId: z.string(),
    valid: z.boolean(),
    events: z.int(),
    brokenAt: z.optional(
      z.object({ seq: z.int(), reason: z.enum(["sequence", "previous_hash", "content_hash"]) }),
    ),
    lastHash: z.string(),
  }))();

/** `PUT /calendars/{id}/years/{year}`: the calendar (an id or alias; an unknown one is a 404) and the year. */
export const calendarYearParams = /* @__PURE__ */ (() =>
  z.object({
    id: z
      .string()
      .check(
        z.regex(/^[A-Z]{2}(-[A-Z]{2,3})?$/, "must be a calendar id such as CN, GB-SCT or EU"),
        z.describe(`a calendar id (${CALENDAR_IDS.join(", ")}) or alias (GB)`),
      ),
    year: z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{4}$/, "must be a four-digit year")), z.transform(Number)),
      z
        .number()
        .check(
          z.gte(MIN_CALENDAR_YEAR, `must be between ${MIN_CALENDAR_YEAR} and ${MAX_CALENDAR_YEAR}`),
          z.lte(MAX_CALENDAR_YEAR, `must be between ${MIN_CALENDAR_YEAR} and ${MAX_CALENDAR_YEAR}`),
        ),
    ),
  }))();

const calendarYearViewSchema = /* @__PURE__ */ (() =>
  z.object({
    year: z.int(),
    status: z.enum(CALENDAR_YEAR_STATUSES),
    source: z.string(),
    origin: z
      .enum(["shipped", "loaded"])
      .check(z.describe("shipped with the code, or loaded by an operator")),
    loadedAt: z.optional(z.string()),
    loadedBy: z.optional(z.string()),
    loadId: z.optional(z.string()),
  }))();

const calendarViewSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.enum(CALENDAR_IDS),
    aliases: z.array(z.string()),
    timeZone: z.string(),
    confirmedThrough: z
      .nullable(z.string())
      .check(
        z.describe(
          "last day of the run of confirmed years from the current one (null: this year is not confirmed)",
        ),
      ),
    horizonDays: z.int().check(z.describe("days of confirmed calendar ahead of today (CalendarHorizonDays)")),
    years: z.array(calendarYearViewSchema),
  }))();

const calendarLoadRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    loadId: z.string(),
    calendar: z.enum(CALENDAR_IDS),
    year: z.int(),
    source: z.string(),
    by: z.object({ subject: z.string(), role: z.enum(ROLES) }),
    at: z.string(),
    replaced: z.nullable(
      z.object({
        status: z.enum(CALENDAR_YEAR_STATUSES),
        source: z.string(),
        origin: z.enum(["shipped", "loaded"]),
      }),
    ),
    holidays: z.int(),
    workdays: z.int(),
    version: z.int(),
  }))();

const recomputeJobViewSchema = /* @__PURE__ */ (() =>
  z.object({
    jobId: z.string(),
    reason: z.enum(["calendar_loaded", "rules_corrected"]),
    detail: z.string(),
    calendars: z.array(z.enum(CALENDAR_IDS)),
    status: z.enum(["pending", "done"]),
    runAfter: z.string().check(z.describe("not before every container has seen the new data")),
    createdAt: z.string(),
    counts: z.object({ seen: z.number(), changed: z.number(), unchanged: z.number(), failed: z.number() }),
    finishedAt: z.optional(z.string()),
  }))();

export const calendarsViewSchema = /* @__PURE__ */ (() =>
  z.object({
    calendars: z.array(calendarViewSchema),
    loads: z.array(calendarLoadRecordSchema).check(z.describe("the 20 most recent loads, newest first")),
    jobs: z
      .array(recomputeJobViewSchema)
      .check(z.describe("the 10 most recent recompute jobs, newest first")),
  }))();

export const calendarLoadResultSchema = /* @__PURE__ */ (() =>
  z.object({
    changed: z
      .boolean()
      .check(z.describe("false when the year was already in force exactly so (nothing stored)")),
    calendar: calendarViewSchema,
    load: z.nullable(calendarLoadRecordSchema),
    job: z.nullable(recomputeJobViewSchema),
  }))();

/** `GET /calendars` takes no query: an unknown parameter is refused rather than ignored. */
export const calendarsQuerySchema = /* @__PURE__ */ (() => z.strictObject({}))();
