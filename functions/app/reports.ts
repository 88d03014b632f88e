import { jrt0169, SEGMENTS, type Segment } from "../domain/codes";
import type { Complaint } from "../domain/complaint";
import { clockMinutes, percentile } from "../domain/metrics";
import {
  count,
  histogramPercentile,
  type MergedCells,
  NO_VALUE,
  openOverdueAt,
  TOTAL_AXIS,
  type Vector,
} from "../domain/report-aggregates";
import { isStatutoryDeadline } from "../domain/sla/statutory";
import * as z from "../domain/zod";
import type { ReportDependencies } from "./dependencies";
import { checkRange, RANGE_FIELDS, toRange } from "./report-range";
import { assertManager, type StaffIdentity } from "./staff-actions";

/**
 * Reports for managers: SLA performance over a period, and the regulator's quarterly statistics by the
 * JR/T 0169 axes. The figures are computed by pure functions over the complaints received in the period
 * (read from the month index), using the same clock arithmetic and percentile as the metrics.
 */

export const SLA_GROUPS = ["team", "segment", "channel", "priority"] as const;
export type SlaGroup = (typeof SLA_GROUPS)[number];

/** `GET /reports/sla` query: a range [from, to) (see `RANGE_FIELDS`) and the axis to group by. */
export const slaReportQuerySchema = /* @__PURE__ */ (() =>
  z
    .pipe(
      z.strictObject({ ...RANGE_FIELDS, groupBy: z._default(z.enum(SLA_GROUPS), "team") }),
      z.transform(toRange),
    )
    .check(z.superRefine(checkRange)))();
export type SlaReportQuery = z.infer<typeof slaReportQuerySchema>;

/** `GET /reports/regulatory` query: a quarter (`2026-Q3`) or a month (`2026-07`), as CSV or JSON. */
export const regulatoryReportQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    period: z
      .string()
      .check(
        z.regex(
          /^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$/,
          "must be a quarter such as 2026-Q3 or a month such as 2026-07",
        ),
      ),
    format: z._default(z.enum(["csv", "json"]), "json"),
  }))();
export type RegulatoryReportQuery = z.infer<typeof regulatoryReportQuerySchema>;

/** The regulator's periods run on Beijing time (UTC+8, no daylight saving). */
const CN_OFFSET_MS = 8 * 3_600_000;

