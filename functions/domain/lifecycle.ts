import {
  type Attachment,
  type AttachmentCheck,
  type AttachmentRequest,
  checkAttachmentRequest,
  countingAttachments,
  MAX_ATTACHMENTS,
  type RejectionReason,
  retainUntilOf,
} from "./attachments";
import { type BusinessCalendar, calendarFor, localDaysBetween } from "./calendar";
import {
  type Channel,
  DEFAULT_JURISDICTION,
  type Jurisdiction,
  jrt0169,
  MAX_TIER,
  PAYMENT_SERVICE_BUSINESS_TYPES,
  type Priority,
  type Role,
  type Tier,
} from "./codes";
import type {
  Actor,
  Complaint,
  DomainEvent,
  DomainEventType,
  EventData,
  EventOf,
  ResolutionDecision,
  Status,
} from "./complaint";
import { DomainError, FieldRuleError, IllegalTransitionError } from "./errors";
import { calendarOfRegion, isRegionOf } from "./regions/index";
import { type RoutingTable, raisePriority, route } from "./routing";
import type { IntakeRequest } from "./schemas";
import {
  addDuration,
  computeSlaPlan,
  nextCheckpoint,
  type Pause,
  type SlaFacts,
  type SlaPolicy,
  type StoredExtension,
} from "./sla";
import {
  type ExtensionLevel,
  isPaymentServices,
  isStatutoryDeadline,
  takesEightWeekLetter,
} from "./sla/statutory";

type Staff = Actor & { kind: "staff" };
type ChannelActor = Actor & { kind: "channel" };

/** What a complaint can be told to do: by staff, by the customer (through their channel), or by the workflow. */
export type Command =
  /**
   * The workflow takes the complaint up. `repeatOf` names an open complaint of the same customer about the
   * same business type, found by the step (repeat detection runs here, off intake's request path).
   */
  | { type: "start_handling"; actor: Actor; repeatOf?: string }
  | { type: "claim"; actor: Staff; takeOver?: boolean }
  | { type: "note"; actor: Actor; note: string }
  | { type: "complete_remediation"; actor: Staff; evidence: string }
  | { type: "request_info"; actor: Staff; question: string }
  /** CN: an external body is asked to appraise, test or evaluate; the statutory clock stops meanwhile. */
  | { type: "start_appraisal"; actor: Staff; reason: string }
  | { type: "end_appraisal"; actor: Staff; findings: string }
  | { type: "customer_reply"; actor: ChannelActor; message: string }
  | { type: "customer_reply_overdue"; actor: Actor }
  | { type: "resolve"; actor: Staff; resolution: ResolutionDecision }
  | { type: "reassign"; actor: Staff; team: string; reason: string }
  | { type: "escalate"; actor: Staff; reason: string }
  | {
      type: "extend";
      actor: Staff;
      level: ExtensionLevel;
      totalDays?: number;
      /** GB eight-week holding response: the local date the final response is expected by. */
      expectedBy?: string;
      reason: string;
    }
  | { type: "feedback"; actor: ChannelActor; satisfaction: number; accept: boolean; comment?: string }
  | { type: "feedback_timeout"; actor: Actor }
  | { type: "sla_checkpoint"; actor: Actor }
  | { type: "mark_needs_attention"; actor: Actor; reason: string }
  | { type: "resume"; actor: Staff; reason: string }
  /**
   * Recompute every deadline under the calendars and rules in force now (a calendar year was loaded, or a
   * statutory rule was corrected): what moved is recorded, and the customer told when a date they were
   * given moved.
   */
  | { type: "recompute_deadlines"; actor: Actor; reason: RecomputeReason; detail: string }
  /** The channel or staff ask to attach a file: the upload URL is issued for this record. */
  | {
      type: "request_attachment";
      actor: Staff | ChannelActor;
      attachment: AttachmentRequest & {
        id: string;
        requiredChecks: AttachmentCheck[];
        /** When the upload URL expires. */
        uploadBy: string;
      };
    }
  /** A check's verdict on an uploaded file (the content check also reports what the object measured). */
  | {
      type: "attachment_verdict";
      actor: Actor;
      attachmentId: string;
      check: AttachmentCheck;
      passed: boolean;
      detail: string;
      /** Why the file is refused, when the check failed. */
      reason?: RejectionReason;
      /** What the stored object measured (`sha256` null when it was not read: its size was already wrong). */
      upload?: { size: number; sha256: string | null; versionId?: string };
    };
export type CommandType = Command["type"];

/** Why deadlines are recomputed. */
export type RecomputeReason = "calendar_loaded" | "rules_corrected";

/** The commands each status accepts. Anything else is an IllegalTransitionError, never a silent no-op. */
/**
 * Evidence can be added and checked whatever stage the complaint is in; who may add it to a closed
 * complaint (staff, not the channel) is the command's own rule.
 */
const EVIDENCE_COMMANDS = ["request_attachment", "attachment_verdict"] as const;

