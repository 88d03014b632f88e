import { calendarFor } from "./calendar";
import { type Channel, DEFAULT_JURISDICTION, jrt0169, MAX_TIER, type Priority, type Tier } from "./codes";
import type { Actor, Complaint, DomainEvent, Status } from "./complaint";
import { IllegalTransitionError } from "./errors";
import { type RoutingTable, raisePriority, route } from "./routing";
import type { IntakeRequest, Resolution } from "./schemas";
import { computeSlaPlan, nextCheckpoint, type SlaFacts, type SlaPolicy } from "./sla";

/** What a complaint can be told to do. Staff commands come from people; the rest from the workflow. */
export type Command =
  | { type: "start_handling"; actor: Actor }
  | { type: "claim"; actor: Actor & { kind: "staff" } }
  | { type: "note"; actor: Actor; note: string }
  | { type: "resolve"; actor: Actor & { kind: "staff" }; resolution: Resolution }
  | { type: "sla_checkpoint"; actor: Actor }
  | { type: "close"; actor: Actor }
  | { type: "mark_needs_attention"; actor: Actor; reason: string };
export type CommandType = Command["type"];

/** The commands each status accepts. Anything else is an IllegalTransitionError, never a silent no-op. */
export const ALLOWED: Record<Status, readonly CommandType[]> = {
  received: ["start_handling", "claim", "note", "mark_needs_attention"],
  in_progress: ["start_handling", "claim", "note", "resolve", "sla_checkpoint", "mark_needs_attention"],
  awaiting_customer: ["note", "mark_needs_attention"],
  resolved: ["note", "close", "mark_needs_attention"],
  awaiting_feedback: ["note", "mark_needs_attention"],
  closed: [],
  needs_attention: ["note"],
};

/** Actions a member of staff may send through the actions endpoint. */
export const STAFF_ACTIONS = ["claim", "note", "resolve"] as const;

/** The staff actions valid in a status (what a 409 tells the caller it could do instead). */
export const allowedStaffActions = (status: Status): string[] =>
  STAFF_ACTIONS.filter((a) => ALLOWED[status].includes(a));

export interface TransitionContext {
  now: Date;
  /** SLA policies by version: a complaint is always recomputed under the version it was received with. */
  policies: Readonly<Record<string, SlaPolicy>>;
}

/** The facts a complaint's deadlines are computed from. */
export const slaFactsOf = (c: Complaint): SlaFacts => ({
  receivedAt: c.receivedAt,
  priority: c.priority,
  segment: c.customer.segment,
  jurisdiction: c.jurisdiction,
  tier: c.tier,
  ...(c.tierSince ? { tierSince: c.tierSince } : {}),
  pauses: c.pauses,
  ...(c.extension ? { extension: c.extension } : {}),
  paymentServices: c.businessType === "payments",
});

const policyOf = (c: Complaint, ctx: TransitionContext): SlaPolicy => {
  const policy = ctx.policies[c.sla.policyVersion];
  if (!policy) throw new Error(`SLA policy version ${c.sla.policyVersion} is not loaded`);
  return policy;
};

/** Recomputes every deadline from the complaint's facts (after a pause, escalation or extension). */
export const replan = (c: Complaint, ctx: TransitionContext): Complaint => ({
  ...c,
  sla: computeSlaPlan(slaFactsOf(c), policyOf(c, ctx), calendarFor(c.jurisdiction), ctx.now),
});

export interface TransitionResult {
  complaint: Complaint;
  events: DomainEvent[];
}

/**
 * The lifecycle: takes a complaint and a command at an instant and returns the new complaint with the
 * events that explain the change. Pure; throws IllegalTransitionError for a command the status refuses.
 */
