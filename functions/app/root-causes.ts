import { calendarFor, localDaysBetween } from "../domain/calendar";
import { ROOT_CAUSE_LABELS, ROOT_CAUSES, type RootCause } from "../domain/codes";
import type { Complaint } from "../domain/complaint";
import {
  count,
  KEYED,
  type MergedCells,
  NO_VALUE,
  type OpenRemediation,
  openRemediationOf,
  TOTAL_AXIS,
  type Vector,
} from "../domain/report-aggregates";
import * as z from "../domain/zod";
import type { ReportDependencies } from "./dependencies";
import { checkRange, RANGE_FIELDS, toRange } from "./report-range";
import { assertManager, type StaffIdentity } from "./staff-actions";

/**
 * What complaints reveal: root causes ranked by business type, branch and segment, with the trend
 * against the previous period of the same length, and the remediation actions that are past due.
 * Pure over the complaints received in the two periods (read from the month index).
 */

/** `GET /reports/root-causes` query: a range [from, to) (see `RANGE_FIELDS`). */
export const rootCauseReportQuerySchema = /* @__PURE__ */ (() =>
  z.pipe(z.strictObject(RANGE_FIELDS), z.transform(toRange)).check(z.superRefine(checkRange)))();
export type RootCauseReportQuery = z.infer<typeof rootCauseReportQuerySchema>;

export interface RootCauseCount {
  rootCause: RootCause;
  label: { en: string; zh: string };
  count: number;
  previous: number;
  /** Change against the previous period in %, null when the previous period had none. */
  changePct: number | null;
  trend: "up" | "down" | "flat";
}

const causeOf = (c: Complaint): RootCause | undefined => c.resolution?.rootCause;

/** Causes ranked by count (then by the previous period's count, then in list order); zeros left out. */
const rankCounts = (now: Map<RootCause, number>, before: Map<RootCause, number>): RootCauseCount[] =>
  ROOT_CAUSES.filter((r) => (now.get(r) ?? 0) > 0 || (before.get(r) ?? 0) > 0)
    .map((rootCause) => {
      const n = now.get(rootCause) ?? 0;
      const prev = before.get(rootCause) ?? 0;
      return {
        rootCause,
        label: ROOT_CAUSE_LABELS[rootCause],
        count: n,
        previous: prev,
        changePct: prev > 0 ? Math.round((1000 * (n - prev)) / prev) / 10 : null,
        trend: n > prev ? "up" : n < prev ? "down" : "flat",
      } satisfies RootCauseCount;
    })
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.previous - a.previous ||
        ROOT_CAUSES.indexOf(a.rootCause) - ROOT_CAUSES.indexOf(b.rootCause),
    );

/** The same ranking, counted from the complaints themselves (the recount the aggregates are proven by). */
export const rankCauses = (
  current: readonly Complaint[],
  previous: readonly Complaint[],
): RootCauseCount[] => {
  const tally = (cs: readonly Complaint[]) => {
    const m = new Map<RootCause, number>();
    for (const c of cs) {
      const cause = causeOf(c);
      if (cause) m.set(cause, (m.get(cause) ?? 0) + 1);
    }
    return m;
  };
  return rankCounts(tally(current), tally(previous));
};

const NO_BRANCH = "(none)";
const AXES = {
  businessType: (c: Complaint) => c.businessType,
  branch: (c: Complaint) => c.branch ?? NO_BRANCH,
  segment: (c: Complaint) => c.customer.segment,
} as const;
type Axis = keyof typeof AXES;

const byAxis = (axis: Axis, current: readonly Complaint[], previous: readonly Complaint[]) => {
  const value = AXES[axis];
  const values = [...new Set([...current, ...previous].filter(causeOf).map(value))];
  return values
    .map((v) => {
      const now = current.filter((c) => value(c) === v);
      const before = previous.filter((c) => value(c) === v);
      return {
        [axis]: v,
        count: now.filter(causeOf).length,
        previous: before.filter(causeOf).length,
        causes: rankCauses(now, before),
      };
    })
    .sort(
      (a, b) =>
        b.count - a.count || b.previous - a.previous || String(a[axis]).localeCompare(String(b[axis])),
    );
};

