import type { Complaint } from "./complaint";
import { calendarOf } from "./lifecycle";
import { clockMinutes } from "./metrics";
import { isStatutoryDeadline } from "./sla/statutory";

/*
 * Report aggregates, pure. Every complaint contributes one vector of numbers (counters and histogram
 * buckets) to a few cells: the quarter-hour (UTC) of its `receivedAt` and that UTC day, each once in total
 * and once per reporting axis value. A change replaces the complaint's contribution: the cells get
 * (new - old), which makes an update idempotent (the same facts give a zero difference) and a merge of
 * cells a plain sum. No AWS here: the DynamoDB adapter turns cells into items and deltas into ADDs.
 */

/** The axes the reports group on (one cell item per value, besides the total). */
export const REPORT_AXES = [
  "jurisdiction",
  "channel",
  "businessType",
  "cause",
  "team",
  "segment",
  "branch",
  "region",
  "priority",
  "outcome",
  /** `<jurisdiction>|<businessType>|<cause>`: what the returns map to their own categories (data). */
  "product",
] as const;
export type ReportAxis = (typeof REPORT_AXES)[number];
/** The axis of the cell that counts everything (its one value is `*`). */
export const TOTAL_AXIS = "total";
export type CellAxis = ReportAxis | typeof TOTAL_AXIS;

/** An axis value the complaint does not have yet (no branch, no outcome before a resolution). */
export const NO_VALUE = "(none)";

/** What a complaint contributes to the reports, as of one change (no personal data: codes and timings). */
export interface ReportFacts {
  receivedAt: string;
  axes: Record<ReportAxis, string>;
  open: boolean;
  resolved: boolean;
  resolvedWithinSla: boolean;
  slaBreached: boolean;
  statutoryBreached: boolean;
  escalated: boolean;
  reopens: number;
  needsAttention: boolean;
  repeat: boolean;
  /** The open complaint this one repeats (same customer and business type), by id. */
  repeatOf?: string;
  /** The final satisfaction score, once given. */
  satisfaction?: number;
  /** A statutory deadline passed before resolution, as far as the facts already say (not time-dependent). */
  overdue: boolean;
  /** Open, not yet overdue, with a statutory deadline: it becomes overdue when this instant passes. */
  openStatutoryDue?: string;
  rootCause?: string;
  /** Business and calendar minutes of the current cycle's resolution (pauses excluded). */
  resolutionMinutes?: { business: number; calendar: number };
  closed: boolean;
  /**
   * Resolved (final response) by close of business on the third business day after the day of receipt
   * (FCA DISP 1.5.1R's summary resolution window), in the complaint's own calendar.
   */
  resolvedWithin3BusinessDays: boolean;
  /** Resolved within eight weeks (56 days) of receipt (FCA DISP 1.6.2R). */
  resolvedWithin8Weeks: boolean;
  /** Redress paid (the resolution's remedy), by currency. */
  redress?: { currency: string; amount: number };
  /** The resolution's remediation action while it is not done (listed, not counted, by the root-cause report). */
  openRemediation?: OpenRemediation;
}

/** An open remediation action as the root-cause report lists it (staff-written text, no customer data). */
export interface OpenRemediation {
  reference: string;
  team: string;
  businessType: string;
  branch: string | null;
  rootCause: string | null;
  description: string;
  owner: string;
  /** Local date in the complaint's calendar. */
  dueBy: string;
  calendar: string;
}

/** Whether the complaint was resolved by the limit computed from its receipt (false if it cannot be computed). */
const resolvedBy = (c: Complaint, limit: (receivedAt: Date) => Date): boolean => {
  try {
    return Date.parse(c.resolution?.resolvedAt ?? "") <= limit(new Date(c.receivedAt)).getTime();
  } catch {
    // A calendar year that is not loaded: the window cannot be judged, so it is not counted as met.
    return false;
  }
};

