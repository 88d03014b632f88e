import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { complaintItemSchema } from "../../functions/adapters/dynamodb/complaint-item";
import { DynamoReportAggregates } from "../../functions/adapters/dynamodb/report-aggregates";
import { BUSINESS_TYPES, CAUSES, CHANNELS, PRIORITIES, SEGMENTS } from "../../functions/domain/codes";
import type { Complaint } from "../../functions/domain/complaint";
import {
  addInto,
  type CellItem,
  cellItemKey,
  cellItemsOf,
  contributionDelta,
  foldFacts,
  NO_VALUE,
  type ReportFacts,
  reportFactsOf,
  type Vector,
  vectorOf,
} from "../../functions/domain/report-aggregates";
import { mdTable, type SectionResult, verdict } from "../lib/report";
import { fmt, percentile, progress, rng } from "../lib/stats";
import type { System } from "../lib/system";
import { makeComplaints, seed } from "./scale";

/*
 * Reports at bank scale. Complaints are seeded as the scale section seeds them (items in the adapter's
 * shape, receipts over 2026); their report aggregates are then written through the same update code the
 * stream consumer runs (`reportFactsOf` -> `foldFacts`, i.e. `contributionDelta` from nothing), and every
 * report is timed over HTTP at 1k and at 50k stored. Then the regulatory quarter is timed over a million
 * complaints' worth of aggregates (2025-Q3, facts drawn at random, folded by the same code), and the
 * consumer's write cost per change is counted from the items a lifecycle's deltas touch.
 */

const REPORTS = [
  ["sla", "/reports/sla?from=2026-04-01&to=2026-07-01&timeZone=Asia/Shanghai&groupBy=team"],
  ["regulatory", "/reports/regulatory?period=2026-Q2"],
  ["root-causes", "/reports/root-causes?from=2026-04-01&to=2026-07-01&timeZone=Asia/Shanghai"],
  ["fca-return", "/reports/fca-return?period=2026-H1"],
  ["annual-disclosure", "/reports/annual-disclosure?year=2026"],
] as const;

/** DynamoDB's item size: attribute names plus values (numbers ~ 1 byte per 2 digits + 1; strings UTF-8). */
const itemBytes = (item: Record<string, unknown>): number => {
  let n = 0;
  for (const [k, v] of Object.entries(item)) {
    n += Buffer.byteLength(k);
    if (typeof v === "number") n += Math.ceil(String(Math.abs(v)).replace(/[.-]/g, "").length / 2) + 1;
    else if (typeof v === "string") n += Buffer.byteLength(v);
    else n += Buffer.byteLength(JSON.stringify(v));
  }
  return n;
};

/** Write request units of one transactional write of items of these sizes (2 per KB, rounded up, each). */
const transactionalWcu = (sizes: readonly number[]) => sizes.reduce((s, b) => s + 2 * Math.ceil(b / 1024), 0);

const writeCells = async (
  sys: System,
  from: Date,
  to: Date,
  cells: Iterable<{ item: CellItem; vector: Vector }>,
) => new DynamoReportAggregates(sys.db, sys.stack.tableName).replaceCells(from, to, cells, new Date());

/** Synthetic facts of complaints received in [from, to): the vocabularies, a bank's skew, 80% resolved. */
const randomFacts = (r: ReturnType<typeof rng>, from: number, to: number): ReportFacts => {
  const resolved = r.chance(0.8);
  const businessType = r.pick(BUSINESS_TYPES);
  const cause = r.pick(CAUSES);
  const business = Math.round(r.exp(900) * 100) / 100;
  const outcome = resolved ? r.weighted({ upheld: 45, partially_upheld: 20, rejected: 35 }) : NO_VALUE;
  return {
    receivedAt: new Date(from + Math.floor(r.next() * (to - from))).toISOString(),
    axes: {
      jurisdiction: "CN",
      channel: r.pick(CHANNELS),
      businessType,
      cause,
      team: r.pick([
        "cards",
        "loans",
        "payments",
        "deposits",
        "digital",
        "wealth",
        "general",
        "private_banking",
      ]),
      segment: r.pick(SEGMENTS),
      branch: `BR-${String(r.int(1, 60)).padStart(3, "0")}`,
      region: `CN-${r.pick(["BJ", "SH", "GD", "JS", "ZJ", "SC", "HB", "SD", "FJ", "HN"])}`,
      priority: r.pick(PRIORITIES),
      outcome,
      product: `CN|${businessType}|${cause}`,
    },
    open: !resolved,
    resolved,
    resolvedWithinSla: resolved && r.chance(0.85),
    slaBreached: r.chance(0.1),
    statutoryBreached: r.chance(0.01),
    escalated: r.chance(0.15),
    reopens: r.chance(0.05) ? 1 : 0,
    needsAttention: false,
    repeat: r.chance(0.08),
    ...(resolved && r.chance(0.6) ? { satisfaction: r.int(1, 5) } : {}),
    overdue: r.chance(0.01),
    ...(resolved
      ? {
          rootCause: r.pick([
            "process",
            "product_design",
            "staff_conduct",
            "system_defect",
            "pricing_policy",
          ]),
          resolutionMinutes: { business, calendar: Math.round(business * 3.1 * 100) / 100 },
        }
      : {}),
    closed: resolved && r.chance(0.9),
    resolvedWithin3BusinessDays: resolved && r.chance(0.4),
    resolvedWithin8Weeks: resolved && r.chance(0.97),
  };
};