export const ALLOWED: Record<Status, readonly CommandType[]> = {
  received: [
    "start_handling",
    "claim",
    "note",
    "mark_needs_attention",
    "recompute_deadlines",
    ...EVIDENCE_COMMANDS,
  ],
  in_progress: [
    "start_handling",
    "claim",
    "note",
    "request_info",
    "start_appraisal",
    "end_appraisal",
    "resolve",
    "reassign",
    "escalate",
    "extend",
    "sla_checkpoint",
    "mark_needs_attention",
    "recompute_deadlines",
    ...EVIDENCE_COMMANDS,
  ],
  awaiting_customer: [
    "claim",
    "note",
    "start_appraisal",
    "end_appraisal",
    "customer_reply",
    "customer_reply_overdue",
    "extend",
    "sla_checkpoint",
    "mark_needs_attention",
    "recompute_deadlines",
    ...EVIDENCE_COMMANDS,
  ],
  awaiting_feedback: [
    "note",
    "feedback",
    "feedback_timeout",
    "mark_needs_attention",
    "complete_remediation",
    ...EVIDENCE_COMMANDS,
  ],
  // A closed complaint changes no more, except that the remediation its resolution committed to gets done.
  closed: ["complete_remediation", ...EVIDENCE_COMMANDS],
  needs_attention: ["note", "resume", "recompute_deadlines", ...EVIDENCE_COMMANDS],
};

/** Actions a member of staff may send through the actions endpoint. */
export const STAFF_ACTIONS = [
  "claim",
  "note",
  "request_info",
  "start_appraisal",
  "end_appraisal",
  "resolve",
  "reassign",
  "escalate",
  "extend",
  "resume",
  "complete_remediation",
] as const;
export type StaffActionType = (typeof STAFF_ACTIONS)[number];

/** The external appraisal under way, if one is (an open `external_appraisal` pause). */
export const openAppraisal = (c: Pick<Complaint, "pauses">): Pause | undefined =>
  c.pauses.find((p) => p.reason === "external_appraisal" && p.end === undefined);

/**
 * The staff actions valid for a complaint now (what a 409 tells the caller it could do instead): those its
 * status allows, less `complete_remediation` unless its resolution has a remediation action still open,
 * and the appraisal actions only for a CN complaint (the one with the rule), each when it makes sense.
 */
export const allowedStaffActions = (
  c: Pick<Complaint, "status" | "resolution" | "jurisdiction" | "pauses">,
): string[] =>
  STAFF_ACTIONS.filter((a) => {
    if (!ALLOWED[c.status].includes(a)) return false;
    if (a === "complete_remediation")
      return c.resolution?.remediation !== undefined && c.resolution.remediationCompleted === undefined;
    if (a === "start_appraisal") return c.jurisdiction === "CN" && !openAppraisal(c);
    if (a === "end_appraisal") return openAppraisal(c) !== undefined;
    return true;
  });

/**
 * The staff actions a caller of `role` may take on the complaint now: {@link allowedStaffActions} (the
 * lifecycle table), less what the role may not do — nothing for an agent at tier 2 and above
 * ({@link requiredRoleFor}), and `resume` for supervisors and managers only. What the console offers.
 */
export const allowedActionsFor = (
  c: Pick<Complaint, "status" | "resolution" | "jurisdiction" | "pauses" | "tier">,
  role: Role,
): string[] => {
  if (role === "agent" && requiredRoleFor(c) === "supervisor") return [];
  return allowedStaffActions(c).filter((a) => a !== "resume" || role !== "agent");
};

/** Commands that move the workflow on (or re-arm its timer): they must go through the pending task token. */
export const RESUMES_WORKFLOW: ReadonlySet<CommandType> = new Set<CommandType>([
  "request_info",
  "customer_reply",
  "resolve",
  "reassign",
  "escalate",
  "extend",
  "feedback",
  // The deadlines move with the appraisal's pause: the workflow re-arms its timer at once.
  "start_appraisal",
  "end_appraisal",
]);

export interface TransitionContext {
  now: Date;
  /** SLA policies by version: a complaint is always recomputed under the version it was received with. */
  policies: Readonly<Record<string, SlaPolicy>>;
  /** Teams that exist (a reassignment elsewhere is refused). */
  teams?: readonly string[];
}

/** The facts a complaint's deadlines are computed from. */
export const slaFactsOf = (c: Complaint): SlaFacts => ({
  receivedAt: c.receivedAt,
  ...(c.recordedAt ? { recordedAt: c.recordedAt } : {}),
  cycleStartedAt: c.cycleStartedAt,
  priority: c.priority,
  segment: c.customer.segment,
  jurisdiction: c.jurisdiction,
  tier: c.tier,
  ...(c.tierSince ? { tierSince: c.tierSince } : {}),
  pauses: c.pauses,
  ...(c.extension ? { extension: c.extension } : {}),
  paymentServices: isPaymentServices(c),
});

/** The business calendar a complaint runs on, fixed at intake (`GB`, on older complaints, is GB-EAW). */
export const calendarOf = (c: Pick<Complaint, "sla">): BusinessCalendar => calendarFor(c.sla.calendar);