/** The facts of a complaint as a change stores it (pure; uses the complaint's own calendar). */
export const reportFactsOf = (c: Complaint): ReportFacts => {
  const resolved = c.resolution !== undefined;
  const dues = c.sla.statutory
    .filter((s) => isStatutoryDeadline(s.rule))
    .map((s) => Date.parse(s.dueBy))
    .filter(Number.isFinite);
  const due = dues.length ? Math.min(...dues) : undefined;
  const breached = c.statutoryBreaches.length > 0;
  const overdue =
    breached || (resolved && due !== undefined && Date.parse(c.resolution?.resolvedAt ?? "") > due);
  const remedy = c.resolution?.remedy;
  const openRemediation = openRemediationOf(c);
  return {
    receivedAt: new Date(c.receivedAt).toISOString(),
    axes: {
      jurisdiction: c.jurisdiction,
      channel: c.channel,
      businessType: c.businessType,
      cause: c.cause,
      team: c.team,
      segment: c.customer.segment,
      branch: c.branch ?? NO_VALUE,
      region: c.region ?? NO_VALUE,
      priority: c.priority,
      outcome: c.resolution?.outcome ?? NO_VALUE,
      product: `${c.jurisdiction}|${c.businessType}|${c.cause}`,
    },
    open: c.status !== "closed" && !resolved,
    resolved,
    resolvedWithinSla: resolved && Date.parse(c.resolution?.resolvedAt ?? "") <= Date.parse(c.sla.resolveBy),
    slaBreached: c.slaPhase === "breached",
    statutoryBreached: breached,
    escalated: c.tier > 0,
    reopens: Math.max(0, (c.cycle ?? 1) - 1),
    needsAttention: c.status === "needs_attention",
    repeat: c.flags.repeat,
    ...(c.repeatOf ? { repeatOf: c.repeatOf } : {}),
    ...(c.feedback ? { satisfaction: c.feedback.satisfaction } : {}),
    overdue,
    ...(!resolved && !overdue && due !== undefined ? { openStatutoryDue: new Date(due).toISOString() } : {}),
    ...(c.resolution?.rootCause ? { rootCause: c.resolution.rootCause } : {}),
    ...(c.resolution
      ? {
          resolutionMinutes: clockMinutes(
            c,
            new Date(c.cycleStartedAt ?? c.receivedAt),
            new Date(c.resolution.resolvedAt),
          ),
        }
      : {}),
    closed: c.status === "closed",
    resolvedWithin3BusinessDays: resolved && resolvedBy(c, (at) => calendarOf(c).addBusinessDays(at, 3).at),
    resolvedWithin8Weeks: resolved && resolvedBy(c, (at) => new Date(at.getTime() + 56 * 86_400_000)),
    ...(remedy ? { redress: { currency: remedy.currency, amount: Number(remedy.amount) } } : {}),
    ...(openRemediation ? { openRemediation } : {}),
  };
};

/** The resolution's remediation action while it is not done, as the root-cause report lists it. */
export const openRemediationOf = (c: Complaint): OpenRemediation | undefined => {
  const action = c.resolution?.remediation;
  if (!action || c.resolution?.remediationCompleted) return undefined;
  return {
    reference: c.reference,
    team: c.team,
    businessType: c.businessType,
    branch: c.branch ?? null,
    rootCause: c.resolution?.rootCause ?? null,
    description: action.description,
    owner: action.owner,
    dueBy: action.dueBy,
    calendar: c.sla.calendar,
  };
};

// ---------------------------------------------------------------------------------------------------------
// Histograms: log-bucketed, mergeable, subtractable.

/**
 * Bucket growth factor: bucket i holds (GAMMA^(i-1), GAMMA^i], so any two values in one bucket differ by
 * at most 1%. A percentile is the nearest-rank bucket's mean (its sum over its count), which lies in the
 * same bucket as the true nearest-rank value: relative error at most 1% (exact when the bucket holds one
 * distinct value). Zero (and below) has a bucket of its own, `z`.
 */
export const HISTOGRAM_GAMMA = 1.01;
const LOG_GAMMA = Math.log(HISTOGRAM_GAMMA);

/** The bucket of a value (minutes): `z` for zero or less, else the integer i with v in (γ^(i-1), γ^i]. */
export const bucketOf = (v: number): string => {
  if (!(v > 0)) return "z";
  let i = Math.ceil(Math.log(v) / LOG_GAMMA);
  // Floating point at bucket edges: keep the definition exact.
  if (HISTOGRAM_GAMMA ** (i - 1) >= v) i--;
  else if (HISTOGRAM_GAMMA ** i < v) i++;
  return String(i);
};

const bucketOrder = (b: string): number => (b === "z" ? Number.NEGATIVE_INFINITY : Number(b));

/** Histogram names in a vector: resolution business and calendar minutes. */
export const HISTOGRAMS = { business: "hb", calendar: "hc" } as const;
export type HistogramName = keyof typeof HISTOGRAMS;

