import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentile } from "../../functions/domain/metrics";
import {
  addInto,
  bucketOf,
  type CellRange,
  cellRangesOf,
  contributionDelta,
  foldFacts,
  HISTOGRAM_GAMMA,
  histogramPercentile,
  mergeCells,
  NO_VALUE,
  openOverdueAt,
  type ReportFacts,
  TOTAL_AXIS,
  type Vector,
  vectorOf,
  wholeDayRangesOf,
} from "../../functions/domain/report-aggregates";

const facts = (over: Partial<ReportFacts> = {}): ReportFacts => ({
  receivedAt: "2026-07-07T01:07:00.000Z",
  axes: {
    jurisdiction: "CN",
    channel: "mobile_app",
    businessType: "cards",
    cause: "fees_pricing",
    team: "cards",
    segment: "mass_retail",
    branch: NO_VALUE,
    region: "CN-SH",
    priority: "P3",
    outcome: NO_VALUE,
    product: "CN|cards|fees_pricing",
  },
  open: true,
  resolved: false,
  resolvedWithinSla: false,
  slaBreached: false,
  statutoryBreached: false,
  escalated: false,
  reopens: 0,
  needsAttention: false,
  repeat: false,
  overdue: false,
  closed: false,
  resolvedWithin3BusinessDays: false,
  resolvedWithin8Weeks: false,
  ...over,
});

const histogramOf = (values: readonly number[]): Vector => {
  const v: Vector = {};
  for (const minutes of values)
    addInto(
      v,
      vectorOf(
        facts({ resolved: true, open: false, resolutionMinutes: { business: minutes, calendar: minutes } }),
      ),
    );
  return v;
};

describe("log-bucketed histograms", () => {
  it("put a value in the bucket (γ^(i-1), γ^i]", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), (v) => {
        const i = Number(bucketOf(v));
        expect(HISTOGRAM_GAMMA ** (i - 1)).toBeLessThan(v);
        expect(HISTOGRAM_GAMMA ** i).toBeGreaterThanOrEqual(v);
      }),
    );
    expect(bucketOf(0)).toBe("z");
  });

  it("answer p50/p90/p99 within 1% of the exact nearest-rank percentile", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.double({ min: 0.01, max: 600_000, noNaN: true }).map((x) => Math.round(x * 100) / 100),
          { minLength: 1, maxLength: 300 },
        ),
        (values) => {
          const h = histogramOf(values);
          for (const p of [50, 90, 99]) {
            const exact = percentile(values, p) as number;
            const estimate = histogramPercentile(h, "business", p) as number;
            // Two decimals of rounding on top of the bucket bound.
            expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(exact * 0.01 + 0.01);
          }
        },
      ),
    );
  });

  it("are exact for one value, and null for none", () => {
    expect(histogramPercentile(histogramOf([907.25]), "business", 50)).toBe(907.25);
    expect(histogramPercentile(histogramOf([907.25]), "calendar", 90)).toBe(907.25);
    expect(histogramPercentile({}, "business", 50)).toBeNull();
  });

  it("merge by addition and forget a value by subtraction", () => {
    const a = histogramOf([10, 20, 3000]);
    const b = histogramOf([45, 46]);
    const merged = addInto(addInto({}, a), b);
    expect(histogramPercentile(merged, "business", 50)).toBe(45);
    addInto(merged, histogramOf([45]), -1);
    expect(histogramPercentile(merged, "business", 50)).toBe(20);
  });
});

