import type { ReportFacts } from "./report-aggregates";

/*
 * The analysts' projection: one row per complaint, its latest state, without personal data — ids, codes,
 * flags, timings, outcomes; no names, phones, e-mails, texts, amounts in dispute or customer ids (a
 * repeat complainant is seen through `repeat_of`: the id of the open complaint of the same customer and
 * business type that this one repeats, as intake detected it). One definition of
 * the columns feeds the Glue table (AWS) and the local DuckDB view; the saved queries run on both.
 */

/** The columns, in order, with their Glue/Athena (Hive DDL) and DuckDB types. */
export const ANALYTICS_COLUMNS = [
  { name: "complaint_id", glue: "string", duckdb: "VARCHAR" },
  { name: "received_at", glue: "string", duckdb: "VARCHAR" },
  { name: "jurisdiction", glue: "string", duckdb: "VARCHAR" },
  { name: "channel", glue: "string", duckdb: "VARCHAR" },
  { name: "business_type", glue: "string", duckdb: "VARCHAR" },
  { name: "cause", glue: "string", duckdb: "VARCHAR" },
  { name: "team", glue: "string", duckdb: "VARCHAR" },
  { name: "segment", glue: "string", duckdb: "VARCHAR" },
  { name: "branch", glue: "string", duckdb: "VARCHAR" },
  { name: "region", glue: "string", duckdb: "VARCHAR" },
  { name: "priority", glue: "string", duckdb: "VARCHAR" },
  { name: "outcome", glue: "string", duckdb: "VARCHAR" },
  { name: "root_cause", glue: "string", duckdb: "VARCHAR" },
  { name: "open", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "resolved", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "closed", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "resolved_within_sla", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "sla_breached", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "statutory_breached", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "escalated", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "reopens", glue: "int", duckdb: "INTEGER" },
  { name: "repeat", glue: "boolean", duckdb: "BOOLEAN" },
  { name: "satisfaction", glue: "int", duckdb: "INTEGER" },
  { name: "resolution_business_minutes", glue: "double", duckdb: "DOUBLE" },
  { name: "resolution_calendar_minutes", glue: "double", duckdb: "DOUBLE" },
  { name: "repeat_of", glue: "string", duckdb: "VARCHAR" },
  { name: "seq", glue: "int", duckdb: "INTEGER" },
] as const;
export type AnalyticsColumn = (typeof ANALYTICS_COLUMNS)[number]["name"];
export type AnalyticsRecord = Record<AnalyticsColumn, string | number | boolean | null>;

/** The partition column of the projection (the UTC month of receipt): `received_month=2026-12/`. */
export const ANALYTICS_PARTITION = "received_month";

/** A complaint's row, from the facts of its latest change (pure). */
export const analyticsRecordOf = (complaintId: string, seq: number, f: ReportFacts): AnalyticsRecord => ({
  complaint_id: complaintId,
  received_at: f.receivedAt,
  jurisdiction: f.axes.jurisdiction,
  channel: f.axes.channel,
  business_type: f.axes.businessType,
  cause: f.axes.cause,
  team: f.axes.team,
  segment: f.axes.segment,
  branch: f.axes.branch,
  region: f.axes.region,
  priority: f.axes.priority,
  outcome: f.axes.outcome,
  root_cause: f.rootCause ?? null,
  open: f.open,
  resolved: f.resolved,
  closed: f.closed,
  resolved_within_sla: f.resolvedWithinSla,
  sla_breached: f.slaBreached,
  statutory_breached: f.statutoryBreached,
  escalated: f.escalated,
  reopens: f.reopens,
  repeat: f.repeat,
  satisfaction: f.satisfaction ?? null,
  resolution_business_minutes: f.resolutionMinutes?.business ?? null,
  resolution_calendar_minutes: f.resolutionMinutes?.calendar ?? null,
  repeat_of: f.repeatOf ?? null,
  seq,
});

/** The table of the projection: one object per complaint change (`<id>/<seq>.json`), never overwritten. */
export const ANALYTICS_TABLE = "complaint_changes";

/**
 * The latest row of each complaint, as a CTE every saved query starts with: the projection keeps every
 * change (a redelivered record writes the same object again), the queries read the newest per complaint.
 */
const LATEST = `WITH complaints AS (
  SELECT * FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY complaint_id ORDER BY seq DESC) AS change_rank
    FROM ${ANALYTICS_TABLE}
  ) AS ranked WHERE change_rank = 1
)
`;

/** A saved query's full text, over the projection table. */
export const analyticsSql = (name: AnalyticsQueryName): string => `${LATEST}${ANALYTICS_QUERIES[name].sql}`;

/**
 * The saved queries, over \`complaints\` (the latest row per complaint, see \`analyticsSql\`). SQL that
 * Athena (Trino) and DuckDB read alike: no engine-specific functions.
 */
export const ANALYTICS_QUERIES = {
  volume_by_cause: {
    description: "Complaints received per JR/T 0169 cause and business type, largest first",
    sql: `SELECT cause, business_type, COUNT(*) AS complaints,
  SUM(CASE WHEN resolved THEN 1 ELSE 0 END) AS resolved
FROM complaints
GROUP BY cause, business_type
ORDER BY complaints DESC, cause, business_type`,
  },
  time_to_resolve_by_segment: {
    description: "Resolved complaints per customer segment: count and mean business/calendar minutes",
    sql: `SELECT segment, COUNT(*) AS resolved,
  ROUND(AVG(resolution_business_minutes), 2) AS mean_business_minutes,
  ROUND(AVG(resolution_calendar_minutes), 2) AS mean_calendar_minutes
FROM complaints
WHERE resolved AND resolution_business_minutes IS NOT NULL
GROUP BY segment
ORDER BY segment`,
  },
  repeat_complainants: {
    description:
      "Complaints that came back: each first complaint with how many repeats of it were received (by id, no customer data)",
    sql: `SELECT repeat_of AS first_complaint, COUNT(*) AS repeats,
  MIN(received_at) AS first_repeat_at, MAX(received_at) AS last_repeat_at
FROM complaints
WHERE repeat_of IS NOT NULL
GROUP BY repeat_of
ORDER BY repeats DESC, first_complaint`,
  },
} as const;
export type AnalyticsQueryName = keyof typeof ANALYTICS_QUERIES;