/** A vector of named numbers: counters (`r`, `v`, ...), histogram buckets (`hb.<i>` count, `hb$<i>` sum). */
export type Vector = Record<string, number>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The nearest-rank percentile of a histogram in a vector (null when it holds no value). */
export const histogramPercentile = (v: Vector, name: HistogramName, p: number): number | null => {
  const prefix = `${HISTOGRAMS[name]}.`;
  const buckets = Object.entries(v)
    .filter(([k, n]) => k.startsWith(prefix) && n > 0)
    .map(([k, n]) => ({ bucket: k.slice(prefix.length), count: n }))
    .sort((a, b) => bucketOrder(a.bucket) - bucketOrder(b.bucket));
  const total = buckets.reduce((s, b) => s + b.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const b of buckets) {
    seen += b.count;
    if (seen >= rank) {
      const sum = v[`${HISTOGRAMS[name]}$${b.bucket}`] ?? 0;
      return round2(sum / b.count);
    }
  }
  return null;
};

// ---------------------------------------------------------------------------------------------------------
// Vectors.

/** Counter names (short: they are attribute names on every cell item). */
export const COUNTERS = {
  received: "r",
  open: "o",
  resolved: "v",
  resolvedWithinSla: "w",
  slaBreaches: "sb",
  statutoryBreaches: "st",
  escalated: "e",
  reopens: "ro",
  needsAttention: "na",
  satisfactionSum: "ss",
  satisfactionCount: "sn",
  repeats: "rp",
  overdue: "ov",
  resolvedWithinStatutoryTime: "rt",
  withRootCause: "wr",
  closed: "cl",
  resolvedWithin3BusinessDays: "c3",
  resolvedWithin8Weeks: "c8",
  upheld: "uh",
  partiallyUpheld: "pu",
} as const;
export type CounterName = keyof typeof COUNTERS;

/** Prefixes of the keyed parts of a vector. */
export const KEYED = {
  rootCause: "rc.",
  redress: "rd.",
  /** Open complaints by the UTC hour their statutory deadline falls in (`od.2026-07-21T09`). */
  openDue: "od.",
} as const;

const flag = (b: boolean) => (b ? 1 : 0);

/** The vector one complaint adds to each of its cells. */
export const vectorOf = (f: ReportFacts): Vector => {
  const v: Vector = {
    [COUNTERS.received]: 1,
    [COUNTERS.open]: flag(f.open),
    [COUNTERS.resolved]: flag(f.resolved),
    [COUNTERS.resolvedWithinSla]: flag(f.resolvedWithinSla),
    [COUNTERS.slaBreaches]: flag(f.slaBreached),
    [COUNTERS.statutoryBreaches]: flag(f.statutoryBreached),
    [COUNTERS.escalated]: flag(f.escalated),
    [COUNTERS.reopens]: f.reopens,
    [COUNTERS.needsAttention]: flag(f.needsAttention),
    [COUNTERS.satisfactionSum]: f.satisfaction ?? 0,
    [COUNTERS.satisfactionCount]: flag(f.satisfaction !== undefined),
    [COUNTERS.repeats]: flag(f.repeat),
    [COUNTERS.overdue]: flag(f.overdue),
    [COUNTERS.resolvedWithinStatutoryTime]: flag(f.resolved && !f.overdue),
    [COUNTERS.withRootCause]: flag(f.rootCause !== undefined),
    [COUNTERS.closed]: flag(f.closed),
    [COUNTERS.resolvedWithin3BusinessDays]: flag(f.resolvedWithin3BusinessDays),
    [COUNTERS.resolvedWithin8Weeks]: flag(f.resolvedWithin8Weeks),
    [COUNTERS.upheld]: flag(f.axes.outcome === "upheld"),
    [COUNTERS.partiallyUpheld]: flag(f.axes.outcome === "partially_upheld"),
  };
  if (f.rootCause) v[`${KEYED.rootCause}${f.rootCause}`] = 1;
  if (f.redress) v[`${KEYED.redress}${f.redress.currency}`] = f.redress.amount;
  if (f.openStatutoryDue) v[`${KEYED.openDue}${f.openStatutoryDue.slice(0, 13)}`] = 1;
  if (f.resolutionMinutes) {
    for (const name of ["business", "calendar"] as const) {
      const value = f.resolutionMinutes[name];
      const b = bucketOf(value);
      v[`${HISTOGRAMS[name]}.${b}`] = 1;
      v[`${HISTOGRAMS[name]}$${b}`] = value;
    }
  }
  for (const k of Object.keys(v)) if (v[k] === 0) delete v[k];
  return v;
};