/** The instants a reporting period covers, [from, to), on Beijing time. */
export const periodRange = (period: string): { from: Date; to: Date } => {
  const year = Number(period.slice(0, 4));
  const quarter = /Q([1-4])$/.exec(period)?.[1];
  const firstMonth = quarter ? (Number(quarter) - 1) * 3 : Number(period.slice(5, 7)) - 1;
  const months = quarter ? 3 : 1;
  return {
    from: new Date(Date.UTC(year, firstMonth, 1) - CN_OFFSET_MS),
    to: new Date(Date.UTC(year, firstMonth + months, 1) - CN_OFFSET_MS),
  };
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const isResolved = (c: Complaint) => c.resolution !== undefined;

/** Business and calendar minutes the current cycle took to resolve (pauses excluded), as the metrics say. */
const resolutionMinutes = (c: Complaint) =>
  c.resolution
    ? clockMinutes(c, new Date(c.cycleStartedAt ?? c.receivedAt), new Date(c.resolution.resolvedAt))
    : undefined;

const groupKey = (c: Complaint, by: SlaGroup): string => {
  switch (by) {
    case "team":
      return c.team;
    case "segment":
      return c.customer.segment;
    case "channel":
      return c.channel;
    case "priority":
      return c.priority;
  }
};

export interface SlaFigures {
  received: number;
  open: number;
  resolved: number;
  resolvedWithinSla: number;
  /** Resolved within the internal target, as a % of resolved (null when nothing was resolved). */
  attainmentPct: number | null;
  resolutionBusinessMinutes: { p50: number | null; p90: number | null };
  resolutionCalendarMinutes: { p50: number | null; p90: number | null };
  /** Complaints whose internal resolution target passed while open. */
  slaBreaches: number;
  statutoryBreaches: number;
  /** Complaints raised above tier 0 (by escalation or by a reopen). */
  escalated: number;
  reopens: number;
  needsAttention: number;
  satisfaction: { average: number | null; responses: number };
  /** Complaints that repeat an open complaint of the same customer and business type. */
  repeats: number;
  /** Repeats as a % of received (null when nothing was received). */
  repeatRatePct: number | null;
}

/** The SLA figures of a set of complaints (pure; `now` is not needed: every figure is a recorded fact). */
export const slaFigures = (complaints: readonly Complaint[]): SlaFigures => {
  const resolved = complaints.filter(isResolved);
  const withinSla = resolved.filter(
    (c) => Date.parse(c.resolution?.resolvedAt ?? "") <= Date.parse(c.sla.resolveBy),
  );
  const times = resolved.map(resolutionMinutes).filter((m) => m !== undefined);
  const business = times.map((m) => m.business);
  const calendar = times.map((m) => m.calendar);
  const scores = complaints.flatMap((c) => (c.feedback ? [c.feedback.satisfaction] : []));
  return {
    received: complaints.length,
    open: complaints.filter((c) => c.status !== "closed" && !isResolved(c)).length,
    resolved: resolved.length,
    resolvedWithinSla: withinSla.length,
    attainmentPct: resolved.length ? round1((100 * withinSla.length) / resolved.length) : null,
    resolutionBusinessMinutes: { p50: percentile(business, 50), p90: percentile(business, 90) },
    resolutionCalendarMinutes: { p50: percentile(calendar, 50), p90: percentile(calendar, 90) },
    slaBreaches: complaints.filter((c) => c.slaPhase === "breached").length,
    statutoryBreaches: complaints.filter((c) => c.statutoryBreaches.length > 0).length,
    escalated: complaints.filter((c) => c.tier > 0).length,
    reopens: complaints.reduce((n, c) => n + Math.max(0, (c.cycle ?? 1) - 1), 0),
    needsAttention: complaints.filter((c) => c.status === "needs_attention").length,
    satisfaction: {
      average: scores.length ? round1(scores.reduce((a, b) => a + b, 0) / scores.length) : null,
      responses: scores.length,
    },
    repeats: complaints.filter((c) => c.flags.repeat).length,
    repeatRatePct: complaints.length
      ? round1((100 * complaints.filter((c) => c.flags.repeat).length) / complaints.length)
      : null,
  };
};

/** One group's figures, named by the axis it groups on (e.g. `{ team: "cards", ... }`). */
export type SlaGroupRow = Partial<Record<SlaGroup, string>> & SlaFigures;

/** The SLA report body: totals and one row per group value, groups in alphabetical order. */
export const buildSlaReport = (
  complaints: readonly Complaint[],
  query: SlaReportQuery,
): z.output<typeof slaReportSchema> => {
  const groups = new Map<string, Complaint[]>();
  for (const c of complaints) {
    const key = groupKey(c, query.groupBy);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: query.groupBy,
    total: slaFigures(complaints),
    groups: [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, members]) => ({ [query.groupBy]: key, ...slaFigures(members) }) as SlaGroupRow),
  };
};

/** Chinese labels of the customer segments (JR/T 0169 has no segment axis; these are the bank's). */
export const SEGMENT_ZH: Record<Segment, string> = {
  private_banking: "私人银行",
  wealth: "财富管理",
  mass_affluent: "大众富裕",
  mass_retail: "大众零售",
  small_business: "小微企业",
};

export const REGULATORY_AXES = ["channel", "businessType", "cause", "segment", "branch"] as const;
export type RegulatoryAxis = (typeof REGULATORY_AXES)[number];

const AXIS_ZH: Record<RegulatoryAxis, string> = {
  channel: "投诉渠道(A)",
  businessType: "业务类型(B)",
  cause: "投诉原因(C)",
  segment: "客户类别",
  branch: "机构网点",
};

export interface RegulatoryFigures {
  received: number;
  resolved: number;
  resolvedWithinStatutoryTime: number;
  /** A statutory deadline passed before the complaint was resolved (resolved late, or still open). */
  overdue: number;
}

export interface RegulatoryRow extends RegulatoryFigures {
  axis: RegulatoryAxis;
  axisLabel: string;
  code: string;
  label: string;
}

/** The earliest statutory deadline (the one the regulator counts), if any; windows are not deadlines. */
const statutoryDue = (c: Complaint): number | undefined => {
  const dues = c.sla.statutory
    .filter((s) => isStatutoryDeadline(s.rule))
    .map((s) => Date.parse(s.dueBy))
    .filter(Number.isFinite);
  return dues.length ? Math.min(...dues) : undefined;
};

const isOverdue = (c: Complaint, now: Date): boolean => {
  if (c.statutoryBreaches.length > 0) return true;
  const due = statutoryDue(c);
  if (due === undefined) return false;
  const end = c.resolution ? Date.parse(c.resolution.resolvedAt) : now.getTime();
  return end > due;
};