/** The policy a complaint runs under (the version recorded at intake). */
export const policyOf = (c: Complaint, policies: Readonly<Record<string, SlaPolicy>>): SlaPolicy => {
  const policy = policies[c.sla.policyVersion];
  if (!policy) throw new Error(`SLA policy version ${c.sla.policyVersion} is not loaded`);
  return policy;
};

/** Recomputes every deadline from the complaint's facts (after a pause, escalation or extension). */
export const replan = (c: Complaint, ctx: TransitionContext): Complaint => ({
  ...c,
  sla: computeSlaPlan(slaFactsOf(c), policyOf(c, ctx.policies), calendarOf(c), ctx.now),
});

/**
 * The deadlines as of an instant: while a pause is open every deadline moves on with it, so the stored
 * plan (computed when the pause opened) is recomputed to say where they stand now.
 */
export const currentPlan = (c: Complaint, ctx: TransitionContext): Complaint =>
  c.pauses.some((p) => p.end === undefined) ? replan(c, ctx) : c;

/** Builds one event of the change being made, stamped with its time, actor and statuses. */
type EventMaker = <T extends DomainEventType>(type: T, next: Complaint, data: EventData[T]) => EventOf<T>;

export interface TransitionResult {
  complaint: Complaint;
  events: DomainEvent[];
}

/** Staff may act on complaints at tier 2 (manager) and above only as supervisor or manager. */
export const requiredRoleFor = (c: Pick<Complaint, "tier">): "agent" | "supervisor" =>
  c.tier >= 2 ? "supervisor" : "agent";

/**
 * The lifecycle: takes a complaint and a command at an instant and returns the new complaint with the
 * events that explain the change. Pure; throws a DomainError for a command the status or rules refuse.
 */
