import {
  APP_NAMESPACE,
  evaluateFormula,
  type Formula,
  type Series,
  type WidgetSpec,
} from "../../../functions/observability/widgets";
import { type EmfStore, metricKey } from "./emf-store";

export interface SeriesData {
  id: string;
  label: string;
  /** Over the whole range (tiles and bars), null when there is no data. */
  total: number | null;
  /** One value per bucket (lines), null where there is no data. */
  points: (number | null)[];
  /** Only measured on AWS (Step Functions and Lambda metrics). */
  cloudWatchOnly?: boolean;
}

export interface WidgetData {
  id: string;
  title: string;
  view: WidgetSpec["view"];
  unit: string;
  width: number;
  series: SeriesData[];
}

export interface DashboardData {
  generatedAt: string;
  from: number | null;
  to: number | null;
  bucketMs: number;
  buckets: number[];
  emfLines: number;
  widgets: WidgetData[];
}

const BUCKETS = 24;
const MINUTE = 60_000;

const inputsOf = (f: Formula): string[] =>
  f.op === "sum" ? f.of : f.op === "ratio" ? [f.numerator, f.denominator] : [f.plus, f.minus];

/** Evaluates one widget's series over the range and its buckets, formulas over their inputs. */
const widgetData = (spec: WidgetSpec, store: EmfStore, buckets: number[], bucketMs: number, to: number) => {
  const totals = new Map<string, number | null>();
  const points = new Map<string, (number | null)[]>();
  const out: SeriesData[] = [];
  const from = buckets[0] ?? to;
  for (const s of spec.series as Series[]) {
    let total: number | null = null;
    let pts: (number | null)[] = buckets.map(() => null);
    if (s.kind === "app") {
      const key = metricKey(APP_NAMESPACE, s.metric, s.dimensions as Record<string, string>);
      total = store.stat(key, s.stat, from, to);
      pts = buckets.map((b) => store.stat(key, s.stat, b, b + bucketMs));
    } else if (s.kind === "formula") {
      const inputs = inputsOf(s.formula);
      const anyTotal = inputs.some((id) => (totals.get(id) ?? null) !== null);
      total = anyTotal ? evaluateFormula(s.formula, (id) => totals.get(id) ?? null) : null;
      let previous: number | null = null;
      pts = buckets.map((_, i) => {
        const at = (id: string) => points.get(id)?.[i] ?? null;
        if (s.formula.op !== "runningNet" && inputs.every((id) => at(id) === null)) return null;
        previous = evaluateFormula(s.formula, at, previous);
        return previous;
      });
      // A running total over the range ends where the range ends.
      if (s.formula.op === "runningNet" && anyTotal) total = previous;
    }
    totals.set(s.id, total);
    points.set(s.id, pts);
    if (!s.hidden) {
      out.push({
        id: s.id,
        label: s.label,
        total,
        points: pts,
        ...(s.kind === "aws" ? { cloudWatchOnly: true } : {}),
      });
    }
  }
  return out;
};

/** The dashboard's figures, from the EMF lines read so far, rendered from the one widget spec. */
export const dashboardData = (store: EmfStore, widgets: readonly WidgetSpec[], now: Date): DashboardData => {
  const first = store.first;
  const last = store.last;
  let buckets: number[] = [];
  let bucketMs = MINUTE;
  let to: number | null = null;
  if (first !== undefined && last !== undefined) {
    const start = Math.floor(first / MINUTE) * MINUTE;
    const span = Math.max(MINUTE, last + MINUTE - start);
    bucketMs = Math.max(MINUTE, Math.ceil(span / BUCKETS / MINUTE) * MINUTE);
    buckets = Array.from({ length: Math.ceil(span / bucketMs) }, (_, i) => start + i * bucketMs);
    to = start + buckets.length * bucketMs;
  }
  return {
    generatedAt: now.toISOString(),
    from: buckets[0] ?? null,
    to,
    bucketMs,
    buckets,
    emfLines: store.lines,
    widgets: widgets.map((w) => ({
      id: w.id,
      title: w.title,
      view: w.view,
      unit: w.unit,
      width: w.width,
      series: widgetData(w, store, buckets, bucketMs, to ?? 0),
    })),
  };
};