/** The axes whose cells keep the resolution histograms (the SLA report's groups and the total). */
export const HISTOGRAM_AXES: readonly CellAxis[] = [TOTAL_AXIS, "team", "segment", "channel", "priority"];

/** Whether a vector entry belongs to a histogram (kept in a cell item of its own, read only when needed). */
export const isHistogramKey = (k: string): boolean =>
  k.startsWith(`${HISTOGRAMS.business}.`) ||
  k.startsWith(`${HISTOGRAMS.business}$`) ||
  k.startsWith(`${HISTOGRAMS.calendar}.`) ||
  k.startsWith(`${HISTOGRAMS.calendar}$`);

/**
 * A cell's vector as it is stored: the counters, and — on the histogram axes only — the histograms apart
 * (so the reports that need no percentile read small items).
 */
export const storedParts = (axis: CellAxis, v: Vector): { counters: Vector; histogram: Vector } => {
  const counters: Vector = {};
  const histogram: Vector = {};
  for (const [k, n] of Object.entries(v)) {
    if (!isHistogramKey(k)) counters[k] = n;
    else if (HISTOGRAM_AXES.includes(axis)) histogram[k] = n;
  }
  return { counters, histogram };
};

/** Adds `b` (times `sign`) into `a`, in place; sums are kept to 2 decimals (minutes, money). */
export const addInto = (a: Vector, b: Vector, sign = 1): Vector => {
  for (const [k, n] of Object.entries(b)) a[k] = round2((a[k] ?? 0) + sign * n);
  return a;
};

/** `get` with a default of 0. */
export const count = (v: Vector, c: CounterName): number => v[COUNTERS[c]] ?? 0;

/** Open complaints whose statutory deadline hour has fully passed by `now` (they are overdue). */
export const openOverdueAt = (v: Vector, now: Date): number => {
  let n = 0;
  for (const [k, value] of Object.entries(v)) {
    if (!k.startsWith(KEYED.openDue)) continue;
    const hourStart = Date.parse(`${k.slice(KEYED.openDue.length)}:00:00Z`);
    if (hourStart + 3_600_000 <= now.getTime()) n += value;
  }
  return n;
};

// ---------------------------------------------------------------------------------------------------------
// Cells.

/** Cell grains: a quarter-hour slot of a UTC day, or a whole UTC day of a month. */
export type Cell =
  | { grain: "slot"; day: string; slot: string }
  | { grain: "day"; month: string; day: string };

export const SLOT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** The two cells an instant falls in: its quarter-hour and its UTC day. */
export const cellsOf = (receivedAt: string): [Cell, Cell] => {
  const t = new Date(Math.floor(Date.parse(receivedAt) / SLOT_MS) * SLOT_MS).toISOString();
  return [
    { grain: "slot", day: t.slice(0, 10), slot: `${t.slice(11, 13)}${t.slice(14, 16)}` },
    { grain: "day", month: t.slice(0, 7), day: t.slice(8, 10) },
  ];
};

/** One cell item: a cell, an axis and a value (`total`/`*` for the total). */
export interface CellItem {
  cell: Cell;
  axis: CellAxis;
  value: string;
}

/** A stable key of a cell item (for maps). */
export const cellItemKey = (i: CellItem): string =>
  i.cell.grain === "slot"
    ? `S|${i.cell.day}|${i.cell.slot}|${i.axis}|${i.value}`
    : `D|${i.cell.month}|${i.cell.day}|${i.axis}|${i.value}`;

/** Every cell item a complaint's facts contribute to. */
export const cellItemsOf = (f: ReportFacts): CellItem[] =>
  cellsOf(f.receivedAt).flatMap((cell) => [
    { cell, axis: TOTAL_AXIS, value: "*" } as CellItem,
    ...REPORT_AXES.map((axis) => ({ cell, axis, value: f.axes[axis] })),
  ]);

/** What replacing a complaint's contribution `before` by `after` adds to each cell item (zeros left out). */
export const contributionDelta = (
  before: ReportFacts | undefined,
  after: ReportFacts | undefined,
): { item: CellItem; delta: Vector }[] => {
  const out = new Map<string, { item: CellItem; delta: Vector }>();
  const put = (f: ReportFacts | undefined, sign: number) => {
    if (!f) return;
    const v = vectorOf(f);
    for (const item of cellItemsOf(f)) {
      const k = cellItemKey(item);
      const entry = out.get(k) ?? { item, delta: {} };
      addInto(entry.delta, v, sign);
      out.set(k, entry);
    }
  };
  put(before, -1);
  put(after, 1);
  return [...out.values()]
    .map(({ item, delta }) => {
      for (const k of Object.keys(delta)) if (delta[k] === 0) delete delta[k];
      return { item, delta };
    })
    .filter((e) => Object.keys(e.delta).length > 0);
};