export const transition = (
  complaint: Complaint,
  command: Command,
  ctx: TransitionContext,
): TransitionResult => {
  if (!ALLOWED[complaint.status].includes(command.type)) {
    throw new IllegalTransitionError(complaint.status, command.type, allowedStaffActions(complaint));
  }
  const at = ctx.now.toISOString();
  const event: EventMaker = (type, next, data) => ({
    type,
    at,
    actor: command.actor,
    statusBefore: complaint.status,
    statusAfter: next.status,
    data,
  });
  const done = (next: Complaint, ...events: DomainEvent[]): TransitionResult => ({ complaint: next, events });
  const closePause = (
    c: Complaint,
    reason: Pause["reason"],
  ): { complaint: Complaint; pausedMinutes: number } => {
    const open = c.pauses.findIndex((p) => !p.end && p.reason === reason);
    if (open < 0) return { complaint: c, pausedMinutes: 0 };
    const pause = c.pauses[open]!;
    const pauses = c.pauses.map((p, i) => (i === open ? { ...p, end: at } : p));
    return {
      complaint: { ...c, pauses },
      pausedMinutes: Math.round((ctx.now.getTime() - Date.parse(pause.start)) / 60_000),
    };
  };

  switch (command.type) {
    case "start_handling": {
      // Idempotent: a retried workflow step must not record a second start.
      if (complaint.status === "in_progress") return done(complaint);
      if (command.repeatOf === undefined || command.repeatOf === complaint.id) {
        const next: Complaint = { ...complaint, status: "in_progress" };
        return done(next, event("HandlingStarted", next, { team: next.team, priority: next.priority }));
      }
      // A customer complaining again about the same thing is served one step sooner: the internal targets
      // follow the raised priority (recomputed, never edited); the statutory clock does not depend on it.
      const priority = raisePriority(complaint.priority);
      const next = replan(
        {
          ...complaint,
          status: "in_progress",
          repeatOf: command.repeatOf,
          flags: { ...complaint.flags, repeat: true },
          priority,
          severity: severityOf(priority, complaint.flags.vulnerableCustomer),
        },
        ctx,
      );
      return done(
        next,
        event("RepeatDetected", next, {
          repeatOf: command.repeatOf,
          priorityBefore: complaint.priority,
          priorityAfter: priority,
          firstResponseBy: next.sla.firstResponseBy,
          resolveBy: next.sla.resolveBy,
        }),
        event("HandlingStarted", next, { team: next.team, priority: next.priority }),
      );
    }
    case "claim": {
      if (complaint.assignee === command.actor.subject) return done(complaint);
      if (complaint.assignee !== undefined) {
        // Held by someone else: never silently taken. A supervisor or manager may take it over, on record.
        const mayTakeOver = command.actor.role === "supervisor" || command.actor.role === "manager";
        if (!(command.takeOver && mayTakeOver)) {
          throw new DomainError(
            "conflict",
            "ALREADY_CLAIMED",
            mayTakeOver
              ? "Someone else holds this complaint; send takeOver: true to take it over"
              : "Someone else holds this complaint",
            { assignee: complaint.assignee },
          );
        }
      }
      const next: Complaint = { ...complaint, assignee: command.actor.subject };
      return done(next, event("Claimed", next, { previousAssignee: complaint.assignee ?? null }));
    }
    case "complete_remediation": {
      const resolution = complaint.resolution;
      if (!resolution?.remediation) {
        throw new DomainError(
          "conflict",
          "NO_REMEDIATION",
          "The complaint's resolution commits to no remediation action",
        );
      }
      if (resolution.remediationCompleted) {
        throw new DomainError(
          "conflict",
          "REMEDIATION_ALREADY_COMPLETED",
          "The remediation action is already done",
          {
            completedAt: resolution.remediationCompleted.at,
          },
        );
      }
      const next: Complaint = {
        ...complaint,
        resolution: { ...resolution, remediationCompleted: { at, by: command.actor.subject } },
      };
      // The evidence (what was done) stays in the audit trail, like a note.
      return done(
        next,
        event("RemediationCompleted", next, {
          dueBy: resolution.remediation.dueBy,
          owner: resolution.remediation.owner,
          evidence: command.evidence,
        }),
      );
    }
    case "note":
      // Internal notes live in the audit trail only; the complaint itself does not change.
      return done(complaint, event("NoteAdded", complaint, { note: command.note }));
    case "request_info": {
      const policy = policyOf(complaint, ctx.policies);
      const replyBy = addDuration(calendarOf(complaint), ctx.now, policy.customerReplyWindow);
      const next = replan(
        {
          ...complaint,
          status: "awaiting_customer",
          pendingQuestion: { question: command.question, askedAt: at, replyBy: replyBy.toISOString() },
          pauses: [...complaint.pauses, { start: at, reason: "awaiting_customer" }],
        },
        ctx,
      );
      return done(next, event("InformationRequested", next, { replyBy: replyBy.toISOString() }));
    }
    case "customer_reply":
    case "customer_reply_overdue": {
      const { complaint: resumed, pausedMinutes } = closePause(complaint, "awaiting_customer");
      const { pendingQuestion: _answered, ...rest } = resumed;
      const next = replan({ ...rest, status: "in_progress" }, ctx);
      return command.type === "customer_reply"
        ? done(next, event("CustomerReplied", next, { pausedMinutes, message: command.message }))
        : done(next, event("CustomerReplyOverdue", next, { pausedMinutes }));
    }
    case "start_appraisal": {
      if (complaint.jurisdiction !== "CN") {
        throw new DomainError(
          "unprocessable",
          "APPRAISAL_NOT_APPLICABLE",
          `An external appraisal stops a statutory clock only under the CN rules, not in ${complaint.jurisdiction}`,
          { jurisdiction: complaint.jurisdiction },
        );
      }
      if (openAppraisal(complaint)) {
        throw new DomainError(
          "conflict",
          "APPRAISAL_ALREADY_OPEN",
          "An external appraisal is already under way",
        );
      }
      const next = replan(
        { ...complaint, pauses: [...complaint.pauses, { start: at, reason: "external_appraisal" }] },
        ctx,
      );
      return done(next, event("AppraisalStarted", next, { reason: command.reason }));
    }
    case "end_appraisal": {
      const open = openAppraisal(complaint);
      if (!open) {
        throw new DomainError("conflict", "NO_OPEN_APPRAISAL", "No external appraisal is under way");
      }
      const { complaint: resumed } = closePause(complaint, "external_appraisal");
      const next = replan(resumed, ctx);
      const cal = calendarOf(complaint);
      return done(
        next,
        event("AppraisalEnded", next, {
          findings: command.findings,
          // Whole local days the statutory clock stood still (the day it started still counted).
          stoppedDays: Math.max(
            0,
            localDaysBetween(cal.localDateOf(new Date(open.start)), cal.localDateOf(ctx.now)),
          ),
        }),
      );
    }
    case "recompute_deadlines":
      return recompute(complaint, command, ctx, event, done);
    case "resolve": {
      const policy = policyOf(complaint, ctx.policies);
      const feedbackDueBy = addDuration(calendarOf(complaint), ctx.now, policy.feedbackWindow);
      // A resolution ends an appraisal still open: the decision is made.
      const { complaint: decided } = closePause(complaint, "external_appraisal");
      const next: Complaint = {
        ...decided,
        status: "awaiting_feedback",
        feedbackDueBy: feedbackDueBy.toISOString(),
        resolution: { ...command.resolution, resolvedBy: command.actor.subject, resolvedAt: at },
      };
      return done(
        next,
        event("Resolved", next, {
          outcome: command.resolution.outcome,
          cycle: complaint.cycle,
          rootCause: command.resolution.rootCause ?? null,
          remediationDueBy: command.resolution.remediation?.dueBy ?? null,
        }),
      );
    }
    case "reassign": {
      if (command.team === complaint.team) {
        throw new DomainError("validation", "SAME_TEAM", "The complaint is already queued to that team", {
          team: command.team,
        });
      }
      if (ctx.teams && !ctx.teams.includes(command.team)) {
        throw new DomainError("validation", "UNKNOWN_TEAM", `There is no team '${command.team}'`, {
          teams: [...ctx.teams],
        });
      }
      const { assignee: _dropped, ...rest } = complaint;
      const next: Complaint = { ...rest, team: command.team };
      return done(
        next,
        event("Reassigned", next, { fromTeam: complaint.team, toTeam: command.team, reason: command.reason }),
      );
    }
    case "escalate": {
      if (complaint.tier >= MAX_TIER) {
        throw new DomainError(
          "conflict",
          "ALREADY_TOP_TIER",
          "The complaint is already with the complaints committee",
          {
            tier: complaint.tier,
          },
        );
      }
      const tier = (complaint.tier + 1) as Tier;
      const next = replan({ ...complaint, tier, tierSince: at }, ctx);
      return done(
        next,
        event("Escalated", next, {
          fromTier: complaint.tier,
          toTier: tier,
          reason: "manual",
          note: command.reason,
          tierDueBy: next.sla.tierDueBy ?? null,
        }),
      );
    }
    case "extend": {
      checkExpectedBy(complaint, command, ctx.now);
      const needsApproval = command.level === "cn_60" || (command.totalDays ?? 0) > 30;
      // CBIRC Measures art. 20: the further 30 days need head-office senior management's approval — a
      // manager here; a supervisor of the team cannot give it.
      if (needsApproval && complaint.jurisdiction === "CN" && command.actor.role !== "manager") {
        throw new DomainError(
          "forbidden",
          "FORBIDDEN_ROLE",
          "A CN handling period over 30 days needs the approval of head-office senior management: a manager must extend it",
          { level: command.level, role: command.actor.role },
        );
      }
      const approver = command.actor.role === "manager";
      const extension: StoredExtension = {
        level: command.level,
        ...(command.totalDays !== undefined ? { totalDays: command.totalDays } : {}),
        ...(command.expectedBy !== undefined ? { expectedBy: command.expectedBy } : {}),
        reason: command.reason,
        ...(needsApproval && approver
          ? {
              approvedBy: {
                role: "manager" as const,
                subject: command.actor.subject,
                at,
              },
            }
          : {}),
      };
      // The statutory rules validate the request (limit, approval, applicability) before anything changes.
      const next = replan({ ...complaint, extension }, ctx);
      return done(
        next,
        event("Extended", next, {
          level: command.level,
          totalDays: command.totalDays ?? null,
          expectedBy: command.expectedBy ?? null,
          approvedBy: extension.approvedBy?.subject ?? null,
          statutory: next.sla.statutory.map((s) => ({ rule: s.rule, dueBy: s.dueBy })),
        }),
      );
    }
    case "feedback": {
      if (!Number.isInteger(command.satisfaction) || command.satisfaction < 1 || command.satisfaction > 5) {
        throw new DomainError(
          "validation",
          "VALIDATION_FAILED",
          "Satisfaction must be a whole number from 1 to 5",
        );
      }
      const feedback = {
        satisfaction: command.satisfaction,
        accepted: command.accept,
        ...(command.comment ? { comment: command.comment } : {}),
        at,
      };
      if (command.accept) {
        const next: Complaint = { ...complaint, feedback, status: "closed", closedAt: at };
        return done(
          next,
          event("FeedbackReceived", next, { satisfaction: command.satisfaction, accepted: true }),
          event("Closed", next, { outcome: complaint.resolution?.outcome ?? null, reason: "accepted" }),
        );
      }
      // A reopen starts a new resolution cycle, one tier up, with fresh internal targets.
      const tier = Math.min(complaint.tier + 1, MAX_TIER) as Tier;
      const { feedbackDueBy: _due, ...rest } = complaint;
      const next = replan(
        {
          ...rest,
          feedback,
          status: "in_progress",
          cycle: complaint.cycle + 1,
          cycleStartedAt: at,
          tier,
          tierSince: at,
          slaPhase: "on_track",
        },
        ctx,
      );
      return done(
        next,
        event("FeedbackReceived", next, { satisfaction: command.satisfaction, accepted: false }),
        event("Reopened", next, { cycle: next.cycle, toTier: tier }),
      );
    }
    case "feedback_timeout": {
      const next: Complaint = { ...complaint, status: "closed", closedAt: at };
      return done(
        next,
        event("Closed", next, { outcome: complaint.resolution?.outcome ?? null, reason: "no_feedback" }),
      );
    }
    case "mark_needs_attention": {
      const next: Complaint = { ...complaint, status: "needs_attention" };
      return done(next, event("NeedsAttention", next, { reason: command.reason }));
    }
    case "resume": {
      // An operator hands a flagged complaint back to its team; a fresh workflow execution picks it up.
      if (command.actor.role !== "supervisor" && command.actor.role !== "manager") {
        throw new DomainError(
          "forbidden",
          "FORBIDDEN_ROLE",
          "Only a supervisor or manager may resume a complaint",
        );
      }
      const resumes = (complaint.resumes ?? 0) + 1;
      const next: Complaint = { ...complaint, status: "in_progress", resumes };
      return done(next, event("Resumed", next, { reason: command.reason, attempt: resumes }));
    }
    case "sla_checkpoint":
      return slaCheckpoint(complaint, ctx, event, done);
    case "request_attachment":
      return requestAttachment(complaint, command, ctx.now, event, done);
    case "attachment_verdict":
      return attachmentVerdict(complaint, command, ctx.now, event, done);
  }
};