describe("contributions", () => {
  it("a redelivered change adds nothing", () => {
    const f = facts({ resolved: true, open: false, rootCause: "process" });
    expect(contributionDelta(f, f)).toEqual([]);
  });

  it("a reassignment moves the complaint from one team's cells to the other's", () => {
    const before = facts();
    const after = facts({ axes: { ...before.axes, team: "payments" } });
    const delta = contributionDelta(before, after);
    const byTeam = (team: string) =>
      delta.filter((d) => d.item.axis === "team" && d.item.value === team).map((d) => d.delta.r);
    expect(byTeam("cards")).toEqual([-1, -1]); // its quarter-hour and its day
    expect(byTeam("payments")).toEqual([1, 1]);
    expect(delta.some((d) => d.item.axis === TOTAL_AXIS)).toBe(false);
  });

  it("applied one change after another, equal a fold of the last facts alone", () => {
    const steps = [
      facts(),
      facts({ escalated: true, slaBreached: true }),
      facts({
        escalated: true,
        slaBreached: true,
        resolved: true,
        open: false,
        axes: { ...facts().axes, outcome: "upheld" },
        resolutionMinutes: { business: 900, calendar: 2000 },
        rootCause: "process",
        redress: { currency: "CNY", amount: 120.5 },
      }),
      facts({ escalated: true, slaBreached: true, reopens: 1, axes: { ...facts().axes, outcome: "upheld" } }),
    ];
    const cells = new Map<string, Vector>();
    let previous: ReportFacts | undefined;
    for (const f of steps) {
      for (const { item, delta } of contributionDelta(previous, f)) {
        const k = JSON.stringify(item);
        cells.set(k, addInto(cells.get(k) ?? {}, delta));
      }
      previous = f;
    }
    const recount = new Map(
      [...foldFacts([steps.at(-1) as ReportFacts]).values()].map((c) => [JSON.stringify(c.item), c.vector]),
    );
    const nonZero = (v: Vector) => Object.fromEntries(Object.entries(v).filter(([, n]) => n !== 0));
    for (const [k, v] of cells) expect(nonZero(v), k).toEqual(nonZero(recount.get(k) ?? {}));
    expect([...recount.keys()].every((k) => cells.has(k))).toBe(true);
  });

  it("counts an open complaint overdue once its deadline's hour has passed", () => {
    const v = vectorOf(facts({ openStatutoryDue: "2026-07-22T09:30:00.000Z" }));
    expect(openOverdueAt(v, new Date("2026-07-22T09:59:59Z"))).toBe(0);
    expect(openOverdueAt(v, new Date("2026-07-22T10:00:00Z"))).toBe(1);
  });

  it("merged cells keep the latest change instant", () => {
    const m = mergeCells([
      { axis: TOTAL_AXIS, value: "*", vector: { r: 1 }, lastChangedAt: "2026-07-01T00:00:00.000Z" },
      { axis: TOTAL_AXIS, value: "*", vector: { r: 2 }, lastChangedAt: "2026-07-03T00:00:00.000Z" },
    ]);
    expect(m.byAxis.get(TOTAL_AXIS)?.get("*")).toEqual({ r: 3 });
    expect(m.lastChangedAt).toBe("2026-07-03T00:00:00.000Z");
  });
});

/** The quarter-hours a set of ranges covers (each as its start, ms), with repeats. */
const slotsOf = (ranges: readonly CellRange[]): number[] =>
  ranges.flatMap((r) => {
    if (r.grain === "slot") {
      const day = Date.parse(`${r.day}T00:00:00Z`);
      const at = (s: string) => day + (Number(s.slice(0, 2)) * 60 + Number(s.slice(2))) * 60_000;
      const out: number[] = [];
      for (let t = at(r.fromSlot); t <= at(r.toSlot); t += 900_000) out.push(t);
      return out;
    }
    const out: number[] = [];
    for (let d = Number(r.fromDay); d <= Number(r.toDay); d++) {
      const day = Date.parse(`${r.month}-${String(d).padStart(2, "0")}T00:00:00Z`);
      for (let t = day; t < day + 86_400_000; t += 900_000) out.push(t);
    }
    return out;
  });

describe("cell ranges", () => {
  it("cover every quarter-hour of [from, to) exactly once", () => {
    const base = Date.parse("2026-01-01T00:00:00Z");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 * 24 * 400 }),
        fc.integer({ min: 1, max: 4 * 24 * 120 }),
        (a, n) => {
          const from = new Date(base + a * 900_000);
          const to = new Date(from.getTime() + n * 900_000);
          const covered = slotsOf(cellRangesOf(from, to));
          expect(covered.length).toBe(n);
          expect(new Set(covered).size).toBe(n);
          expect(Math.min(...covered)).toBe(from.getTime());
          expect(Math.max(...covered)).toBe(to.getTime() - 900_000);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("read a Beijing quarter as a few ranges: two part-days and whole days per month", () => {
    const ranges = cellRangesOf(new Date("2026-06-30T16:00:00Z"), new Date("2026-09-30T16:00:00Z"));
    expect(ranges).toEqual([
      { grain: "slot", day: "2026-06-30", fromSlot: "1600", toSlot: "2345" },
      { grain: "day", month: "2026-07", fromDay: "01", toDay: "31" },
      { grain: "day", month: "2026-08", fromDay: "01", toDay: "31" },
      { grain: "day", month: "2026-09", fromDay: "01", toDay: "29" },
      { grain: "slot", day: "2026-09-30", fromSlot: "0000", toSlot: "1545" },
    ]);
  });

  it("a rebuild covers whole UTC days only, slots and days both", () => {
    expect(() =>
      wholeDayRangesOf(new Date("2026-07-01T01:00:00Z"), new Date("2026-07-02T00:00:00Z")),
    ).toThrow(RangeError);
    const ranges = wholeDayRangesOf(new Date("2026-07-01T00:00:00Z"), new Date("2026-07-03T00:00:00Z"));
    expect(ranges).toEqual([
      { grain: "day", month: "2026-07", fromDay: "01", toDay: "02" },
      { grain: "slot", day: "2026-07-01", fromSlot: "0000", toSlot: "2345" },
      { grain: "slot", day: "2026-07-02", fromSlot: "0000", toSlot: "2345" },
    ]);
  });
});