/**
 * The cell ranges that cover [from, to) exactly: whole UTC days as day cells (one range per month), the
 * rest as quarter-hour slots (one range per day). Both ends must fall on a quarter-hour (every time zone's
 * midnight does); the caller has checked that.
 */
export type CellRange =
  | { grain: "slot"; day: string; fromSlot: string; toSlot: string }
  | { grain: "day"; month: string; fromDay: string; toDay: string };

const slotOf = (t: number) => {
  const s = new Date(t).toISOString();
  return `${s.slice(11, 13)}${s.slice(14, 16)}`;
};

/** Whether an instant falls on a cell boundary (a quarter-hour in UTC). */
export const isCellAligned = (d: Date): boolean => d.getTime() % SLOT_MS === 0;

export const cellRangesOf = (from: Date, to: Date): CellRange[] => {
  const ranges: CellRange[] = [];
  let t = from.getTime();
  const end = to.getTime();
  while (t < end) {
    const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
    const dayEnd = dayStart + DAY_MS;
    if (t === dayStart && dayEnd <= end) {
      // Whole days, up to the end of this month or of the range.
      const d = new Date(dayStart);
      const monthEnd = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
      const lastWhole = Math.min(monthEnd, Math.floor(end / DAY_MS) * DAY_MS);
      const iso = d.toISOString();
      ranges.push({
        grain: "day",
        month: iso.slice(0, 7),
        fromDay: iso.slice(8, 10),
        toDay: new Date(lastWhole - DAY_MS).toISOString().slice(8, 10),
      });
      t = lastWhole;
    } else {
      const stop = Math.min(dayEnd, end);
      ranges.push({
        grain: "slot",
        day: new Date(dayStart).toISOString().slice(0, 10),
        fromSlot: slotOf(t),
        toSlot: slotOf(stop - SLOT_MS),
      });
      t = stop;
    }
  }
  return ranges;
};

/** Cells read back and merged: one vector per axis value, and when any of them last changed. */
export interface MergedCells {
  byAxis: Map<CellAxis, Map<string, Vector>>;
  lastChangedAt: string | null;
}

/** Merges cell items (as read) into one vector per axis value. */
export const mergeCells = (
  items: Iterable<{ axis: CellAxis; value: string; vector: Vector; lastChangedAt?: string }>,
): MergedCells => {
  const byAxis = new Map<CellAxis, Map<string, Vector>>();
  let last: string | null = null;
  for (const i of items) {
    const values = byAxis.get(i.axis) ?? new Map<string, Vector>();
    values.set(i.value, addInto(values.get(i.value) ?? {}, i.vector));
    byAxis.set(i.axis, values);
    if (i.lastChangedAt && (last === null || i.lastChangedAt > last)) last = i.lastChangedAt;
  }
  return { byAxis, lastChangedAt: last };
};

/** Whether a vector counts anything at all (a cell whose complaints all moved away reads as zeros). */
export const isEmptyVector = (v: Vector): boolean => Object.values(v).every((n) => n === 0);

/** The in-memory fold of many complaints' facts into cells (recounts, rebuild checks, seeding). */
export const foldFacts = (facts: Iterable<ReportFacts>): Map<string, { item: CellItem; vector: Vector }> => {
  const cells = new Map<string, { item: CellItem; vector: Vector }>();
  for (const f of facts) {
    for (const { item, delta } of contributionDelta(undefined, f)) {
      const k = cellItemKey(item);
      const entry = cells.get(k) ?? { item, vector: {} };
      addInto(entry.vector, delta);
      cells.set(k, entry);
    }
  }
  return cells;
};

/** Every cell range of whole UTC days [from, to): their day cells and all their quarter-hour slots (rebuild). */
export const wholeDayRangesOf = (from: Date, to: Date): CellRange[] => {
  if (from.getTime() % DAY_MS !== 0 || to.getTime() % DAY_MS !== 0)
    throw new RangeError("a rebuild covers whole UTC days");
  const slots: CellRange[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS)
    slots.push({
      grain: "slot",
      day: new Date(t).toISOString().slice(0, 10),
      fromSlot: "0000",
      toSlot: "2345",
    });
  return [...cellRangesOf(from, to), ...slots];
};
