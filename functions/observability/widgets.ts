import { CALENDAR_IDS } from "../domain/calendar/definitions";
import { PRIORITIES, SEGMENTS } from "../domain/codes";
import { type Dimensions, METRICS_NAMESPACE, type MetricName } from "../domain/metrics";

/**
 * The one description of what operators watch: the CloudWatch dashboard and alarms (CDK,
 * `infra/constructs/observability.ts`) and the local `/dashboard` page are both rendered from it.
 * Formulas are structured (not free metric-math text) so the local page can evaluate exactly what
 * CloudWatch evaluates; `toMetricMath` renders them for CloudWatch.
 */

/** `Latest`: the last data point of the range (a gauge such as the calendar horizon), not an aggregate. */
export type Stat = "Sum" | "Average" | "SampleCount" | "Maximum" | "Latest" | "p50" | "p90";

/** A metric this service emits (namespace ComplaintHandling), under one dimension set. */
export interface AppSeries {
  kind: "app";
  id: string;
  label: string;
  metric: MetricName;
  stat: Stat;
  dimensions: Dimensions;
  /** Kept out of the chart: an input of a formula only. */
  hidden?: boolean;
}

/** A metric AWS publishes for our resources (CloudWatch only; the local page says so). */
export interface AwsSeries {
  kind: "aws";
  id: string;
  label: string;
  namespace: "AWS/States" | "AWS/Lambda" | "AWS/SQS";
  metric: string;
  stat: Stat;
  /**
   * Which resource supplies the dimension: the state machine, each function in turn, each stream consumer
   * in turn, or the stream's dead-letter queue.
   */
  resource: "stateMachine" | "functions" | "streamConsumers" | "deadLetters";
  hidden?: boolean;
}

/** A formula over other series of the same widget or alarm (ids), as CloudWatch metric math evaluates it. */
export type Formula =
  /** `scale * numerator / denominator`, 0 when the denominator is 0. */
  | { op: "ratio"; numerator: string; denominator: string; scale: number }
  /** The running total of `plus - minus` over the shown range. */
  | { op: "runningNet"; plus: string; minus: string }
  /** The sum of several series, missing points counted as 0. */
  | { op: "sum"; of: string[] };

export interface FormulaSeries {
  kind: "formula";
  id: string;
  label: string;
  formula: Formula;
  hidden?: boolean;
}

export type Series = AppSeries | AwsSeries | FormulaSeries;

export interface WidgetSpec {
  id: string;
  title: string;
  /** tiles: one big figure per series over the whole range; line: over time; bar: totals compared. */
  view: "tiles" | "line" | "bar";
  unit: string;
  series: Series[];
  /** Grid width of 24 (CloudWatch's grid) and height in rows. */
  width: number;
  height: number;
}

export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";

export interface AlarmSpec {
  id: string;
  description: string;
  series: Series[];
  /** The series the threshold applies to. */
  on: string;
  threshold: number;
  comparison: Comparison;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  /**
   * What no data means. Default `notBreaching`: most metrics are emitted only when something happens.
   * `breaching` for a figure that must keep arriving (the calendar horizon: silence is the failure).
   */
  missingData?: "breaching" | "notBreaching";
}

/** The namespace of every `app` series. */
export const APP_NAMESPACE = METRICS_NAMESPACE;

const app = (
  id: string,
  label: string,
  metric: MetricName,
  stat: Stat,
  dimensions: Dimensions = {},
  hidden?: boolean,
): AppSeries => ({ kind: "app", id, label, metric, stat, dimensions, ...(hidden ? { hidden } : {}) });

/** Metric-math ids must start with a lower-case letter and hold only letters, digits and underscores. */
export const seriesId = (...parts: string[]) =>
  parts
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .replace(/^[^a-z]/, (c) => `s${c}`);

const percentilesBy = (metric: MetricName, axis: "Priority" | "Segment", values: readonly string[]) =>
  values.flatMap((v) =>
    (["p50", "p90"] as const).map((stat) =>
      app(seriesId(stat, axis, v), `${v} ${stat}`, metric, stat, { [axis]: v }),
    ),
  );