type Done = (next: Complaint, ...events: DomainEvent[]) => TransitionResult;

const requestAttachment = (
  complaint: Complaint,
  command: Extract<Command, { type: "request_attachment" }>,
  now: Date,
  event: EventMaker,
  done: Done,
): TransitionResult => {
  const contentType = checkAttachmentRequest(command.attachment);
  // A closed complaint's record is complete as far as the customer goes; the bank may still file evidence
  // (a remediation's proof, a recording found later).
  if (complaint.status === "closed" && command.actor.kind === "channel") {
    throw new DomainError("conflict", "COMPLAINT_CLOSED", "The complaint is closed: it takes no more files", {
      status: complaint.status,
    });
  }
  const existing = complaint.attachments ?? [];
  if (countingAttachments(existing, now).length >= MAX_ATTACHMENTS) {
    throw new DomainError(
      "conflict",
      "ATTACHMENT_LIMIT_REACHED",
      `A complaint takes at most ${MAX_ATTACHMENTS} files`,
      { limit: MAX_ATTACHMENTS },
    );
  }
  const { id, fileName, size, sha256, requiredChecks, uploadBy } = command.attachment;
  const uploadedBy = command.actor.kind;
  const attachment: Attachment = {
    id,
    fileName,
    contentType,
    size,
    sha256,
    uploadedBy,
    status: "pending",
    requiredChecks: [...requiredChecks],
    checks: {},
    requestedAt: now.toISOString(),
    uploadBy,
  };
  const next: Complaint = { ...complaint, attachments: [...existing, attachment] };
  return done(
    next,
    event("AttachmentRequested", next, { attachmentId: id, contentType, size, sha256, uploadedBy }),
  );
};