const noFigures = (): RegulatoryFigures => ({
  received: 0,
  resolved: 0,
  resolvedWithinStatutoryTime: 0,
  overdue: 0,
});

/** Counts one complaint, already judged resolved or not and overdue or not, into regulatory figures. */
const countInto = (figures: RegulatoryFigures, judged: { resolved: boolean; overdue: boolean }): void => {
  figures.received++;
  if (judged.overdue) figures.overdue++;
  if (judged.resolved) {
    figures.resolved++;
    if (!judged.overdue) figures.resolvedWithinStatutoryTime++;
  }
};

const NO_BRANCH = "(none)";

const labelled = (axis: { code: string; zh: string }) => ({ code: axis.code, label: axis.zh });

const axisValue = (c: Complaint, axis: RegulatoryAxis): { code: string; label: string } => {
  switch (axis) {
    case "channel":
      return labelled(jrt0169.channel[c.channel]);
    case "businessType":
      return labelled(jrt0169.businessType[c.businessType]);
    case "cause":
      return labelled(jrt0169.cause[c.cause]);
    case "segment":
      return { code: c.customer.segment, label: SEGMENT_ZH[c.customer.segment] };
    case "branch":
      return c.branch ? { code: c.branch, label: c.branch } : { code: NO_BRANCH, label: "未指定" };
  }
};

const axisOrder = (axis: RegulatoryAxis, code: string): number => {
  if (axis === "segment") return SEGMENTS.indexOf(code as Segment);
  return 0;
};

/**
 * The regulatory report, built one complaint at a time: it keeps the figures (a total and one row per
 * value of each axis), never the complaints, so a quarter of any size needs the memory of one page.
 */
export class RegulatoryTally {
  private readonly total = noFigures();
  private readonly byAxis = new Map<
    RegulatoryAxis,
    Map<string, { label: string; figures: RegulatoryFigures }>
  >(REGULATORY_AXES.map((axis) => [axis, new Map()]));

  constructor(private readonly now: Date) {}

  add(c: Complaint): void {
    // Judged once, counted into the total and one row per axis.
    const judged = { resolved: isResolved(c), overdue: isOverdue(c, this.now) };
    countInto(this.total, judged);
    for (const [axis, byCode] of this.byAxis) {
      const v = axisValue(c, axis);
      const entry = byCode.get(v.code) ?? { label: v.label, figures: noFigures() };
      countInto(entry.figures, judged);
      byCode.set(v.code, entry);
    }
  }

  /** The report: totals and one row per value of each axis that occurs, codes in order. */
  report(period: string): z.output<typeof regulatoryReportSchema> {
    const { from, to } = periodRange(period);
    const rows: RegulatoryRow[] = [];
    for (const [axis, byCode] of this.byAxis) {
      const codes = [...byCode.keys()].sort(
        (a, b) => axisOrder(axis, a) - axisOrder(axis, b) || a.localeCompare(b),
      );
      for (const code of codes) {
        const { label, figures } = byCode.get(code) as { label: string; figures: RegulatoryFigures };
        rows.push({ axis, axisLabel: AXIS_ZH[axis], code, label, ...figures });
      }
    }
    return {
      period,
      from: from.toISOString(),
      to: to.toISOString(),
      asOf: this.now.toISOString(),
      total: { ...this.total },
      rows,
    };
  }
}

