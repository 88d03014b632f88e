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
import { calendarFor } from "./calendar";
import { type Channel, DEFAULT_JURISDICTION, jrt0169, MAX_TIER, type Priority, type Tier } from "./codes";
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
import { type RoutingTable, raisePriority, route } from "./routing";
import type { IntakeRequest } from "./schemas";
import {
  addDuration,
  computeSlaPlan,
  nextCheckpoint,
  type SlaFacts,
  type SlaPolicy,
  type StoredExtension,
} from "./sla";
import { type ExtensionLevel, takesEightWeekLetter } from "./sla/statutory";

type Staff = Actor & { kind: "staff" };
type ChannelActor = Actor & { kind: "channel" };

/** What a complaint can be told to do: by staff, by the customer (through their channel), or by the workflow. */
export type Command =
  /**
   * The workflow takes the complaint up. `repeatOf` names an open complaint of the same customer about the
   * same business type, found by the step (repeat detection runs here, off intake's request path).
   */
  | { type: "start_handling"; actor: Actor; repeatOf?: string }
  | { type: "claim"; actor: Staff }
  | { type: "note"; actor: Actor; note: string }
  | { type: "complete_remediation"; actor: Staff; evidence: string }
  | { type: "request_info"; actor: Staff; question: string }
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

/** The commands each status accepts. Anything else is an IllegalTransitionError, never a silent no-op. */
/**
 * Evidence can be added and checked whatever stage the complaint is in; who may add it to a closed
 * complaint (staff, not the channel) is the command's own rule.
 */
const EVIDENCE_COMMANDS = ["request_attachment", "attachment_verdict"] as const;