const attachmentVerdict = (
  complaint: Complaint,
  command: Extract<Command, { type: "attachment_verdict" }>,
  now: Date,
  event: EventMaker,
  done: Done,
): TransitionResult => {
  const existing = complaint.attachments ?? [];
  const current = existing.find((a) => a.id === command.attachmentId);
  // Verdicts arrive at least once and in any order: an unknown or decided file, or a check already
  // recorded, changes nothing.
  if (current?.status !== "pending" || current.checks[command.check] !== undefined) return done(complaint);
  const at = now.toISOString();
  const checks = { ...current.checks, [command.check]: command.passed ? "passed" : "failed" } as const;
  let attachment: Attachment = {
    ...current,
    checks,
    ...(command.upload ? { uploadedAt: at } : {}),
    ...(command.upload?.versionId ? { versionId: command.upload.versionId } : {}),
  };
  const sha256 = command.upload ? command.upload.sha256 : current.sha256;
  if (!command.passed) {
    attachment = {
      ...attachment,
      status: "rejected",
      reason: command.reason ?? "malware_scan_incomplete",
      rejectedAt: at,
    };
  } else if (attachment.requiredChecks.every((c) => checks[c] === "passed")) {
    attachment = { ...attachment, status: "available", availableAt: at };
  }
  const next: Complaint = {
    ...complaint,
    attachments: existing.map((a) => (a.id === attachment.id ? attachment : a)),
  };
  const attachmentId = attachment.id;
  const events: DomainEvent[] = [];
  if (command.upload)
    events.push(
      event("AttachmentUploaded", next, {
        attachmentId,
        size: command.upload.size,
        sha256: command.upload.sha256,
      }),
    );
  events.push(
    event("AttachmentChecked", next, {
      attachmentId,
      check: command.check,
      passed: command.passed,
      detail: command.detail,
    }),
  );
  if (attachment.status === "rejected")
    events.push(
      event("AttachmentRejected", next, {
        attachmentId,
        sha256,
        reason: attachment.reason ?? "malware_scan_incomplete",
      }),
    );
  if (attachment.status === "available")
    events.push(
      event("AttachmentAvailable", next, {
        attachmentId,
        sha256: attachment.sha256,
        retainUntil: retainUntilOf(next, now).toISOString(),
      }),
    );
  return done(next, ...events);
};

/**
 * A GB complaint outside payment services answers the FCA's eight-week rule with a holding response that
 * says when the final response is expected (DISP 1.6.2(2)(a)): that date is required there, in the future
 * (the complaint's local calendar), and has no meaning for any other extension.
 */
const checkExpectedBy = (
  complaint: Complaint,
  command: Extract<Command, { type: "extend" }>,
  now: Date,
): void => {
  const eightWeekLetter = command.level === "holding_reply" && takesEightWeekLetter(complaint);
  if (!eightWeekLetter) {
    if (command.expectedBy !== undefined)
      throw new FieldRuleError("expectedBy", "applies only to a GB eight-week holding response");
    return;
  }
  if (command.expectedBy === undefined)
    throw new FieldRuleError(
      "expectedBy",
      "is required: the holding response must say when to expect the final one",
    );
  if (command.expectedBy <= calendarOf(complaint).localDateOf(now))
    throw new FieldRuleError("expectedBy", "must be a date after today");
};

