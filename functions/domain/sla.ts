import type { BusinessCalendar } from "./calendar";
import { type Jurisdiction, PRIORITIES, type Priority, SEGMENTS, type Segment, type Tier } from "./codes";
import {
  computeStatutoryDeadlines,
  type ExtensionLevel,
  isStatutoryDeadline,
  type StatutoryRule,
} from "./sla/statutory";
import * as z from "./zod";

/**
 * SLA policy as versioned data. A complaint records the version it runs under; a new policy only
 * applies to complaints received after it is deployed (older versions stay in the registry).
 */
const durationSchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      amount: z.number().check(z.positive("must be positive"), z.lte(366 * 24 * 60, "is absurdly long")),
      unit: z.enum(["minutes", "hours", "days"]),
      basis: z.enum(["calendar", "business"]),
    })
    .check(
      z.refine((d) => d.unit !== "days" || d.basis === "calendar" || Number.isInteger(d.amount), {
        message: "business days must be a whole number",
      }),
    ))();
export type SlaDuration = z.infer<typeof durationSchema>;

const targetsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    acknowledge: durationSchema,
    firstResponse: durationSchema,
    resolution: durationSchema,
  }))();

export const slaPolicySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.string().check(z.minLength(1)),
    warningRatio: z.number().check(z.gt(0), z.lt(1)),
    targets: z.record(z.enum(PRIORITIES), targetsSchema),
    /** Per-segment overrides, e.g. tighter targets for private banking. */
    segmentTargets: z._default(
      z.partialRecord(z.enum(SEGMENTS), z.partialRecord(z.enum(PRIORITIES), targetsSchema)),
      {},
    ),
    /** How long each escalation tier has before the next one is called in. */
    tierTimeBox: z.strictObject({ 1: durationSchema, 2: durationSchema, 3: durationSchema }),
    /** How long the customer has to answer a request for information before staff take it back. */
    customerReplyWindow: z._default(durationSchema, { amount: 10, unit: "days", basis: "business" }),
    /** How long the customer has to give feedback on a resolution before the complaint closes. */
    feedbackWindow: z._default(durationSchema, { amount: 14, unit: "days", basis: "calendar" }),
  }))();
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** Validates an SLA policy document, rejecting negative, zero or absurd targets. */
export const loadSlaPolicy = (raw: unknown): SlaPolicy => slaPolicySchema.parse(raw);

/** A pause of the clocks (awaiting the customer, external appraisal): appended, closed, never edited. */
export interface Pause {
  start: string;
  end?: string;
  reason: "awaiting_customer" | "external_appraisal";
}

/** A statutory extension as recorded on the complaint (with the approval, when one was needed). */
export interface StoredExtension {
  level: ExtensionLevel;
  totalDays?: number;
  /** GB eight-week holding response: the local date the final response is expected by. */
  expectedBy?: string;
  approvedBy?: { role: "supervisor" | "manager"; subject: string; at: string };
  reason?: string;
}

/** The facts every deadline is computed from; changing a fact means recomputing, never editing a date. */
export interface SlaFacts {
  /** When the bank received the complaint: every clock starts here. */
  receivedAt: string;
  /** When it was recorded here: that is when the intake answer acknowledged it (absent: at receipt). */
  recordedAt?: string;
  /** Start of the current resolution cycle (a reopen starts a new one); internal targets run from here. */
  cycleStartedAt?: string;
  priority: Priority;
  segment: Segment;
  jurisdiction: Jurisdiction;
  tier: Tier;
  /** When the current tier was called in (absent at tier 0). */
  tierSince?: string;
  pauses: readonly Pause[];
  extension?: StoredExtension;
  paymentServices?: boolean;
}

export interface StatutoryDeadlineView {
  rule: StatutoryRule;
  dueBy: string;
  provisional: boolean;
  paused: boolean;
}