export const ALLOWED: Record<Status, readonly CommandType[]> = {
  received: ["start_handling", "claim", "note", "mark_needs_attention", ...EVIDENCE_COMMANDS],
  in_progress: [
    "start_handling",
    "claim",
    "note",
    "request_info",
    "resolve",
    "reassign",
    "escalate",
    "extend",
    "sla_checkpoint",
    "mark_needs_attention",
    ...EVIDENCE_COMMANDS,
  ],
  awaiting_customer: [
    "claim",
    "note",
    "customer_reply",
    "customer_reply_overdue",
    "extend",
    "sla_checkpoint",
    "mark_needs_attention",
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
  needs_attention: ["note", "resume", ...EVIDENCE_COMMANDS],
};

/** Actions a member of staff may send through the actions endpoint. */
export const STAFF_ACTIONS = [
  "claim",
  "note",
  "request_info",
  "resolve",
  "reassign",
  "escalate",
  "extend",
  "resume",
  "complete_remediation",
] as const;
export type StaffActionType = (typeof STAFF_ACTIONS)[number];

/**
 * The staff actions valid for a complaint now (what a 409 tells the caller it could do instead): those its
 * status allows, less `complete_remediation` unless its resolution has a remediation action still open.
 */
export const allowedStaffActions = (c: Pick<Complaint, "status" | "resolution">): string[] =>
  STAFF_ACTIONS.filter(
    (a) =>
      ALLOWED[c.status].includes(a) &&
      (a !== "complete_remediation" ||
        (c.resolution?.remediation !== undefined && c.resolution.remediationCompleted === undefined)),
  );

/** Commands that move the workflow on (or re-arm its timer): they must go through the pending task token. */
export const RESUMES_WORKFLOW: ReadonlySet<CommandType> = new Set<CommandType>([
  "request_info",
  "customer_reply",
  "resolve",
  "reassign",
  "escalate",
  "extend",
  "feedback",
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
  cycleStartedAt: c.cycleStartedAt,
  priority: c.priority,
  segment: c.customer.segment,
  jurisdiction: c.jurisdiction,
  tier: c.tier,
  ...(c.tierSince ? { tierSince: c.tierSince } : {}),
  pauses: c.pauses,
  ...(c.extension ? { extension: c.extension } : {}),
  paymentServices: c.businessType === "payments",
});

/** The policy a complaint runs under (the version recorded at intake). */
export const policyOf = (c: Complaint, policies: Readonly<Record<string, SlaPolicy>>): SlaPolicy => {
  const policy = policies[c.sla.policyVersion];
  if (!policy) throw new Error(`SLA policy version ${c.sla.policyVersion} is not loaded`);
  return policy;
};

/** Recomputes every deadline from the complaint's facts (after a pause, escalation or extension). */
export const replan = (c: Complaint, ctx: TransitionContext): Complaint => ({
  ...c,
  sla: computeSlaPlan(slaFactsOf(c), policyOf(c, ctx.policies), calendarFor(c.jurisdiction), ctx.now),
});

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
  const closePause = (c: Complaint): { complaint: Complaint; pausedMinutes: number } => {
    const open = c.pauses.findIndex((p) => !p.end);
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
      const replyBy = addDuration(calendarFor(complaint.jurisdiction), ctx.now, policy.customerReplyWindow);
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
      const { complaint: resumed, pausedMinutes } = closePause(complaint);
      const { pendingQuestion: _answered, ...rest } = resumed;
      const next = replan({ ...rest, status: "in_progress" }, ctx);
      return command.type === "customer_reply"
        ? done(next, event("CustomerReplied", next, { pausedMinutes, message: command.message }))
        : done(next, event("CustomerReplyOverdue", next, { pausedMinutes }));
    }
    case "resolve": {
      const policy = policyOf(complaint, ctx.policies);
      const feedbackDueBy = addDuration(calendarFor(complaint.jurisdiction), ctx.now, policy.feedbackWindow);
      const next: Complaint = {
        ...complaint,
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
      const approver = command.actor.role === "supervisor" || command.actor.role === "manager";
      const extension: StoredExtension = {
        level: command.level,
        ...(command.totalDays !== undefined ? { totalDays: command.totalDays } : {}),
        ...(command.expectedBy !== undefined ? { expectedBy: command.expectedBy } : {}),
        reason: command.reason,
        ...(needsApproval && approver
          ? {
              approvedBy: {
                role: command.actor.role as "supervisor" | "manager",
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
  if (command.expectedBy <= calendarFor(complaint.jurisdiction).localDateOf(now))
    throw new FieldRuleError("expectedBy", "must be a date after today");
};

const slaCheckpoint = (
  complaint: Complaint,
  ctx: TransitionContext,
  event: EventMaker,
  done: (next: Complaint, ...events: DomainEvent[]) => TransitionResult,
): TransitionResult => {
  // The internal clock is paused while the customer is asked: only statutory deadlines can fall due.
  const current = complaint.status === "awaiting_customer" ? replan(complaint, ctx) : complaint;
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
      const next = replan(
        { ...complaint, slaPhase: "breached", tier, tierSince: ctx.now.toISOString() },
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

export interface OpenComplaintContext {
  id: string;
  reference: string;
  channel: Channel;
  now: Date;
  routing: RoutingTable;
  /** The policy new complaints run under. */
  policy: SlaPolicy;
}

const severityOf = (priority: Priority, vulnerableCustomer: boolean): Complaint["severity"] => {
  if (priority === "P1" || vulnerableCustomer) return "high";
  return priority === "P2" ? "medium" : "low";
};

/** Classifies, routes and plans a new complaint from a validated intake request. */
export const openComplaint = (request: IntakeRequest, ctx: OpenComplaintContext): TransitionResult => {
  const flags = {
    vulnerableCustomer: request.flags?.vulnerableCustomer ?? false,
    mediaRisk: request.flags?.mediaRisk ?? false,
    regulatorReferral: (request.flags?.regulatorReferral ?? false) || ctx.channel === "regulator_referral",
    // Repeat detection runs when the workflow takes the complaint up (start_handling), off the request path.
    repeat: false,
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
  const jurisdiction = request.jurisdiction ?? DEFAULT_JURISDICTION[ctx.channel];
  const receivedAt = ctx.now.toISOString();
  const sla = computeSlaPlan(
    {
      receivedAt,
      priority,
      segment: request.customer.segment,
      jurisdiction,
      tier: 0,
      pauses: [],
      paymentServices: request.businessType === "payments",
    },
    ctx.policy,
    calendarFor(jurisdiction),
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
    flags,
    severity: severityOf(priority, flags.vulnerableCustomer),
    priority,
    team: decision.team,
    tier: 0,
    status: "received",
    receivedAt,
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
    at: receivedAt,
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
