import * as z from "zod";
import {
  BUSINESS_TYPES,
  CAUSES,
  CHANNELS,
  JURISDICTIONS,
  NOTICE_LOCALES,
  PRIORITIES,
  ROOT_CAUSES,
  SEGMENTS,
} from "../../domain/codes";
import { type Complaint, STATUSES } from "../../domain/complaint";
import { moneySchema } from "../../domain/schemas";
import { STATUTORY_RULES } from "../../domain/sla/statutory";

/**
 * Items read back from the table are parsed, never trusted: a row written by an older version or
 * edited by hand fails loudly here instead of deep inside a use case.
 */
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
  flags: z.object({
    vulnerableCustomer: z.boolean(),
    mediaRisk: z.boolean(),
    regulatorReferral: z.boolean(),
    repeat: z.boolean(),
  }),
  severity: z.enum(["low", "medium", "high"]),
  priority: z.enum(PRIORITIES),
  team: z.string(),
  tier: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  tierSince: iso.optional(),
  assignee: z.string().optional(),
  status: z.enum(STATUSES),
  receivedAt: iso,
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
  version: z.number().int().nonnegative(),
}) satisfies z.ZodType<Complaint>;

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

export const auditItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  seq: z.number().int().positive(),
  type: z.string(),
  at: z.string(),
  actor: z.record(z.string(), z.unknown()),
  statusBefore: z.enum(STATUSES).optional(),
  statusAfter: z.enum(STATUSES),
  data: z.record(z.string(), z.unknown()).optional(),
  prevHash: z.string(),
  hash: z.string(),
});

export const idempotencyItemSchema = z.object({
  pk: z.string(),
  sk: z.literal("IDEMPOTENCY"),
  channel: z.string(),
  key: z.string(),
  requestHash: z.string(),
  complaintId: z.string(),
  response: z.record(z.string(), z.unknown()),
});

/** The lookup from a complaint's reference to its id (`REFERENCE#<reference>`), written at intake. */
export const referenceItemSchema = z.object({
  pk: z.string(),
  sk: z.literal("REFERENCE"),
  complaintId: z.string(),
});

/** A customer notice as stored under its complaint (`NOTICE#<seq>`): personal data only in `content`. */
export const noticeItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  seq: z.number().int().positive(),
  noticeId: z.string(),
  complaintId: z.string(),
  reference: z.string(),
  channel: z.enum(CHANNELS),
  jurisdiction: z.enum(JURISDICTIONS),
  kind: z.enum([
    "acknowledgement",
    "information_request",
    "holding_reply",
    "final_response",
    "satisfaction_survey",
  ]),
  locale: z.enum(NOTICE_LOCALES),
  at: z.string(),
  satisfies: z.object({ rule: z.string(), dueBy: z.string(), met: z.boolean() }).nullable(),
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

/**
 * A delivery the bus or the alerts topic refused, parked under its complaint (`PARKED#<version>#<target>`)
 * and listed on the month index's `PARKED#<shard>` partitions for the reconciler. Events and manager
 * notices carry ids and references only; customer notices are referenced by id.
 */
const parkedBase = {
  pk: z.string(),
  sk: z.string(),
  complaintId: z.string(),
  version: z.number().int().nonnegative(),
  parkedAt: iso,
  attempts: z.number().int().positive(),
  lastAttemptAt: iso,
};
export const parkedItemSchema = z.discriminatedUnion("target", [
  z.object({
    ...parkedBase,
    target: z.literal("integration_events"),
    events: z.array(z.looseObject({ eventId: z.string(), type: z.string(), complaintId: z.string() })).min(1),
  }),
  z.object({ ...parkedBase, target: z.literal("customer_notices"), noticeIds: z.array(z.string()).min(1) }),
  z.object({
    ...parkedBase,
    target: z.literal("manager_notices"),
    notices: z.array(z.looseObject({ kind: z.string(), complaintId: z.string() })).min(1),
  }),
]);