export const transition = (
  complaint: Complaint,
  command: Command,
  ctx: TransitionContext,
): TransitionResult => {
  if (!ALLOWED[complaint.status].includes(command.type)) {
    throw new IllegalTransitionError(complaint.status, command.type, allowedStaffActions(complaint.status));
  }
  const at = ctx.now.toISOString();
  const event = (
    type: DomainEvent["type"],
    next: Complaint,
    data?: Record<string, unknown>,
  ): DomainEvent => ({
    type,
    at,
    actor: command.actor,
    statusBefore: complaint.status,
    statusAfter: next.status,
    ...(data ? { data } : {}),
  });
  const done = (next: Complaint, ...events: DomainEvent[]): TransitionResult => ({ complaint: next, events });

  switch (command.type) {
    case "start_handling": {
      // Idempotent: a retried workflow step must not record a second start.
      if (complaint.status === "in_progress") return done(complaint);
      const next: Complaint = { ...complaint, status: "in_progress" };
      return done(next, event("HandlingStarted", next, { team: next.team, priority: next.priority }));
    }
    case "claim": {
      if (complaint.assignee === command.actor.subject) return done(complaint);
      const next: Complaint = { ...complaint, assignee: command.actor.subject };
      return done(next, event("Claimed", next, { previousAssignee: complaint.assignee ?? null }));
    }
    case "note":
      // Internal notes live in the audit trail only; the complaint itself does not change.
      return done(complaint, event("NoteAdded", complaint, { note: command.note }));
    case "resolve": {
      const next: Complaint = {
        ...complaint,
        status: "resolved",
        resolution: { ...command.resolution, resolvedBy: command.actor.subject, resolvedAt: at },
      };
      return done(next, event("Resolved", next, { outcome: command.resolution.outcome }));
    }
    case "close": {
      const next: Complaint = { ...complaint, status: "closed", closedAt: at };
      return done(next, event("Closed", next, { outcome: complaint.resolution?.outcome ?? null }));
    }
    case "mark_needs_attention": {
      const next: Complaint = { ...complaint, status: "needs_attention" };
      return done(next, event("NeedsAttention", next, { reason: command.reason }));
    }
    case "sla_checkpoint":
      return slaCheckpoint(complaint, ctx, event, done);
  }
};

const slaCheckpoint = (
  complaint: Complaint,
  ctx: TransitionContext,
  event: (type: DomainEvent["type"], next: Complaint, data?: Record<string, unknown>) => DomainEvent,
  done: (next: Complaint, ...events: DomainEvent[]) => TransitionResult,
): TransitionResult => {
  const checkpoint = nextCheckpoint(complaint, ctx.now);
  // A checkpoint that has not arrived yet (an early or duplicate timer) changes nothing.
  if (checkpoint.kind === "none" || checkpoint.at.getTime() > ctx.now.getTime()) return done(complaint);
  switch (checkpoint.kind) {
    case "warning": {
      const next: Complaint = { ...complaint, slaPhase: "at_risk" };
      return done(next, event("SlaWarning", next, { resolveBy: complaint.sla.resolveBy }));
    }
    case "statutory_breach": {
      const next: Complaint = {
        ...complaint,
        statutoryBreaches: [...complaint.statutoryBreaches, checkpoint.rule as string],
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

const severityOf = (priority: Priority, request: IntakeRequest): Complaint["severity"] => {
  if (priority === "P1" || request.flags?.vulnerableCustomer) return "high";
  return priority === "P2" ? "medium" : "low";
};

/** Classifies, routes and plans a new complaint from a validated intake request. */
export const openComplaint = (request: IntakeRequest, ctx: OpenComplaintContext): TransitionResult => {
  const flags = {
    vulnerableCustomer: request.flags?.vulnerableCustomer ?? false,
    mediaRisk: request.flags?.mediaRisk ?? false,
    regulatorReferral: (request.flags?.regulatorReferral ?? false) || ctx.channel === "regulator_referral",
    repeat: false,
  };
  const decision = route(ctx.routing, {
    segment: request.customer.segment,
    businessType: request.businessType,
    cause: request.cause,
    channel: ctx.channel,
    flags,
  });
  // A vulnerable customer is served one priority step sooner than the rule alone would give.
  const priority = flags.vulnerableCustomer ? raisePriority(decision.priority) : decision.priority;
  const jurisdiction = request.jurisdiction ?? DEFAULT_JURISDICTION[ctx.channel];
  const sla = computeSlaPlan(
    {
      receivedAt: ctx.now.toISOString(),
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
    severity: severityOf(priority, request),
    priority,
    team: decision.team,
    tier: 0,
    status: "received",
    receivedAt: ctx.now.toISOString(),
    sla,
    slaPhase: "on_track",
    pauses: [],
    statutoryBreaches: [],
    version: 0,
  };
  const received: DomainEvent = {
    type: "ComplaintReceived",
    at: complaint.receivedAt,
    actor: { kind: "channel", channel: ctx.channel },
    statusAfter: "received",
    data: {
      team: decision.team,
      priority,
      rule: decision.rule,
      codes: complaint.codes,
      policyVersion: sla.policyVersion,
      provisional: sla.provisional,
    },
  };
  return { complaint, events: [received] };
};

/** The business reference humans quote on the phone, e.g. CMP-20261128-000123. */
export const formatReference = (localDate: string, sequence: number): string =>
  `CMP-${localDate.replaceAll("-", "")}-${String(sequence).padStart(6, "0")}`;