const slaCheckpoint = (
  complaint: Complaint,
  ctx: TransitionContext,
  event: EventMaker,
  done: (next: Complaint, ...events: DomainEvent[]) => TransitionResult,
): TransitionResult => {
  // While a pause is open the deadlines move on with it: judge the checkpoint on where they stand now.
  // The internal clock is paused while the customer is asked: only statutory deadlines can fall due.
  const current = currentPlan(complaint, ctx);
  const checkpoint = nextCheckpoint(current, ctx.now);
  // A checkpoint that has not arrived yet (an early or duplicate timer) changes nothing.
  if (checkpoint.kind === "none" || checkpoint.at.getTime() > ctx.now.getTime()) return done(complaint);
  if (complaint.status === "awaiting_customer" && checkpoint.kind !== "statutory_breach")
    return done(complaint);
  switch (checkpoint.kind) {
    case "warning": {
      const next: Complaint = { ...complaint, slaPhase: "at_risk" };
      return done(next, event("SlaWarning", next, { resolveBy: complaint.sla.resolveBy }));
    }
    case "statutory_breach": {
      const next: Complaint = {
        ...complaint,
        statutoryBreaches: [...complaint.statutoryBreaches, checkpoint.rule],
      };
      return done(
        next,
        event("StatutoryDeadlineBreached", next, {
          rule: checkpoint.rule,
          dueBy: checkpoint.at.toISOString(),
        }),
      );
    }
    case "breach":
    case "tier_timeout": {
      const tier = Math.min(complaint.tier + 1, MAX_TIER) as Tier;
      // The next tier's time box starts when the deadline passed, not when the timer was served: a late
      // checkpoint (a slow worker, an outage) never hands a tier extra time.
      const next = replan(
        { ...complaint, slaPhase: "breached", tier, tierSince: checkpoint.at.toISOString() },
        ctx,
      );
      const escalated = event("Escalated", next, {
        fromTier: complaint.tier,
        toTier: tier,
        reason: checkpoint.kind,
        tierDueBy: next.sla.tierDueBy ?? null,
      });
      if (checkpoint.kind === "breach") {
        return done(next, event("SlaBreached", next, { resolveBy: complaint.sla.resolveBy }), escalated);
      }
      return done(next, escalated);
    }
  }
};

/** The deadlines a customer is given in writing (the acknowledgement, holding replies): a move is told. */
const TOLD_TO_CUSTOMER = ["firstResponseBy", "resolveBy"] as const;

/**
 * Recomputes every deadline under the calendars and rules in force now. What moved is recorded (from, to);
 * a statutory deadline the recomputation puts in the past, unanswered, is a breach recorded now (and
 * reported as any breach is). Nothing moved and nothing newly provisional: no change.
 */
const recompute = (
  complaint: Complaint,
  command: Extract<Command, { type: "recompute_deadlines" }>,
  ctx: TransitionContext,
  event: EventMaker,
  done: (next: Complaint, ...events: DomainEvent[]) => TransitionResult,
): TransitionResult => {
  const replanned = currentPlan(replan(complaint, ctx), ctx);
  const before = complaint.sla;
  const after = replanned.sla;
  const changes: { deadline: string; from: string | null; to: string | null }[] = [];
  const compare = (deadline: string, from: string | undefined, to: string | undefined) => {
    if (from !== to) changes.push({ deadline, from: from ?? null, to: to ?? null });
  };
  compare("firstResponseBy", before.firstResponseBy, after.firstResponseBy);
  compare("resolveBy", before.resolveBy, after.resolveBy);
  compare("warningAt", before.warningAt, after.warningAt);
  compare("tierDueBy", before.tierDueBy, after.tierDueBy);
  const rules = new Set([...before.statutory, ...after.statutory].map((s) => s.rule));
  for (const rule of rules) {
    compare(
      rule,
      before.statutory.find((s) => s.rule === rule)?.dueBy,
      after.statutory.find((s) => s.rule === rule)?.dueBy,
    );
  }
  if (changes.length === 0 && before.provisional === after.provisional) return done(complaint);
  const newlyBreached = after.statutory.filter(
    (s) =>
      isStatutoryDeadline(s.rule) &&
      !complaint.statutoryBreaches.includes(s.rule) &&
      Date.parse(s.dueBy) <= ctx.now.getTime(),
  );
  const next: Complaint = {
    ...replanned,
    statutoryBreaches: [...complaint.statutoryBreaches, ...newlyBreached.map((s) => s.rule)],
  };
  return done(
    next,
    event("DeadlinesRecomputed", next, {
      reason: command.reason,
      detail: command.detail,
      changes,
      toldToCustomer: changes.some(
        (c) =>
          (TOLD_TO_CUSTOMER as readonly string[]).includes(c.deadline) ||
          after.statutory
            .concat(before.statutory)
            .some((s) => s.rule === c.deadline && isStatutoryDeadline(s.rule)),
      ),
      provisional: after.provisional,
    }),
    ...newlyBreached.map((s) => event("StatutoryDeadlineBreached", next, { rule: s.rule, dueBy: s.dueBy })),
  );
};

export interface OpenComplaintContext {
  id: string;
  reference: string;
  channel: Channel;
  now: Date;
  routing: RoutingTable;
  /** The policy new complaints run under. */
  policy: SlaPolicy;
  /** A team's default region (routing data), used when intake names none. */
  teamRegions?: Readonly<Record<string, string>>;
}

