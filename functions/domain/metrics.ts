import type { Complaint, DomainEvent } from "./complaint";
import { calendarOf } from "./lifecycle";

/**
 * SLA metrics as data: a pure mapping from a stored change (the complaint after it, the events that
 * explain it) to metric data points. The adapter prints them as CloudWatch EMF lines; the local dashboard
 * and the CloudWatch dashboard read them back by the names and dimensions declared here.
 */

/** Every metric the complaint service emits, in namespace {@link METRICS_NAMESPACE}. */
export const METRIC_NAMES = [
  "ComplaintsReceived",
  "ComplaintsClosed",
  "TimeToAcknowledgeBusiness",
  "TimeToAcknowledgeCalendar",
  "TimeToFirstResponseBusiness",
  "TimeToFirstResponseCalendar",
  "TimeToResolveBusiness",
  "TimeToResolveCalendar",
  "Resolutions",
  "ResolvedWithinSla",
  "SlaWarning",
  "SlaBreached",
  "StatutoryBreached",
  "Escalations",
  "TimeBoxExceeded",
  "Reassignments",
  "Reopened",
  "PausedTime",
  "Satisfaction",
  "RepeatComplaints",
  "NeedsAttention",
  "ProvisionalDeadlines",
  "CalendarHorizonDays",
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const METRICS_NAMESPACE = "ComplaintHandling";

/** CloudWatch has no minutes unit: durations are minutes with unit None (the names say what they are). */
export type MetricUnitName = "Count" | "None";

export const METRIC_UNITS: Record<MetricName, MetricUnitName> = {
  ComplaintsReceived: "Count",
  ComplaintsClosed: "Count",
  TimeToAcknowledgeBusiness: "None",
  TimeToAcknowledgeCalendar: "None",
  TimeToFirstResponseBusiness: "None",
  TimeToFirstResponseCalendar: "None",
  TimeToResolveBusiness: "None",
  TimeToResolveCalendar: "None",
  Resolutions: "Count",
  ResolvedWithinSla: "Count",
  SlaWarning: "Count",
  SlaBreached: "Count",
  StatutoryBreached: "Count",
  Escalations: "Count",
  TimeBoxExceeded: "Count",
  Reassignments: "Count",
  Reopened: "Count",
  PausedTime: "None",
  Satisfaction: "None",
  RepeatComplaints: "Count",
  NeedsAttention: "Count",
  ProvisionalDeadlines: "Count",
  CalendarHorizonDays: "None",
};

/**
 * The only dimensions metrics carry: small closed vocabularies (teams are a configured list, tiers 0-3).
 * Never ids, references, assignees or free text.
 */
export const DIMENSION_NAMES = [
  "Team",
  "Priority",
  "Segment",
  "Channel",
  "Jurisdiction",
  "Tier",
  "Calendar",
] as const;
export type DimensionName = (typeof DIMENSION_NAMES)[number];
export type Dimensions = Partial<Record<DimensionName, string>>;

/**
 * The dimension sets each data point is published under: the total (no dimension, for alarms and
 * headline figures) and one breakdown per axis. One axis per set keeps the number of CloudWatch
 * metrics linear in the vocabularies instead of their product.
 */
export const DIMENSION_SETS: readonly (readonly DimensionName[])[] = [
  [],
  ["Team"],
  ["Priority"],
  ["Segment"],
  ["Channel"],
  ["Jurisdiction"],
];

/** Escalations are also broken down by the tier they reached. */
export const EXTRA_DIMENSION_SETS: Partial<Record<MetricName, readonly (readonly DimensionName[])[]>> = {
  Escalations: [["Tier"]],
  TimeBoxExceeded: [["Tier"]],
};

/**
 * Metrics published under their own sets instead of the ones above: the calendar horizon means something
 * per calendar only (a total of days across calendars is no figure at all).
 */
export const OWN_DIMENSION_SETS: Partial<Record<MetricName, readonly (readonly DimensionName[])[]>> = {
  CalendarHorizonDays: [["Calendar"]],
};

/** One measurement: a name, a value, and every dimension value it may be broken down by. */
export interface MetricDatum {
  name: MetricName;
  unit: MetricUnitName;
  value: number;
  /** All dimension values of the measurement; the adapter publishes it under each of its sets. */
  dimensions: Dimensions;
  /** The instant the measurement belongs to (the event's time). */
  at: string;
}

/** The dimension sets a datum is published under, each with its values (sets missing a value are skipped). */
export const dimensionSetsOf = (datum: Pick<MetricDatum, "name" | "dimensions">): Dimensions[] =>
  (OWN_DIMENSION_SETS[datum.name] ?? [...DIMENSION_SETS, ...(EXTRA_DIMENSION_SETS[datum.name] ?? [])])
    .filter((set) => set.every((d) => datum.dimensions[d] !== undefined))
    .map((set) => Object.fromEntries(set.map((d) => [d, datum.dimensions[d] as string])));

const MINUTE = 60_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Paused minutes (business and calendar) of the ledger that fall inside [from, to). */
const pausedBetween = (c: Complaint, from: Date, to: Date) => {
  const cal = calendarOf(c);
  let business = 0;
  let calendar = 0;
  for (const p of c.pauses) {
    const start = Math.max(Date.parse(p.start), from.getTime());
    const end = Math.min(p.end ? Date.parse(p.end) : to.getTime(), to.getTime());
    if (!(end > start)) continue;
    calendar += (end - start) / MINUTE;
    business += cal.businessMinutesBetween(new Date(start), new Date(end)).minutes;
  }
  return { business, calendar };
};

/**
 * Time the bank's clock ran between two instants, on both bases: business minutes on the complaint's
 * jurisdiction calendar and elapsed minutes, each minus the paused time inside the interval (paused
 * time is reported on its own, as PausedTime).
 */
export const clockMinutes = (c: Complaint, from: Date, to: Date): { business: number; calendar: number } => {
  if (!(to.getTime() > from.getTime())) return { business: 0, calendar: 0 };
  const paused = pausedBetween(c, from, to);
  const business = calendarOf(c).businessMinutesBetween(from, to).minutes - paused.business;
  const calendar = (to.getTime() - from.getTime()) / MINUTE - paused.calendar;
  return { business: round2(Math.max(0, business)), calendar: round2(Math.max(0, calendar)) };
};

/** Where the current resolution cycle started (defensive: older rows may lack the field). */
const cycleStart = (c: Complaint): Date => new Date(c.cycleStartedAt ?? c.receivedAt);

/** Customer-information pauses opened in the current cycle: asking the customer is a response. */
const responsesInCycle = (c: Complaint): number =>
  c.pauses.filter((p) => p.reason === "awaiting_customer" && Date.parse(p.start) >= cycleStart(c).getTime())
    .length;

/**
 * The metric data of one stored change. Receipt figures (ComplaintsReceived, TimeToAcknowledge,
 * RepeatComplaints, ProvisionalDeadlines) are emitted with HandlingStarted: intake stores the complaint
 * without reporting to the metrics sink, and "Start handling" happens exactly once per complaint (its
 * transition is guarded by the `received` status), so every complaint is counted once.
 */
export const metricsOf = (complaint: Complaint, events: readonly DomainEvent[]): MetricDatum[] => {
  const data: MetricDatum[] = [];
  const base: Dimensions = {
    Team: complaint.team,
    Priority: complaint.priority,
    Segment: complaint.customer.segment,
    Channel: complaint.channel,
    Jurisdiction: complaint.jurisdiction,
  };
  for (const e of events) {
    const at = e.at;
    const put = (name: MetricName, value: number, dimensions: Dimensions = base) =>
      data.push({ name, unit: METRIC_UNITS[name], value, dimensions, at });
    const timings = (prefix: "TimeToAcknowledge" | "TimeToFirstResponse" | "TimeToResolve", from: Date) => {
      const m = clockMinutes(complaint, from, new Date(at));
      put(`${prefix}Business`, m.business);
      put(`${prefix}Calendar`, m.calendar);
    };
    switch (e.type) {
      case "HandlingStarted": {
        put("ComplaintsReceived", 1);
        const received = new Date(complaint.receivedAt);
        const acknowledged = new Date(complaint.sla.acknowledgedAt ?? complaint.receivedAt);
        const m = clockMinutes(complaint, received, acknowledged);
        put("TimeToAcknowledgeBusiness", m.business);
        put("TimeToAcknowledgeCalendar", m.calendar);
        if (complaint.flags.repeat) put("RepeatComplaints", 1);
        if (complaint.sla.provisional) put("ProvisionalDeadlines", 1);
        break;
      }
      case "InformationRequested":
        // The pause this request opened is already on the ledger: the first one of the cycle is the response.
        if (responsesInCycle(complaint) <= 1) timings("TimeToFirstResponse", cycleStart(complaint));
        break;
      case "Resolved": {
        const start = cycleStart(complaint);
        if (responsesInCycle(complaint) === 0) timings("TimeToFirstResponse", start);
        timings("TimeToResolve", start);
        put("Resolutions", 1);
        put("ResolvedWithinSla", Date.parse(at) <= Date.parse(complaint.sla.resolveBy) ? 1 : 0);
        break;
      }
      case "CustomerReplied":
      case "CustomerReplyOverdue":
        put("PausedTime", round2(e.data.pausedMinutes));
        break;
      case "SlaWarning":
        put("SlaWarning", 1);
        break;
      case "SlaBreached":
        put("SlaBreached", 1);
        break;
      case "StatutoryDeadlineBreached":
        put("StatutoryBreached", 1);
        break;
      case "Escalated":
        put("Escalations", 1, { ...base, Tier: String(e.data.toTier) });
        // The tier's time box ran out with the task still waiting: the definition of stuck work.
        if (e.data.reason === "tier_timeout")
          put("TimeBoxExceeded", 1, { ...base, Tier: String(e.data.fromTier) });
        break;
      case "Reassigned":
        // Counted against the team the complaint left: a reassignment says its routing was wrong.
        put("Reassignments", 1, { ...base, Team: e.data.fromTeam });
        break;
      case "Reopened":
        put("Reopened", 1);
        break;
      case "FeedbackReceived":
        put("Satisfaction", e.data.satisfaction);
        break;
      case "Closed":
        put("ComplaintsClosed", 1);
        break;
      case "NeedsAttention":
        put("NeedsAttention", 1);
        break;
      case "DeadlinesRecomputed":
        // A recomputation (a calendar load, corrected rules) that leaves a deadline on unconfirmed days.
        if (e.data.provisional) put("ProvisionalDeadlines", 1);
        break;
      default:
        break;
    }
  }
  return data;
};

/**
 * Nearest-rank percentile (the smallest value with at least p% of the values at or below it); null for
 * no values. The reports and the local dashboard both use it, so their p50/p90 agree exactly.
 */
export const percentile = (values: readonly number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
};

/**
 * How many days of confirmed calendar each calendar has ahead (`CalendarHorizonDays`, by `Calendar`):
 * emitted daily, alarmed below 60 days and when it stops arriving.
 */
export const horizonMetrics = (
  calendars: readonly { id: string; horizonDays: number }[],
  at: Date,
): MetricDatum[] =>
  calendars.map((c) => ({
    name: "CalendarHorizonDays",
    unit: METRIC_UNITS.CalendarHorizonDays,
    value: c.horizonDays,
    dimensions: { Calendar: c.id },
    at: at.toISOString(),
  }));