/** The dashboard: every widget, in reading order. Teams come from configuration (the routing table). */
export const dashboardWidgets = (teams: readonly string[]): WidgetSpec[] => [
  {
    id: "headline",
    title: "Complaints at a glance",
    view: "tiles",
    unit: "",
    width: 24,
    height: 4,
    series: [
      app("received", "Received", "ComplaintsReceived", "Sum"),
      app("resolved", "Resolved", "Resolutions", "Sum"),
      app("resolvedInTime", "Resolved within SLA", "ResolvedWithinSla", "Sum", {}, true),
      {
        kind: "formula",
        id: "attainment",
        label: "SLA attainment %",
        formula: { op: "ratio", numerator: "resolvedInTime", denominator: "resolved", scale: 100 },
      },
      app("breached", "SLA breaches", "SlaBreached", "Sum"),
      app("statutory", "Statutory breaches", "StatutoryBreached", "Sum"),
      app("attention", "Needs attention", "NeedsAttention", "Sum"),
      app("satisfaction", "Satisfaction (1-5)", "Satisfaction", "Average"),
    ],
  },
  {
    id: "arrivals",
    title: "Arrivals, closures and backlog",
    view: "line",
    unit: "complaints",
    width: 12,
    height: 6,
    series: [
      app("arrived", "Received", "ComplaintsReceived", "Sum"),
      app("closed", "Closed", "ComplaintsClosed", "Sum"),
      {
        kind: "formula",
        id: "backlog",
        label: "Backlog (net change in range)",
        formula: { op: "runningNet", plus: "arrived", minus: "closed" },
      },
    ],
  },
  {
    id: "attainment",
    title: "SLA attainment % (resolved within the internal target)",
    view: "line",
    unit: "%",
    width: 12,
    height: 6,
    series: [
      app("resolved", "Resolved", "Resolutions", "Sum", {}, true),
      app("inTime", "Resolved within SLA", "ResolvedWithinSla", "Sum", {}, true),
      {
        kind: "formula",
        id: "attainment",
        label: "Attainment %",
        formula: { op: "ratio", numerator: "inTime", denominator: "resolved", scale: 100 },
      },
    ],
  },
  {
    id: "resolutionByPriority",
    title: "Time to resolve by priority, p50 / p90 (business minutes)",
    view: "bar",
    unit: "business min",
    width: 12,
    height: 6,
    series: percentilesBy("TimeToResolveBusiness", "Priority", PRIORITIES),
  },
  {
    id: "resolutionBySegment",
    title: "Time to resolve by segment, p50 / p90 (business minutes)",
    view: "bar",
    unit: "business min",
    width: 12,
    height: 6,
    series: percentilesBy("TimeToResolveBusiness", "Segment", SEGMENTS),
  },
  {
    id: "breachesByTeam",
    title: "SLA breaches and escalations by team",
    view: "bar",
    unit: "count",
    width: 12,
    height: 6,
    series: teams.flatMap((team) => [
      app(seriesId("breached", team), `${team} breaches`, "SlaBreached", "Sum", { Team: team }),
      app(seriesId("escalated", team), `${team} escalations`, "Escalations", "Sum", { Team: team }),
    ]),
  },
  {
    id: "statutory",
    title: "Statutory deadline breaches",
    view: "line",
    unit: "count",
    width: 12,
    height: 6,
    series: [app("statutory", "Statutory breaches", "StatutoryBreached", "Sum")],
  },
  {
    id: "satisfaction",
    title: "Customer satisfaction (1-5)",
    view: "line",
    unit: "score",
    width: 8,
    height: 6,
    series: [app("satisfaction", "Average satisfaction", "Satisfaction", "Average")],
  },
  {
    id: "reopenRate",
    title: "Reopen rate % (reopened per resolution)",
    view: "line",
    unit: "%",
    width: 8,
    height: 6,
    series: [
      app("reopened", "Reopened", "Reopened", "Sum", {}, true),
      app("resolved", "Resolved", "Resolutions", "Sum", {}, true),
      {
        kind: "formula",
        id: "reopenRate",
        label: "Reopen rate %",
        formula: { op: "ratio", numerator: "reopened", denominator: "resolved", scale: 100 },
      },
    ],
  },
  {
    id: "workflowHealth",
    title: "Workflow health",
    view: "line",
    unit: "count",
    width: 8,
    height: 6,
    series: [
      app("attention", "Needs attention", "NeedsAttention", "Sum"),
      app("timeBox", "Tier time box exceeded", "TimeBoxExceeded", "Sum"),
      aws("failed", "Executions failed", "AWS/States", "ExecutionsFailed", "stateMachine"),
      aws("timedOut", "Executions timed out", "AWS/States", "ExecutionsTimedOut", "stateMachine"),
      aws("errors", "Lambda errors", "AWS/Lambda", "Errors", "functions"),
      aws("throttles", "Lambda throttles", "AWS/Lambda", "Throttles", "functions"),
    ],
  },
  {
    id: "outbox",
    title: "Delivery from the change stream (outbox)",
    view: "line",
    unit: "",
    width: 24,
    height: 6,
    series: [
      aws("iteratorAge", "Iterator age, ms", "AWS/Lambda", "IteratorAge", "streamConsumers", "Maximum"),
      aws(
        "deadLettered",
        "Failed batches waiting",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "deadLetters",
        "Maximum",
      ),
    ],
  },
  {
    id: "calendarHorizon",
    title: "Calendar horizon: days of confirmed holidays ahead (alarm under 60)",
    view: "tiles",
    unit: "days",
    width: 24,
    height: 4,
    // The latest figure matters: the horizon only shrinks, day by day, until a year is loaded.
    series: CALENDAR_IDS.map((id) =>
      app(seriesId("horizon", id), id, "CalendarHorizonDays", "Latest", { Calendar: id }),
    ),
  },
];