/** How far back a complaint taken on paper, by phone or forwarded by a regulator may be dated. */
export const MAX_BACKDATING_DAYS = 30;

/** Checks an intake's `receivedAt` (not in the future, at most 30 days back) and `region` (of its jurisdiction). */
const receiptOf = (request: IntakeRequest, jurisdiction: Jurisdiction, now: Date): string => {
  if (request.region !== undefined && !isRegionOf(jurisdiction, request.region)) {
    throw new FieldRuleError("region", `is not an ISO 3166-2 subdivision of ${jurisdiction}`);
  }
  if (request.receivedAt === undefined) return now.toISOString();
  const at = Date.parse(request.receivedAt);
  if (at > now.getTime()) throw new FieldRuleError("receivedAt", "must not be in the future");
  if (at < now.getTime() - MAX_BACKDATING_DAYS * 86_400_000) {
    throw new FieldRuleError("receivedAt", `must be at most ${MAX_BACKDATING_DAYS} days back`);
  }
  return new Date(at).toISOString();
};

const severityOf = (priority: Priority, vulnerableCustomer: boolean): Complaint["severity"] => {
  if (priority === "P1" || vulnerableCustomer) return "high";
  return priority === "P2" ? "medium" : "low";
};

/** Classifies, routes and plans a new complaint from a validated intake request. */
export const openComplaint = (request: IntakeRequest, ctx: OpenComplaintContext): TransitionResult => {
  const jurisdiction = request.jurisdiction ?? DEFAULT_JURISDICTION[ctx.channel];
  const receivedAt = receiptOf(request, jurisdiction, ctx.now);
  const recordedAt = ctx.now.toISOString();
  const flags = {
    vulnerableCustomer: request.flags?.vulnerableCustomer ?? false,
    mediaRisk: request.flags?.mediaRisk ?? false,
    regulatorReferral: (request.flags?.regulatorReferral ?? false) || ctx.channel === "regulator_referral",
    // Repeat detection runs when the workflow takes the complaint up (start_handling), off the request path.
    repeat: false,
    paymentServices:
      request.flags?.paymentServices ??
      (PAYMENT_SERVICE_BUSINESS_TYPES as readonly string[]).includes(request.businessType),
  };
  const decision = route(ctx.routing, {
    segment: request.customer.segment,
    businessType: request.businessType,
    cause: request.cause,
    channel: ctx.channel,
    flags,
  });
  // A vulnerable customer is served one step sooner.
  const priority = flags.vulnerableCustomer ? raisePriority(decision.priority) : decision.priority;
  // Where it is handled, fixed now: intake's region (the channel knows the branch or the address), else
  // the team's default when it is one of this jurisdiction's, else none (the jurisdiction's calendar).
  const teamRegion = ctx.teamRegions?.[decision.team];
  const region =
    request.region ??
    (teamRegion !== undefined && isRegionOf(jurisdiction, teamRegion) ? teamRegion : undefined);
  const sla = computeSlaPlan(
    {
      receivedAt,
      recordedAt,
      priority,
      segment: request.customer.segment,
      jurisdiction,
      tier: 0,
      pauses: [],
      paymentServices: flags.paymentServices,
    },
    ctx.policy,
    calendarFor(calendarOfRegion(jurisdiction, region)),
    ctx.now,
  );
  const complaint: Complaint = {
    id: ctx.id,
    reference: ctx.reference,
    channel: ctx.channel,
    jurisdiction,
    customer: { ...request.customer },
    businessType: request.businessType,
    cause: request.cause,
    codes: {
      channel: jrt0169.channel[ctx.channel].code,
      businessType: jrt0169.businessType[request.businessType].code,
      cause: jrt0169.cause[request.cause].code,
    },
    description: request.description,
    ...(request.amountInDispute ? { amountInDispute: request.amountInDispute } : {}),
    ...(request.branch ? { branch: request.branch } : {}),
    ...(region ? { region } : {}),
    flags,
    severity: severityOf(priority, flags.vulnerableCustomer),
    priority,
    team: decision.team,
    tier: 0,
    status: "received",
    receivedAt,
    recordedAt,
    sla,
    slaPhase: "on_track",
    pauses: [],
    statutoryBreaches: [],
    cycle: 1,
    cycleStartedAt: receivedAt,
    version: 0,
  };
  const received: DomainEvent = {
    type: "ComplaintReceived",
    at: recordedAt,
    actor: { kind: "channel", channel: ctx.channel },
    statusAfter: "received",
    data: {
      team: decision.team,
      priority,
      rule: decision.rule,
      codes: complaint.codes,
      policyVersion: sla.policyVersion,
      provisional: sla.provisional,
      repeatOf: null,
    },
  };
  return { complaint, events: [received] };
};

/** The business reference humans quote on the phone, e.g. CMP-20261128-000123. */
export const formatReference = (localDate: string, sequence: number): string =>
  `CMP-${localDate.replaceAll("-", "")}-${String(sequence).padStart(6, "0")}`;