export const reportsSection = async (
  sys: System,
  opts: { small: number; large: number; requests: number; million: number },
): Promise<SectionResult> => {
  const manager = await sys.staffToken([], "manager");
  const year = { from: new Date("2026-01-01T00:00:00Z"), to: new Date("2027-01-01T00:00:00Z") };
  const facts: ReportFacts[] = [];
  let cellsWritten = 0;
  /** Seeds complaints [from, from + count) and writes the aggregates of everything seeded so far. */
  const grow = async (from: number, count: number) => {
    await seed(sys, from, count);
    for (const item of makeComplaints(from, count, 1000 + from))
      facts.push(reportFactsOf(complaintItemSchema.parse(item).complaint as Complaint));
    cellsWritten = await writeCells(sys, year.from, year.to, foldFacts(facts).values());
    progress(`reports: ${facts.length} complaints' aggregates in place (${cellsWritten} cell items written)`);
  };
  const measure = async () => {
    const times: Record<string, number[]> = {};
    for (const [name, path] of REPORTS) {
      times[name] = [];
      for (let i = 0; i < 3; i++) await sys.asStaff(manager, "GET", path);
      for (let i = 0; i < opts.requests; i++) {
        const res = await sys.asStaff(manager, "GET", path);
        if (res.status !== 200)
          throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        times[name]!.push(res.ms);
      }
    }
    return times;
  };

  await grow(0, opts.small);
  const small = await measure();
  await grow(opts.small, opts.large - opts.small);
  const large = await measure();
  const regulatoryReceived = async (period: string) =>
    Number((await sys.asStaff(manager, "GET", `/reports/regulatory?period=${period}`)).body?.total?.received);
  const receivedQ2 = await regulatoryReceived("2026-Q2");

  // A million complaints' worth of aggregates over 2025-Q3 (Beijing time): folded in memory by the domain's
  // own vector and cell code, then written once per cell item (the cells the quarter reads: every day cell
  // of July to September and the quarter-hours of the two part-days).
  const q = { from: Date.parse("2025-06-30T16:00:00Z"), to: Date.parse("2025-09-30T16:00:00Z") };
  const edgeDays = new Set(["2025-06-30", "2025-09-30"]);
  const r = rng(42);
  const million = new Map<string, { item: CellItem; vector: Vector }>();
  const foldStart = performance.now();
  for (let n = 0; n < opts.million; n++) {
    const f = randomFacts(r, q.from, q.to);
    const v = vectorOf(f);
    for (const item of cellItemsOf(f)) {
      if (item.cell.grain === "slot" && !edgeDays.has(item.cell.day)) continue;
      const k = cellItemKey(item);
      const entry = million.get(k) ?? { item, vector: {} };
      addInto(entry.vector, v);
      million.set(k, entry);
    }
    if (n % 200_000 === 0 && n > 0) progress(`reports: folded ${n} facts`);
  }
  const foldSeconds = (performance.now() - foldStart) / 1000;
  const writeStart = performance.now();
  const millionItems = await writeCells(
    sys,
    new Date("2025-06-30T00:00:00Z"),
    new Date("2025-10-01T00:00:00Z"),
    million.values(),
  );
  const writeSeconds = (performance.now() - writeStart) / 1000;
  progress(`reports: ${opts.million} complaints' aggregates as ${millionItems} cell items`);
  const millionTimes: number[] = [];
  for (let i = 0; i < 2; i++) await sys.asStaff(manager, "GET", "/reports/regulatory?period=2025-Q3");
  for (let i = 0; i < Math.max(5, Math.floor(opts.requests / 2)); i++) {
    const res = await sys.asStaff(manager, "GET", "/reports/regulatory?period=2025-Q3");
    if (res.status !== 200) throw new Error(`1M quarter: ${res.status}`);
    millionTimes.push(res.ms);
  }
  const millionReceived = await regulatoryReceived("2025-Q3");

  // The consumer's write cost per change: a seeded complaint's lifecycle (received, resolved, closed),
  // each change one transaction of the contribution item and every cell item its delta touches, sized as
  // those items now stand (at 50k).
  const sample = complaintItemSchema.parse(makeComplaints(opts.large + 1, 1, 7)[0]).complaint as Complaint;
  const received: Complaint = { ...sample, status: "in_progress" };
  delete (received as Partial<Complaint>).resolution;
  delete (received as Partial<Complaint>).closedAt;
  const resolvedAt = received.sla.firstResponseBy;
  const resolved: Complaint = {
    ...received,
    status: "awaiting_feedback",
    resolution: {
      outcome: "upheld",
      summary: "Refunded",
      resolvedBy: "bench",
      resolvedAt,
      rootCause: "process",
    },
  };
  const closed: Complaint = { ...resolved, status: "closed", closedAt: received.sla.resolveBy };
  const steps: [string, Complaint | undefined, Complaint][] = [
    ["received", undefined, received],
    ["claimed, noted (no figure changes)", received, received],
    ["resolved", received, resolved],
    ["closed", resolved, closed],
  ];
  const cost: (string | number)[][] = [];
  for (const [label, before, after] of steps) {
    const deltas = contributionDelta(before && reportFactsOf(before), reportFactsOf(after));
    if (deltas.length === 0 && before) {
      cost.push([label, 0, 0, "1 GetItem (the contribution, to compare)"]);
      continue;
    }
    const sizes: number[] = [
      itemBytes({ pk: "COMPLAINT#01K", sk: "REPORTS", seq: 9, facts: reportFactsOf(after) }),
    ];
    for (const { item, delta } of deltas) {
      const key =
        item.cell.grain === "slot"
          ? { pk: `REPORTS#SLOT#${item.cell.day}`, sk: `${item.axis}#${item.cell.slot}#${item.value}` }
          : { pk: `REPORTS#DAY#${item.cell.month}`, sk: `${item.axis}#${item.cell.day}#${item.value}` };
      const stored = (await sys.db.send(new GetCommand({ TableName: sys.stack.tableName, Key: key }))).Item;
      sizes.push(Math.max(itemBytes(stored ?? key), itemBytes({ ...key, ...delta })));
    }
    cost.push([label, sizes.length, transactionalWcu(sizes), "1 GetItem + 1 TransactWriteItems"]);
  }
  const perLifecycle = cost.reduce((s, c) => s + Number(c[2]), 0);

  const p50 = (xs: number[] | undefined) => percentile(xs ?? [], 50);
  const rows = REPORTS.map(([name, path]) => [
    `GET ${path}`,
    fmt(p50(small[name])),
    fmt(p50(large[name])),
    fmt(p50(large[name]) / p50(small[name])),
  ]);
  const worst = Math.max(...REPORTS.map(([name]) => p50(large[name]) / p50(small[name])));
  const millionP50 = p50(millionTimes);
  return {
    id: "reports",
    title: `Reports from aggregates: ${opts.small} vs ${opts.large} stored, and ${opts.million} complaints' worth`,
    figures: [
      ...REPORTS.map(([name]) => ({
        metric: `${name} p50 at ${opts.large / 1000}k / at ${opts.small / 1000}k`,
        value: `${fmt(p50(large[name]))} / ${fmt(p50(small[name]))} ms`,
        target: "<= 1.5x",
        ratio: `${fmt(p50(large[name]) / p50(small[name]))}x`,
        verdict: verdict(p50(large[name]) / p50(small[name]) <= 1.5),
      })),
      {
        metric: `regulatory quarter p50 over ${opts.million / 1e6}M complaints' aggregates`,
        value: `${fmt(millionP50)} ms`,
        target: "< 1000 ms",
        ratio: `${fmt(millionP50)} ms`,
        verdict: verdict(millionP50 < 1000),
      },
      {
        metric: "stream consumer: write request units per lifecycle (received, resolved, closed)",
        value: `${perLifecycle} WRU`,
        verdict: "INFO",
      },
    ],
    details: [
      mdTable(["report", `p50 @${opts.small} (ms)`, `p50 @${opts.large} (ms)`, "ratio"], rows),
      `Aggregates written through the consumer's own code (reportFactsOf -> foldFacts) for every seeded complaint, ` +
        `${cellsWritten} cell items at ${opts.large}; ${opts.requests} requests per report per phase. 2026-Q2 holds ${receivedQ2} of the ${opts.large} complaints. ` +
        `Worst ratio ${fmt(worst)}x: a report reads one query per (month or part-day) x axis, and the items in it grow with the distinct axis values a day holds — bounded by the vocabularies, not by the complaints.`,
      `**${opts.million} complaints** (2025-Q3, facts drawn at random over the vocabularies, ${millionReceived} counted back by the report): folded in ${fmt(foldSeconds, 1)} s by vectorOf/cellItemsOf/addInto into ${millionItems} cell items, written in ${fmt(writeSeconds, 1)} s; ` +
        `GET /reports/regulatory?period=2025-Q3 p50 ${fmt(millionP50)} ms, p90 ${fmt(percentile(millionTimes, 90))} ms over ${millionTimes.length} requests.`,
      mdTable(["change", "items in its transaction", "write request units", "reads"], cost),
      `Write request units: a transactional write costs 2 per KB of each item, rounded up per item (DynamoDB pricing); sizes are the items as they stand at ${opts.large} stored (a day cell's total carries its histograms). ` +
        `A change that moves no figure (a claim, a note) writes nothing. The analytics projection adds one S3 PUT per change, no DynamoDB writes.`,
    ],
    data: { small, large, millionTimes, perLifecycle, cost, millionItems, foldSeconds, writeSeconds },
  };
};