function aws(
  id: string,
  label: string,
  namespace: AwsSeries["namespace"],
  metric: string,
  resource: AwsSeries["resource"],
  stat: Stat = "Sum",
): AwsSeries {
  return { kind: "aws", id, label, namespace, metric, stat, resource };
}

/**
 * The alarms, all notifying the managers' topic:
 * - any statutory breach: a regulator's deadline passed; there is no acceptable number;
 * - internal breach rate over 10 % of a day's arrivals: the team is losing the race, not one case;
 * - any complaint needing attention: a workflow step failed for good and a human must pick it up;
 * - any failed execution: the workflow itself broke (the complaint is flagged, but someone must look);
 * - stuck work: a callback task outlived its tier's time box (TimeBoxExceeded, emitted when the SLA check
 *   finds the task still waiting) or an execution timed out as a whole (ExecutionsTimedOut).
 */
/** Days of confirmed calendar below which a calendar's horizon alarm fires: time to load next year. */
export const CALENDAR_HORIZON_ALARM_DAYS = 60;

export const ALARM_SPECS: readonly AlarmSpec[] = [
  // One per calendar: under 60 days of confirmed holidays ahead, or no figure for a day (the daily
  // function stopped): deadlines are about to be computed on weekdays alone.
  ...CALENDAR_IDS.map(
    (id): AlarmSpec => ({
      id: `CalendarHorizon${id.replace("-", "")}`,
      description: `Calendar ${id} has under ${CALENDAR_HORIZON_ALARM_DAYS} days of confirmed holidays ahead, or its daily figure stopped: load the next year (docs/operations.md "Loading next year's holidays").`,
      series: [app("horizon", `${id} horizon, days`, "CalendarHorizonDays", "Maximum", { Calendar: id })],
      on: "horizon",
      threshold: CALENDAR_HORIZON_ALARM_DAYS,
      comparison: "LessThanThreshold",
      periodSeconds: 86_400,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      missingData: "breaching",
    }),
  ),
  {
    id: "ProvisionalDeadlines",
    description:
      "A deadline was computed on days whose holidays are not confirmed (at intake or on a recompute): load the official list for that year.",
    series: [app("provisional", "Provisional deadlines", "ProvisionalDeadlines", "Sum")],
    on: "provisional",
    threshold: 0,
    comparison: "GreaterThanThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "StatutoryBreach",
    description: "A statutory complaint-handling deadline has passed (regulator's clock).",
    series: [app("statutory", "Statutory breaches", "StatutoryBreached", "Sum")],
    on: "statutory",
    threshold: 1,
    comparison: "GreaterThanOrEqualToThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "InternalBreachRate",
    description: "More than 10% of the day's arriving complaints have breached their internal SLA target.",
    series: [
      app("breached", "SLA breaches", "SlaBreached", "Sum", {}, true),
      app("received", "Received", "ComplaintsReceived", "Sum", {}, true),
      {
        kind: "formula",
        id: "breachRate",
        label: "Internal breach rate %",
        formula: { op: "ratio", numerator: "breached", denominator: "received", scale: 100 },
      },
    ],
    on: "breachRate",
    threshold: 10,
    comparison: "GreaterThanThreshold",
    periodSeconds: 86_400,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "NeedsAttention",
    description: "A complaint's workflow step failed for good; the complaint needs an operator.",
    series: [app("attention", "Needs attention", "NeedsAttention", "Sum")],
    on: "attention",
    threshold: 0,
    comparison: "GreaterThanThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "StreamDeadLetters",
    description:
      "A batch of the table's change stream failed its retries and went to the dead-letter queue: a workflow start, integration events, customer or manager notices or metrics of the complaints in it were not delivered (docs/operations.md).",
    series: [
      aws(
        "deadLettered",
        "Failed batches waiting",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "deadLetters",
        "Maximum",
      ),
    ],
    on: "deadLettered",
    threshold: 0,
    comparison: "GreaterThanThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "StreamBehind",
    description:
      "A stream consumer is more than five minutes behind the table's changes: workflow starts and notices are late.",
    series: [
      aws("iteratorAge", "Iterator age, ms", "AWS/Lambda", "IteratorAge", "streamConsumers", "Maximum"),
    ],
    on: "iteratorAge",
    threshold: 300_000,
    comparison: "GreaterThanThreshold",
    periodSeconds: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
  },
  {
    id: "ExecutionsRedriven",
    description:
      "The reconciler redrove a complaint workflow that failed because even flagging the complaint could not reach the store (a long store outage): check the complaint ends needs_attention.",
    series: [aws("redriven", "Executions redriven", "AWS/States", "ExecutionsRedriven", "stateMachine")],
    on: "redriven",
    threshold: 0,
    comparison: "GreaterThanThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "ExecutionsFailed",
    description: "A complaint workflow execution failed.",
    series: [aws("failed", "Executions failed", "AWS/States", "ExecutionsFailed", "stateMachine")],
    on: "failed",
    threshold: 0,
    comparison: "GreaterThanThreshold",
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  {
    id: "StuckWork",
    description:
      "Work is stuck: a callback task outlived its tier's time box, or a workflow execution timed out.",
    series: [
      app("timeBox", "Tier time box exceeded", "TimeBoxExceeded", "Sum", {}, true),
      aws("timedOut", "Executions timed out", "AWS/States", "ExecutionsTimedOut", "stateMachine"),
      {
        kind: "formula",
        id: "stuck",
        label: "Stuck work",
        formula: { op: "sum", of: ["timeBox", "timedOut"] },
      },
    ],
    on: "stuck",
    threshold: 0,
    comparison: "GreaterThanThreshold",
    periodSeconds: 900,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
];

/** A formula as CloudWatch metric math (missing points are 0, as the local page treats them). */
export const toMetricMath = (f: Formula): string => {
  switch (f.op) {
    case "ratio":
      return `IF(FILL(${f.denominator}, 0) > 0, ${f.scale} * FILL(${f.numerator}, 0) / FILL(${f.denominator}, 0), 0)`;
    case "runningNet":
      return `RUNNING_SUM(FILL(${f.plus}, 0) - FILL(${f.minus}, 0))`;
    case "sum":
      return f.of.map((id) => `FILL(${id}, 0)`).join(" + ");
  }
};

/**
 * Evaluates a formula on already-aggregated inputs (scalars over a range, or one bucket's values);
 * `running` carries the previous total for running sums. Mirrors {@link toMetricMath}.
 */
export const evaluateFormula = (
  f: Formula,
  value: (id: string) => number | null,
  previous: number | null = null,
): number => {
  const v = (id: string) => value(id) ?? 0;
  switch (f.op) {
    case "ratio":
      return v(f.denominator) > 0 ? (f.scale * v(f.numerator)) / v(f.denominator) : 0;
    case "runningNet":
      return (previous ?? 0) + v(f.plus) - v(f.minus);
    case "sum":
      return f.of.reduce((acc, id) => acc + v(id), 0);
  }
};