/** Every deadline of a complaint, as computed (stored so queues can sort by them). */
export interface SlaPlan {
  policyVersion: string;
  calendar: string;
  acknowledgedAt: string;
  firstResponseBy: string;
  resolveBy: string;
  warningAt: string;
  /** When the current escalation tier's time box runs out (tier 1 and above). */
  tierDueBy?: string;
  statutory: StatutoryDeadlineView[];
  /** Some deadline reaches a year whose holidays are not loaded: computed on weekly hours alone. */
  provisional: boolean;
}

const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1440 } as const;
const MINUTE = 60_000;

/** Time measured on the duration's basis: business minutes on the calendar, or elapsed minutes. */
const measure = (cal: BusinessCalendar, basis: SlaDuration["basis"], a: Date, b: Date) =>
  basis === "business"
    ? cal.businessMinutesBetween(a, b)
    : { minutes: (b.getTime() - a.getTime()) / MINUTE, provisional: false };

const addMinutes = (cal: BusinessCalendar, basis: SlaDuration["basis"], from: Date, minutes: number) =>
  basis === "business"
    ? cal.addBusinessMinutes(from, minutes)
    : { at: new Date(from.getTime() + minutes * MINUTE), provisional: false };

const addRaw = (cal: BusinessCalendar, from: Date, d: SlaDuration) => {
  if (d.basis === "business" && d.unit === "days") return cal.addBusinessDays(from, d.amount);
  return addMinutes(cal, d.basis, from, d.amount * UNIT_MINUTES[d.unit]);
};

/** Paused time inside [from, to), on a basis; an open pause counts up to `asOf`. */
const pausedWithin = (
  cal: BusinessCalendar,
  basis: SlaDuration["basis"],
  pauses: readonly Pause[],
  from: Date,
  to: Date,
  asOf: Date,
) => {
  let minutes = 0;
  let provisional = false;
  for (const p of pauses) {
    const start = Math.max(Date.parse(p.start), from.getTime());
    const end = Math.min(p.end ? Date.parse(p.end) : asOf.getTime(), to.getTime());
    if (end <= start) continue;
    const m = measure(cal, basis, new Date(start), new Date(end));
    minutes += m.minutes;
    provisional ||= m.provisional;
  }
  return { minutes, provisional };
};

/**
 * Adds a duration of *running* clock time: paused intervals inside the period push the end out by
 * their length. Iterates because an extended period can reach a later pause (bounded by the ledger).
 */
const addRunning = (
  cal: BusinessCalendar,
  from: Date,
  d: SlaDuration,
  pauses: readonly Pause[],
  asOf: Date,
): { at: Date; provisional: boolean } => {
  const base = addRaw(cal, from, d);
  let at = base.at;
  let provisional = base.provisional;
  let applied = 0;
  for (let i = 0; i <= pauses.length; i++) {
    const paused = pausedWithin(cal, d.basis, pauses, from, at, asOf);
    provisional ||= paused.provisional;
    if (paused.minutes === applied) break;
    const next = addMinutes(cal, d.basis, base.at, paused.minutes);
    at = next.at;
    provisional ||= next.provisional;
    applied = paused.minutes;
  }
  return { at, provisional };
};

const targetsFor = (policy: SlaPolicy, priority: Priority, segment: Segment) =>
  policy.segmentTargets[segment]?.[priority] ?? policy.targets[priority];

/**
 * Computes every deadline of a complaint from its facts, its policy and its jurisdiction's calendar:
 * internal targets (with pauses excluded), the warning point, the tier's time box and the statutory clock.
 */
