import { z } from "zod";
import { PRIORITIES, type Priority, SEGMENTS, type Segment, type Tier } from "./codes";
import type { Complaint } from "./complaint";

/**
 * SLA policy as versioned data. A complaint records the version it runs under; a new policy only
 * applies to complaints received after it is deployed.
 */
const durationSchema = z
  .object({
    amount: z
      .number()
      .positive("must be positive")
      .max(366 * 24 * 60, "is absurdly long"),
    unit: z.enum(["minutes", "hours", "days"]),
    basis: z.enum(["calendar", "business"]),
  })
  .strict();
export type SlaDuration = z.infer<typeof durationSchema>;

const targetsSchema = z
  .object({ acknowledge: durationSchema, firstResponse: durationSchema, resolution: durationSchema })
  .strict();

export const slaPolicySchema = z
  .object({
    version: z.string().min(1),
    warningRatio: z.number().gt(0).lt(1),
    targets: z.record(z.enum(PRIORITIES), targetsSchema),
    /** Per-segment overrides, e.g. tighter targets for private banking. */
    segmentTargets: z
      .partialRecord(z.enum(SEGMENTS), z.partialRecord(z.enum(PRIORITIES), targetsSchema))
      .default({}),
    /** How long each escalation tier has before the next one is called in. */
    tierTimeBox: z.object({ 1: durationSchema, 2: durationSchema, 3: durationSchema }).strict(),
  })
  .strict();
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** Validates an SLA policy document, rejecting negative, zero or absurd targets. */
export const loadSlaPolicy = (raw: unknown): SlaPolicy => slaPolicySchema.parse(raw);

/** Time arithmetic the plan is computed with; business calendars plug in here. */
export interface TimeArithmetic {
  add(from: Date, duration: SlaDuration): Date;
}

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** Plain elapsed-time arithmetic (calendar basis). */
export const calendarTime: TimeArithmetic = {
  add(from, duration) {
    if (duration.basis !== "calendar") {
      throw new Error(`calendar arithmetic cannot add ${duration.basis} time`);
    }
    return new Date(from.getTime() + duration.amount * UNIT_MS[duration.unit]);
  },
};

export interface SlaPlan {
  policyVersion: string;
  acknowledgedAt: string;
  firstResponseBy: string;
  resolveBy: string;
  warningAt: string;
  /** When the current escalation tier's time box runs out (set once the SLA is breached). */
  tierDueBy?: string;
}

const iso = (d: Date) => d.toISOString();

/** Computes every internal deadline of a new complaint from its policy. */
export const computeSlaPlan = (
  input: { receivedAt: Date; priority: Priority; segment: Segment },
  policy: SlaPolicy,
  time: TimeArithmetic,
): SlaPlan => {
  const targets = policy.segmentTargets[input.segment]?.[input.priority] ?? policy.targets[input.priority];
  const acknowledgedAt = time.add(input.receivedAt, targets.acknowledge);
  const firstResponseBy = time.add(input.receivedAt, targets.firstResponse);
  const resolveBy = time.add(input.receivedAt, targets.resolution);
  const warningAt = new Date(
    input.receivedAt.getTime() + (resolveBy.getTime() - input.receivedAt.getTime()) * policy.warningRatio,
  );
  return {
    policyVersion: policy.version,
    // Intake answers synchronously, so the acknowledgement is the intake answer itself.
    acknowledgedAt: iso(new Date(Math.min(input.receivedAt.getTime(), acknowledgedAt.getTime()))),
    firstResponseBy: iso(firstResponseBy),
    resolveBy: iso(resolveBy),
    warningAt: iso(warningAt),
  };
};

export type CheckpointKind = "warning" | "breach" | "tier_timeout" | "none";

export interface Checkpoint {
  kind: CheckpointKind;
  at: Date;
}

/** The longest the workflow waits when no checkpoint is left (Step Functions caps a task at one year). */
export const IDLE_RECHECK_MS = 30 * 86_400_000;

/** The next SLA checkpoint of a complaint: warning, then breach, then each tier's time box. */
export const nextCheckpoint = (
  complaint: Pick<Complaint, "sla" | "slaPhase" | "tier">,
  now: Date,
): Checkpoint => {
  switch (complaint.slaPhase) {
    case "on_track":
      return { kind: "warning", at: new Date(complaint.sla.warningAt) };
    case "at_risk":
      return { kind: "breach", at: new Date(complaint.sla.resolveBy) };
    case "breached":
      if (complaint.sla.tierDueBy && complaint.tier < 3) {
        return { kind: "tier_timeout", at: new Date(complaint.sla.tierDueBy) };
      }
      // At the top tier nothing further is escalated; the committee is re-reminded monthly.
      return { kind: "none", at: new Date(now.getTime() + IDLE_RECHECK_MS) };
  }
};

/** Whole seconds from now to an instant, at least 1 (Step Functions rejects a zero timeout). */
export const secondsUntil = (at: Date, now: Date): number =>
  Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));

/** The time box a tier gets once it is escalated to. */
export const tierDueBy = (
  tier: Tier,
  from: Date,
  policy: SlaPolicy,
  time: TimeArithmetic,
): string | undefined => (tier === 0 ? undefined : iso(time.add(from, policy.tierTimeBox[tier])));

const h = (amount: number) => ({ amount, unit: "hours", basis: "calendar" }) as const;
const d = (amount: number) => ({ amount, unit: "days", basis: "calendar" }) as const;

/** The bank's first policy. Calendar time for now; business-calendar targets replace these with the SLA engine. */
export const defaultSlaPolicy: SlaPolicy = loadSlaPolicy({
  version: "2026-11-default",
  warningRatio: 0.75,
  targets: {
    P1: { acknowledge: h(1), firstResponse: h(4), resolution: d(2) },
    P2: { acknowledge: h(4), firstResponse: d(1), resolution: d(5) },
    P3: { acknowledge: h(24), firstResponse: d(2), resolution: d(10) },
    P4: { acknowledge: h(24), firstResponse: d(3), resolution: d(15) },
  },
  segmentTargets: {
    private_banking: {
      P1: { acknowledge: h(1), firstResponse: h(2), resolution: d(1) },
      P2: { acknowledge: h(1), firstResponse: h(8), resolution: d(3) },
    },
    wealth: { P2: { acknowledge: h(2), firstResponse: h(12), resolution: d(4) } },
  },
  tierTimeBox: { 1: d(1), 2: d(2), 3: d(5) },
});
