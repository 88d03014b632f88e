import type { Attachment } from "./attachments";
import type { BusinessType, Cause, Channel, Jurisdiction, Priority, RootCause, Segment, Tier } from "./codes";
import type { Money, Resolution } from "./schemas";
import type { Pause, SlaFacts, SlaPlan } from "./sla";

/** Statuses as clients see them (see docs/architecture.md for the lifecycle). */
export const STATUSES = [
  "received",
  "in_progress",
  "awaiting_customer",
  "awaiting_feedback",
  "closed",
  "needs_attention",
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses in which a complaint sits in a team's queue. */
export const OPEN_STATUSES: readonly Status[] = [
  "received",
  "in_progress",
  "awaiting_customer",
  "awaiting_feedback",
  "needs_attention",
];

export type TaskStage = "staff" | "customer" | "feedback";

/** The callback stage the workflow waits in for each status that waits for someone. */
export const STAGE_OF: Partial<Record<Status, TaskStage>> = {
  in_progress: "staff",
  awaiting_customer: "customer",
  awaiting_feedback: "feedback",
};

export interface Customer {
  id: string;
  segment: Segment;
  /** Personal data: stored, shown to staff of the owning team, never logged. */
  name?: string;
  phone?: string;
  email?: string;
  locale?: string;
}

export interface Flags {
  vulnerableCustomer: boolean;
  mediaRisk: boolean;
  regulatorReferral: boolean;
  repeat: boolean;
  /**
   * The complaint is about a payment service (PSD2 / DISP 1.6.2A clocks), fixed at intake: the channel's
   * flag, or the business type's default. Absent on complaints stored before it was recorded.
   */
  paymentServices?: boolean;
}

/** Where the SLA clock stands: each checkpoint fires once, in this order. */
export type SlaPhase = "on_track" | "at_risk" | "breached";

export interface Complaint {
  id: string;
  reference: string;
  channel: Channel;
  jurisdiction: Jurisdiction;
  customer: Customer;
  businessType: BusinessType;
  cause: Cause;
  codes: { channel: string; businessType: string; cause: string };
  description: string;
  amountInDispute?: Money;
  branch?: string;
  /** ISO 3166-2 subdivision where the complaint is handled (`CN-BJ`, `GB-SCT`); it picked the calendar. */
  region?: string;
  flags: Flags;
  severity: "low" | "medium" | "high";
  priority: Priority;
  team: string;
  tier: Tier;
  /** When the current tier was called in (absent at tier 0). */
  tierSince?: string;
  assignee?: string;
  status: Status;
  /** When the bank received the complaint (paper, phone, a regulator's referral): every clock starts here. */
  receivedAt: string;
  /** When it was keyed into this system (absent on complaints stored before the two were told apart). */
  recordedAt?: string;
  sla: SlaPlan;
  slaPhase: SlaPhase;
  /** The append-only pause ledger; every deadline is recomputed from it. */
  pauses: Pause[];
  /** Statutory rules whose deadline has passed (each recorded once). */
  statutoryBreaches: string[];
  extension?: SlaFacts["extension"];
  resolution?: ResolutionDecision & {
    resolvedBy: string;
    resolvedAt: string;
    /** The resolution's remediation action, done: when, by whom (a new resolution starts without it). */
    remediationCompleted?: { at: string; by: string };
  };
  /** Resolution cycles: 1 at intake, +1 on every reopen. */
  cycle: number;
  cycleStartedAt: string;
  /** The open request for information, visible to the customer. */
  pendingQuestion?: { question: string; askedAt: string; replyBy: string };
  feedbackDueBy?: string;
  feedback?: { satisfaction: number; accepted: boolean; comment?: string; at: string };
  /** The open complaint of the same customer and business type this one repeats. */
  repeatOf?: string;
  closedAt?: string;
  /** Operator resumes after `needs_attention`; execution N+1 of the workflow is named `<id>-r<N>`. */
  resumes?: number;
  /** Evidence attached by the channel or by staff (see attachments.ts); absent until the first. */
  attachments?: Attachment[];
  /** Optimistic-locking counter; every stored change increments it. */
  version: number;
}

/**
 * A resolution as the domain records it. The API requires a root cause on every new resolution;
 * resolutions stored before root causes were recorded have none.
 */
export type ResolutionDecision = Omit<Resolution, "rootCause"> & { rootCause?: RootCause };

export type { Actor, DomainEvent, DomainEventType, EventData, EventOf } from "./events";