export const computeSlaPlan = (
  facts: SlaFacts,
  policy: SlaPolicy,
  cal: BusinessCalendar,
  asOf: Date,
): SlaPlan => {
  const receivedAt = new Date(facts.cycleStartedAt ?? facts.receivedAt);
  const targets = targetsFor(policy, facts.priority, facts.segment);
  const ack = addRunning(cal, receivedAt, targets.acknowledge, facts.pauses, asOf);
  const first = addRunning(cal, receivedAt, targets.firstResponse, facts.pauses, asOf);
  const resolve = addRunning(cal, receivedAt, targets.resolution, facts.pauses, asOf);

  // The warning sits at a share of the running time to resolution, measured on the target's own basis.
  const basis = targets.resolution.basis;
  const total = measure(cal, basis, receivedAt, resolve.at).minutes;
  const pausedTotal = pausedWithin(cal, basis, facts.pauses, receivedAt, resolve.at, asOf).minutes;
  const warning = addRunning(
    cal,
    receivedAt,
    { amount: Math.max(1, Math.floor((total - pausedTotal) * policy.warningRatio)), unit: "minutes", basis },
    facts.pauses,
    asOf,
  );

  let tier: { at: Date; provisional: boolean } | undefined;
  if (facts.tier > 0 && facts.tierSince) {
    tier = addRunning(
      cal,
      new Date(facts.tierSince),
      policy.tierTimeBox[facts.tier as 1 | 2 | 3],
      facts.pauses,
      asOf,
    );
  }

  // The regulator's clock never restarts: it always runs from the original receipt.
  const statutory = computeStatutoryDeadlines({
    jurisdiction: facts.jurisdiction,
    receivedAt: new Date(facts.receivedAt),
    pauses: facts.pauses.map((p) => ({
      start: new Date(p.start),
      ...(p.end ? { end: new Date(p.end) } : {}),
      reason: p.reason,
    })),
    ...(facts.extension
      ? {
          extension: {
            ...facts.extension,
            approvedBy: facts.extension.approvedBy
              ? { ...facts.extension.approvedBy, at: new Date(facts.extension.approvedBy.at) }
              : undefined,
          },
        }
      : {}),
    ...(facts.paymentServices ? { paymentServices: true } : {}),
    calendar: cal,
    asOf,
  }).map((s) => ({
    rule: s.rule,
    dueBy: s.dueBy.toISOString(),
    provisional: s.provisional,
    paused: s.paused,
  }));

  return {
    policyVersion: policy.version,
    calendar: cal.id,
    // Intake answers synchronously, so the acknowledgement is the intake answer itself: when the complaint
    // was recorded (later than its receipt when it came on paper, by phone or from a regulator).
    acknowledgedAt: new Date(facts.recordedAt ?? facts.receivedAt).toISOString(),
    firstResponseBy: first.at.toISOString(),
    resolveBy: resolve.at.toISOString(),
    warningAt: warning.at.toISOString(),
    ...(tier ? { tierDueBy: tier.at.toISOString() } : {}),
    statutory,
    provisional:
      ack.provisional ||
      first.provisional ||
      resolve.provisional ||
      warning.provisional ||
      (tier?.provisional ?? false) ||
      statutory.some((s) => s.provisional),
  };
};

/** An instant a duration after another, on the jurisdiction's calendar (no pauses apply). */
export const addDuration = (cal: BusinessCalendar, from: Date, d: SlaDuration): Date =>
  addRaw(cal, from, d).at;

/** Business time used so far and remaining to resolution (paused time is not used time). */
export const businessTime = (facts: SlaFacts, plan: SlaPlan, cal: BusinessCalendar, now: Date) => {
  const receivedAt = new Date(facts.cycleStartedAt ?? facts.receivedAt);
  const elapsed = cal.businessMinutesBetween(receivedAt, now).minutes;
  const paused = pausedWithin(cal, "business", facts.pauses, receivedAt, now, now).minutes;
  const remaining = cal.businessMinutesBetween(now, new Date(plan.resolveBy)).minutes;
  return { usedMinutes: Math.max(0, Math.round(elapsed - paused)), remainingMinutes: Math.round(remaining) };
};

export type CheckpointKind = "warning" | "breach" | "tier_timeout" | "statutory_breach" | "none";