/** Open remediation actions whose due date (a local date of the complaint's jurisdiction) has ended by `now`. */
export const remediationPastDue = (complaints: readonly Complaint[], now: Date) =>
  pastDueOf(
    complaints.flatMap((c) => {
      const action = openRemediationOf(c);
      return action ? [{ complaintId: c.id, action }] : [];
    }),
    now,
  );

/** The root-cause report body (pure). `previous` holds the complaints of the period before `from`. */
export const buildRootCauseReport = (
  current: readonly Complaint[],
  previous: readonly Complaint[],
  query: RootCauseReportQuery,
  now: Date,
) => {
  const length = query.to.getTime() - query.from.getTime();
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    previousPeriod: {
      from: new Date(query.from.getTime() - length).toISOString(),
      to: query.from.toISOString(),
    },
    asOf: now.toISOString(),
    total: {
      received: current.length,
      withRootCause: current.filter(causeOf).length,
      previousWithRootCause: previous.filter(causeOf).length,
    },
    causes: rankCauses(current, previous),
    byBusinessType: byAxis("businessType", current, previous),
    byBranch: byAxis("branch", current, previous),
    bySegment: byAxis("segment", current, previous),
    // An action counts as open until staff record it done (`complete_remediation`).
    remediationPastDue: remediationPastDue([...previous, ...current], now),
  };
};

const causeCounts = (v: Vector | undefined): Map<RootCause, number> => {
  const m = new Map<RootCause, number>();
  for (const r of ROOT_CAUSES) {
    const n = v?.[`${KEYED.rootCause}${r}`] ?? 0;
    if (n > 0) m.set(r, n);
  }
  return m;
};

const byAxisFromCells = (axis: Axis, current: MergedCells, previous: MergedCells) => {
  const now = current.byAxis.get(axis) ?? new Map<string, Vector>();
  const before = previous.byAxis.get(axis) ?? new Map<string, Vector>();
  const withCause = (v: Vector | undefined) => count(v ?? {}, "withRootCause");
  const values = [...new Set([...now.keys(), ...before.keys()])].filter(
    (v) => withCause(now.get(v)) > 0 || withCause(before.get(v)) > 0,
  );
  return values
    .map((v) => ({
      [axis]: v === NO_VALUE ? NO_BRANCH : v,
      count: withCause(now.get(v)),
      previous: withCause(before.get(v)),
      causes: rankCounts(causeCounts(now.get(v)), causeCounts(before.get(v))),
    }))
    .sort(
      (a, b) =>
        b.count - a.count || b.previous - a.previous || String(a[axis]).localeCompare(String(b[axis])),
    );
};

/** Open remediation actions (as the aggregates list them) whose due date has ended by `now`. */
const pastDueOf = (actions: readonly { complaintId: string; action: OpenRemediation }[], now: Date) =>
  actions
    .flatMap(({ complaintId, action }) => {
      const cal = calendarFor(action.calendar);
      if (cal.endOfDay(action.dueBy).getTime() >= now.getTime()) return [];
      return [
        {
          complaintId,
          reference: action.reference,
          team: action.team,
          businessType: action.businessType,
          branch: action.branch,
          rootCause: action.rootCause,
          description: action.description,
          owner: action.owner,
          dueBy: action.dueBy,
          daysOverdue: localDaysBetween(action.dueBy, cal.localDateOf(now)),
        },
      ];
    })
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.reference.localeCompare(b.reference));

