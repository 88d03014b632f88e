import * as z from "zod";
import { localDaysBetween } from "../domain/calendar";
import { ROOT_CAUSE_LABELS, ROOT_CAUSES, type RootCause } from "../domain/codes";
import type { Complaint } from "../domain/complaint";
import { calendarOf } from "../domain/lifecycle";
import type { ReadDependencies } from "./dependencies";
import { checkRange, RANGE_FIELDS, toRange } from "./report-range";
import { assertManager, type StaffIdentity } from "./staff-actions";

/**
 * What complaints reveal: root causes ranked by business type, branch and segment, with the trend
 * against the previous period of the same length, and the remediation actions that are past due.
 * Pure over the complaints received in the two periods (read from the month index).
 */

/** `GET /reports/root-causes` query: a range [from, to) (see `RANGE_FIELDS`). */
export const rootCauseReportQuerySchema = z
  .object(RANGE_FIELDS)
  .strict()
  .transform(toRange)
  .superRefine(checkRange);
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
  const now = tally(current);
  const before = tally(previous);
  return ROOT_CAUSES.filter((r) => (now.get(r) ?? 0) > 0 || (before.get(r) ?? 0) > 0)
    .map((rootCause) => {
      const count = now.get(rootCause) ?? 0;
      const prev = before.get(rootCause) ?? 0;
      return {
        rootCause,
        label: ROOT_CAUSE_LABELS[rootCause],
        count,
        previous: prev,
        changePct: prev > 0 ? Math.round((1000 * (count - prev)) / prev) / 10 : null,
        trend: count > prev ? "up" : count < prev ? "down" : "flat",
      } satisfies RootCauseCount;
    })
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.previous - a.previous ||
        ROOT_CAUSES.indexOf(a.rootCause) - ROOT_CAUSES.indexOf(b.rootCause),
    );
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
  complaints
    .flatMap((c) => {
      const action = c.resolution?.remediation;
      if (!action || c.resolution?.remediationCompleted) return [];
      const cal = calendarOf(c);
      if (cal.endOfDay(action.dueBy).getTime() >= now.getTime()) return [];
      return [
        {
          complaintId: c.id,
          reference: c.reference,
          team: c.team,
          businessType: c.businessType,
          branch: c.branch ?? null,
          rootCause: c.resolution?.rootCause ?? null,
          description: action.description,
          owner: action.owner,
          dueBy: action.dueBy,
          daysOverdue: localDaysBetween(action.dueBy, cal.localDateOf(now)),
        },
      ];
    })
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.reference.localeCompare(b.reference));

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

/** `GET /reports/root-causes`: managers only; two reads of the month index (this period and the one before). */
export const rootCauseReport = async (
  input: { staff: StaffIdentity; query: RootCauseReportQuery },
  deps: ReadDependencies,
) => {
  assertManager(input.staff);
  const { from, to } = input.query;
  const previousFrom = new Date(from.getTime() - (to.getTime() - from.getTime()));
  const [current, previous] = await Promise.all([
    deps.readModels.receivedBetween(from, to),
    deps.readModels.receivedBetween(previousFrom, from),
  ]);
  return buildRootCauseReport(current, previous, input.query, deps.clock.now());
};

const causeCountSchema = z.object({
  rootCause: z.enum(ROOT_CAUSES),
  label: z.object({ en: z.string(), zh: z.string() }),
  count: z.number().int(),
  previous: z.number().int(),
  changePct: z.number().nullable().describe("change against the previous period in %; null: it had none"),
  trend: z.enum(["up", "down", "flat"]),
});

const axisRow = <K extends Axis>(axis: K) =>
  z.object({
    [axis]: z.string(),
    count: z.number().int(),
    previous: z.number().int(),
    causes: z.array(causeCountSchema),
  } as { [P in K]: z.ZodString } & {
    count: z.ZodNumber;
    previous: z.ZodNumber;
    causes: z.ZodArray<typeof causeCountSchema>;
  });

/** `GET /reports/root-causes`. */
export const rootCauseReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  previousPeriod: z.object({ from: z.string(), to: z.string() }),
  asOf: z.string(),
  total: z.object({
    received: z.number().int(),
    withRootCause: z.number().int(),
    previousWithRootCause: z.number().int(),
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
      branch: z.string().nullable(),
      rootCause: z.enum(ROOT_CAUSES).nullable(),
      description: z.string(),
      owner: z.string(),
      dueBy: z.string(),
      daysOverdue: z.number().int(),
    }),
  ),
});