export type Checkpoint =
  | { kind: Exclude<CheckpointKind, "statutory_breach">; at: Date }
  | { kind: "statutory_breach"; at: Date; rule: StatutoryRule };

/** The longest the workflow waits when no checkpoint is left: a monthly re-check, at zero cost meanwhile. */
export const IDLE_RECHECK_MS = 30 * 86_400_000;

/**
 * The next SLA checkpoint: warning, then breach, then each tier's time box, and any statutory deadline
 * not yet recorded as breached, whichever comes first.
 */
export const nextCheckpoint = (
  c: {
    sla: SlaPlan;
    slaPhase: "on_track" | "at_risk" | "breached";
    tier: Tier;
    statutoryBreaches?: readonly string[];
  },
  now: Date,
): Checkpoint => {
  let internal: Checkpoint;
  if (c.slaPhase === "on_track") internal = { kind: "warning", at: new Date(c.sla.warningAt) };
  else if (c.slaPhase === "at_risk") internal = { kind: "breach", at: new Date(c.sla.resolveBy) };
  else if (c.sla.tierDueBy && c.tier < 3) internal = { kind: "tier_timeout", at: new Date(c.sla.tierDueBy) };
  // At the top tier nothing further is escalated; the committee is re-reminded monthly.
  else internal = { kind: "none", at: new Date(now.getTime() + IDLE_RECHECK_MS) };

  // Windows (an option with an end, such as the FCA's summary resolution) are never breached.
  const statutory = c.sla.statutory
    .filter((s) => isStatutoryDeadline(s.rule) && !(c.statutoryBreaches ?? []).includes(s.rule))
    .sort((a, b) => Date.parse(a.dueBy) - Date.parse(b.dueBy))[0];
  if (statutory && Date.parse(statutory.dueBy) < internal.at.getTime()) {
    return { kind: "statutory_breach", at: new Date(statutory.dueBy), rule: statutory.rule };
  }
  return internal;
};

/** Whole seconds from now to an instant, at least 1 (Step Functions rejects a zero timeout). */
export const secondsUntil = (at: Date, now: Date): number =>
  Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

const bh = (amount: number) => ({ amount, unit: "hours", basis: "business" }) as const;
const bd = (amount: number) => ({ amount, unit: "days", basis: "business" }) as const;
const ch = (amount: number) => ({ amount, unit: "hours", basis: "calendar" }) as const;

/**
 * The bank's default policy: business time on the jurisdiction's calendar. Private banking and wealth
 * clients get tighter targets than mass retail for the same priority.
 */
export const defaultSlaPolicy: SlaPolicy = /* @__PURE__ */ loadSlaPolicy({
  version: "2026-12-business-v1",
  warningRatio: 0.75,
  targets: {
    P1: { acknowledge: ch(1), firstResponse: bh(4), resolution: bd(3) },
    P2: { acknowledge: ch(4), firstResponse: bd(1), resolution: bd(5) },
    P3: { acknowledge: ch(24), firstResponse: bd(2), resolution: bd(10) },
    P4: { acknowledge: ch(24), firstResponse: bd(3), resolution: bd(15) },
  },
  segmentTargets: {
    private_banking: {
      P1: { acknowledge: ch(1), firstResponse: bh(2), resolution: bd(2) },
      P2: { acknowledge: ch(1), firstResponse: bh(4), resolution: bd(3) },
    },
    wealth: {
      P2: { acknowledge: ch(2), firstResponse: bh(8), resolution: bd(4) },
      P3: { acknowledge: ch(4), firstResponse: bd(1), resolution: bd(7) },
    },
  },
  tierTimeBox: { 1: bd(1), 2: bd(2), 3: bd(5) },
});

/** Policies by version: complaints keep the version they were received under. */
export const slaPolicies: Readonly<Record<string, SlaPolicy>> = {
  [defaultSlaPolicy.version]: defaultSlaPolicy,
};
