import * as z from "zod";
import type { BusinessType, Cause, Channel, Segment } from "../../functions/domain/codes";

/**
 * The operating policy a simulation runs under (`--policy file.json`): how staff work and how customers
 * behave. The SLA policy itself is the deployed one (`defaultSlaPolicy`): the system has no runtime switch
 * for it, and the simulator does not fork production code.
 */
export const simPolicySchema = z
  .object({
    name: z.string().default("baseline"),
    /** Order staff take work in: nearest deadline first (the queue's own order) or oldest first. */
    workOrder: z.enum(["deadline", "fifo"]).default("deadline"),
    /** Median handling time per complaint, business minutes (lognormal spread). */
    handlingMinutes: z.number().positive().default(150),
    /** Extra handling time by business type (multiplier). */
    handlingFactor: z
      .record(z.string(), z.number().positive())
      .default({ loans: 1.4, wealth_management: 1.6, payments: 1.1 }),
    /** Share of first looks that end in a request for information. */
    requestInfoRate: z.number().min(0).max(1).default(0.15),
    /** Supervisors per team (they take tier >= 2 work first, then help with the rest). */
    supervisorsPerTeam: z.number().int().min(0).default(1),
    /** Share of scheduled staff time actually available (meetings, leave, training). */
    availability: z.number().gt(0).max(1).default(0.85),
    /** Customers: share slow to reply, share who never reply, share who reopen, share who never give feedback. */
    slowReplyShare: z.number().min(0).max(1).default(0.2),
    noReplyShare: z.number().min(0).max(1).default(0.05),
    reopenShare: z.number().min(0).max(1).default(0.08),
    noFeedbackShare: z.number().min(0).max(1).default(0.1),
  })
  .strict();
export type SimPolicy = z.infer<typeof simPolicySchema>;

export const SEGMENT_MIX: Record<Segment, number> = {
  mass_retail: 55,
  mass_affluent: 20,
  small_business: 12,
  wealth: 9,
  private_banking: 4,
};
export const BUSINESS_MIX: Record<BusinessType, number> = {
  cards: 30,
  loans: 15,
  payments: 14,
  e_banking: 12,
  deposits: 10,
  fees_charges: 8,
  wealth_management: 7,
  other: 4,
};
export const CAUSE_MIX: Record<Cause, number> = {
  service_quality: 22,
  fees_pricing: 20,
  system_failure: 12,
  service_attitude: 10,
  fraud_dispute: 10,
  other: 9,
  debt_collection: 8,
  mis_selling: 6,
  privacy: 3,
};
export const CHANNEL_MIX: Record<Channel, number> = {
  mobile_app: 35,
  phone_centre: 25,
  branch: 20,
  online_banking: 10,
  wechat: 8,
  regulator_referral: 2,
};
/** Relative arrivals by weekday (Mon..Sun): complaints peak on Mondays, fall off at the weekend. */
export const WEEKDAY_FACTOR = [1.3, 1.15, 1.05, 1.0, 0.95, 0.35, 0.3];
/** Relative arrivals by local hour: office-hours peaks, an evening tail from the app. */
export const HOUR_WEIGHT = [
  0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.5, 2.6, 3.0, 2.8, 1.6, 2.0, 2.7, 2.8, 2.5, 2.0, 1.4, 1.3, 1.3,
  1.1, 0.8, 0.4,
];

export interface ComplaintOutcome {
  id: string;
  team: string;
  segment: string;
  priority: string;
  channel: string;
  receivedAt: string;
  status: string;
  resolveBy: string;
  firstResolvedAt?: string;
  closedAt?: string;
  warned: boolean;
  breached: boolean;
  escalations: number;
  statutoryBreaches: number;
  reopened: number;
  infoRequests: number;
  tier: number;
}

export interface GroupStats {
  complaints: number;
  resolved: number;
  met: number;
  missed: number;
  /** met / (met + missed): complaints whose resolution deadline passed or who were resolved. */
  attainment: number;
  breaches: number;
  statutoryBreaches: number;
  escalations: number;
  backlog: number;
  medianResolveHours: number;
}

export interface SimResult {
  version: 1;
  label: string;
  options: {
    days: number;
    arrivalsPerDay: number;
    staff: Record<string, number>;
    policy: SimPolicy;
    start: string;
    timeScale: number;
    seed: number;
  };
  realSeconds: number;
  totals: GroupStats & {
    arrivals: number;
    submitted: number;
    http5xx: number;
    actions: Record<string, number>;
  };
  byTeam: Record<string, GroupStats>;
  bySegment: Record<string, GroupStats>;
  daily: {
    day: string;
    arrivals: number;
    resolved: number;
    backlog: number;
    breaches: number;
    escalations: number;
  }[];
  dailyBacklogByTeam: Record<string, number[]>;
  complaints: ComplaintOutcome[];
}