/** The regulatory report of a set of complaints as of an instant (pure). */
export const buildRegulatoryReport = (complaints: readonly Complaint[], period: string, now: Date) => {
  const tally = new RegulatoryTally(now);
  for (const c of complaints) tally.add(c);
  return tally.report(period);
};
export type RegulatoryReport = ReturnType<typeof buildRegulatoryReport> & { lastChangedAt?: string | null };

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; spreadsheet formulas defused. */
export const csvField = (value: string | number): string => {
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

const CSV_HEADER = [
  "axis",
  "维度",
  "code",
  "名称",
  "received 受理数",
  "resolved 办结数",
  "within_statutory_time 按时办结数",
  "overdue 超期数",
];

/** The regulatory report as CSV: UTF-8 with a BOM (spreadsheets then read the Chinese labels), CRLF rows. */
export const regulatoryCsv = (report: RegulatoryReport): string => {
  const lines = [
    CSV_HEADER,
    [
      "total",
      "合计",
      report.period,
      "全部",
      report.total.received,
      report.total.resolved,
      report.total.resolvedWithinStatutoryTime,
      report.total.overdue,
    ],
    ...report.rows.map((r) => [
      r.axis,
      r.axisLabel,
      r.code,
      r.label,
      r.received,
      r.resolved,
      r.resolvedWithinStatutoryTime,
      r.overdue,
    ]),
  ];
  return `\uFEFF${lines.map((l) => l.map(csvField).join(",")).join("\r\n")}\r\n`;
};

// ---------------------------------------------------------------------------------------------------------
// From the aggregates: what the endpoints answer. The builders above over complaints stay as the recount
// the aggregates are checked against (tests, `reports:rebuild --check`).

/** The SLA figures of one merged vector (the same figures `slaFigures` computes over complaints). */
export const slaFiguresOf = (v: Vector): SlaFigures => {
  const received = count(v, "received");
  const resolved = count(v, "resolved");
  const within = count(v, "resolvedWithinSla");
  const responses = count(v, "satisfactionCount");
  const repeats = count(v, "repeats");
  return {
    received,
    open: count(v, "open"),
    resolved,
    resolvedWithinSla: within,
    attainmentPct: resolved ? round1((100 * within) / resolved) : null,
    resolutionBusinessMinutes: {
      p50: histogramPercentile(v, "business", 50),
      p90: histogramPercentile(v, "business", 90),
    },
    resolutionCalendarMinutes: {
      p50: histogramPercentile(v, "calendar", 50),
      p90: histogramPercentile(v, "calendar", 90),
    },
    slaBreaches: count(v, "slaBreaches"),
    statutoryBreaches: count(v, "statutoryBreaches"),
    escalated: count(v, "escalated"),
    reopens: count(v, "reopens"),
    needsAttention: count(v, "needsAttention"),
    satisfaction: {
      average: responses ? round1(count(v, "satisfactionSum") / responses) : null,
      responses,
    },
    repeats,
    repeatRatePct: received ? round1((100 * repeats) / received) : null,
  };
};

/** Axis values that count at least one complaint, in alphabetical order. */
const present = (values: Map<string, Vector> | undefined): [string, Vector][] =>
  [...(values ?? new Map<string, Vector>()).entries()]
    .filter(([, v]) => count(v, "received") > 0)
    .sort(([a], [b]) => a.localeCompare(b));

const totalOf = (cells: MergedCells): Vector => cells.byAxis.get(TOTAL_AXIS)?.get("*") ?? {};

/** The SLA report body from merged cells (pure). */
export const slaReportFromCells = (cells: MergedCells, query: SlaReportQuery) => ({
  from: query.from.toISOString(),
  to: query.to.toISOString(),
  groupBy: query.groupBy,
  lastChangedAt: cells.lastChangedAt,
  total: slaFiguresOf(totalOf(cells)),
  groups: present(cells.byAxis.get(query.groupBy)).map(
    ([key, v]) => ({ [query.groupBy]: key, ...slaFiguresOf(v) }) as SlaGroupRow,
  ),
});

/** The regulatory figures of one merged vector as of `now` (open complaints past their deadline hour count). */
const regulatoryFiguresOf = (v: Vector, now: Date): RegulatoryFigures => ({
  received: count(v, "received"),
  resolved: count(v, "resolved"),
  resolvedWithinStatutoryTime: count(v, "resolvedWithinStatutoryTime"),
  overdue: count(v, "overdue") + openOverdueAt(v, now),
});

const axisValueOf = (axis: RegulatoryAxis, value: string): { code: string; label: string } => {
  switch (axis) {
    case "channel":
      return labelled(jrt0169.channel[value as Complaint["channel"]]);
    case "businessType":
      return labelled(jrt0169.businessType[value as Complaint["businessType"]]);
    case "cause":
      return labelled(jrt0169.cause[value as Complaint["cause"]]);
    case "segment":
      return { code: value, label: SEGMENT_ZH[value as Segment] };
    case "branch":
      return value === NO_VALUE ? { code: NO_BRANCH, label: "未指定" } : { code: value, label: value };
  }
};

/** The regulatory report from merged cells as of an instant (pure; same rows as `buildRegulatoryReport`). */
export const regulatoryReportFromCells = (cells: MergedCells, period: string, now: Date) => {
  const { from, to } = periodRange(period);
  const rows: RegulatoryRow[] = [];
  for (const axis of REGULATORY_AXES) {
    const entries = present(cells.byAxis.get(axis)).map(([value, v]) => ({
      ...axisValueOf(axis, value),
      figures: regulatoryFiguresOf(v, now),
    }));
    entries.sort((a, b) => axisOrder(axis, a.code) - axisOrder(axis, b.code) || a.code.localeCompare(b.code));
    for (const e of entries)
      rows.push({ axis, axisLabel: AXIS_ZH[axis], code: e.code, label: e.label, ...e.figures });
  }
  return {
    period,
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: now.toISOString(),
    lastChangedAt: cells.lastChangedAt,
    total: regulatoryFiguresOf(totalOf(cells), now),
    rows,
  };
};

/** `GET /reports/sla`: managers only; reads the aggregates of the range (cells, never complaints). */
export const slaReport = async (
  input: { staff: StaffIdentity; query: SlaReportQuery },
  deps: ReportDependencies,
) => {
  assertManager(input.staff);
  const cells = await deps.reports.read(input.query.from, input.query.to, [input.query.groupBy], {
    histograms: true,
  });
  return slaReportFromCells(cells, input.query);
};

/** `GET /reports/regulatory`: managers only; JSON, or CSV ready to file; from the aggregates. */
export const regulatoryReport = async (
  input: { staff: StaffIdentity; query: RegulatoryReportQuery },
  deps: ReportDependencies,
): Promise<{ json: RegulatoryReport; csv?: string }> => {
  assertManager(input.staff);
  const { from, to } = periodRange(input.query.period);
  const cells = await deps.reports.read(from, to, REGULATORY_AXES);
  const json = regulatoryReportFromCells(cells, input.query.period, deps.clock.now());
  return input.query.format === "csv" ? { json, csv: regulatoryCsv(json) } : { json };
};

/** The content type of the CSV report. */
export const CSV_CONTENT_TYPE = "text/csv; charset=utf-8";

/** Response headers that make a browser save the CSV report under a telling name. */
export const csvDownloadHeaders = (period: string) => ({
  "Content-Type": CSV_CONTENT_TYPE,
  "Content-Disposition": `attachment; filename="complaints-${period}.csv"`,
});

const percentiles = /* @__PURE__ */ (() =>
  z.object({ p50: z.nullable(z.number()), p90: z.nullable(z.number()) }))();

/** The SLA figures of a set of complaints, as `GET /reports/sla` answers them (see {@link SlaFigures}). */
const slaFiguresSchema = /* @__PURE__ */ (() =>
  z.object({
    received: z.int(),
    open: z.int(),
    resolved: z.int(),
    resolvedWithinSla: z.int(),
    attainmentPct: z
      .nullable(z.number())
      .check(z.describe("resolved within the internal target, % of resolved")),
    resolutionBusinessMinutes: percentiles,
    resolutionCalendarMinutes: percentiles,
    slaBreaches: z.int(),
    statutoryBreaches: z.int(),
    escalated: z.int(),
    reopens: z.int(),
    needsAttention: z.int(),
    satisfaction: z.object({ average: z.nullable(z.number()), responses: z.int() }),
    repeats: z.int(),
    repeatRatePct: z.nullable(z.number()),
  }))();

/** `GET /reports/sla`: totals, and one row per value of the axis grouped by (named by that axis). */
export const slaReportSchema = /* @__PURE__ */ (() =>
  z.object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(SLA_GROUPS),
    /** When a figure of this range last changed (a late complaint restates a period); null: none yet. */
    lastChangedAt: z.optional(z.nullable(z.string())),
    total: slaFiguresSchema,
    groups: z.array(
      z.extend(
        slaFiguresSchema,
        Object.fromEntries(SLA_GROUPS.map((g) => [g, z.optional(z.string())])) as Record<
          SlaGroup,
          z.ZodMiniOptional<z.ZodMiniString<string>>
        >,
      ),
    ),
  }))();

const regulatoryFiguresSchema = /* @__PURE__ */ (() =>
  z.object({
    received: z.int(),
    resolved: z.int(),
    resolvedWithinStatutoryTime: z.int(),
    overdue: z.int(),
  }))();

/** `GET /reports/regulatory` as JSON (format=csv answers the same rows as text/csv). */
export const regulatoryReportSchema = /* @__PURE__ */ (() =>
  z.object({
    period: z.string(),
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    /** When a figure of this range last changed (a late complaint restates a period); null: none yet. */
    lastChangedAt: z.optional(z.nullable(z.string())),
    total: regulatoryFiguresSchema,
    rows: z.array(
      z.extend(regulatoryFiguresSchema, {
        axis: z.enum(REGULATORY_AXES),
        axisLabel: z.string(),
        code: z.string(),
        label: z.string(),
      }),
    ),
  }))();