/** The root-cause report from the cells of the two periods and the open actions (pure). */
export const rootCauseReportFromCells = (
  current: MergedCells,
  previous: MergedCells,
  actions: readonly { complaintId: string; action: OpenRemediation }[],
  query: RootCauseReportQuery,
  now: Date,
) => {
  const length = query.to.getTime() - query.from.getTime();
  const total = (m: MergedCells) => m.byAxis.get(TOTAL_AXIS)?.get("*") ?? {};
  const changed = [current.lastChangedAt, previous.lastChangedAt].filter((x) => x !== null).sort();
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    previousPeriod: {
      from: new Date(query.from.getTime() - length).toISOString(),
      to: query.from.toISOString(),
    },
    asOf: now.toISOString(),
    lastChangedAt: changed.at(-1) ?? null,
    total: {
      received: count(total(current), "received"),
      withRootCause: count(total(current), "withRootCause"),
      previousWithRootCause: count(total(previous), "withRootCause"),
    },
    causes: rankCounts(causeCounts(total(current)), causeCounts(total(previous))),
    byBusinessType: byAxisFromCells("businessType", current, previous),
    byBranch: byAxisFromCells("branch", current, previous),
    bySegment: byAxisFromCells("segment", current, previous),
    remediationPastDue: pastDueOf(actions, now),
  };
};

const ROOT_CAUSE_AXES = ["businessType", "branch", "segment"] as const;

/** `GET /reports/root-causes`: managers only; the aggregates of this period and the one before. */
export const rootCauseReport = async (
  input: { staff: StaffIdentity; query: RootCauseReportQuery },
  deps: ReportDependencies,
) => {
  assertManager(input.staff);
  const { from, to } = input.query;
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const [current, previous, actions] = await Promise.all([
    deps.reports.read(from, to, ROOT_CAUSE_AXES),
    deps.reports.read(previousFrom, from, ROOT_CAUSE_AXES),
    deps.reports.openRemediation(previousFrom, to),
  ]);
  return rootCauseReportFromCells(current, previous, actions, input.query, deps.clock.now());
};

const causeCountSchema = /* @__PURE__ */ (() =>
  z.object({
    rootCause: z.enum(ROOT_CAUSES),
    label: z.object({ en: z.string(), zh: z.string() }),
    count: z.int(),
    previous: z.int(),
    changePct: z
      .nullable(z.number())
      .check(z.describe("change against the previous period in %; null: it had none")),
    trend: z.enum(["up", "down", "flat"]),
  }))();

const axisRow = <K extends Axis>(axis: K) =>
  z.object({
    [axis]: z.string(),
    count: z.int(),
    previous: z.int(),
    causes: z.array(causeCountSchema),
  } as { [P in K]: z.ZodMiniString<string> } & {
    count: z.ZodMiniInt;
    previous: z.ZodMiniInt;
    causes: z.ZodMiniArray<typeof causeCountSchema>;
  });

/** `GET /reports/root-causes`. */
export const rootCauseReportSchema = /* @__PURE__ */ (() =>
  z.object({
    from: z.string(),
    to: z.string(),
    previousPeriod: z.object({ from: z.string(), to: z.string() }),
    asOf: z.string(),
    /** When a figure of this range last changed (a late complaint restates a period); null: none yet. */
    lastChangedAt: z.optional(z.nullable(z.string())),
    total: z.object({
      received: z.int(),
      withRootCause: z.int(),
      previousWithRootCause: z.int(),
    }),
    causes: z.array(causeCountSchema),
    byBusinessType: z.array(axisRow("businessType")),
    byBranch: z.array(axisRow("branch")),
    bySegment: z.array(axisRow("segment")),
    remediationPastDue: z.array(
      z.object({
        complaintId: z.string(),
        reference: z.string(),
        team: z.string(),
        businessType: z.string(),
        branch: z.nullable(z.string()),
        rootCause: z.nullable(z.enum(ROOT_CAUSES)),
        description: z.string(),
        owner: z.string(),
        dueBy: z.string(),
        daysOverdue: z.int(),
      }),
    ),
  }))();
