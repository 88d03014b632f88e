import { describe, expect, it } from "vitest";
import {
  buildRegulatoryReport,
  buildSlaReport,
  periodRange,
  RegulatoryTally,
  regulatoryCsv,
  regulatoryReportQuerySchema,
  slaFigures,
  slaReportQuerySchema,
} from "../../functions/app/reports";
import type { Complaint } from "../../functions/domain/complaint";
import { transition } from "../../functions/domain/lifecycle";
import { agent, ctxAt, newComplaint, system } from "./domain/fixtures";

const customer = { kind: "channel" as const, channel: "mobile_app" as const };
const T = (local: string) => `2026-12-${local}+08:00`;
const resolution = { outcome: "upheld" as const, summary: "Refunded" };

/** Applies commands through the real lifecycle. */
const play = (c: Complaint, steps: [string, Parameters<typeof transition>[1]][]): Complaint =>
  steps.reduce((acc, [at, cmd]) => transition(acc, cmd, ctxAt(new Date(at).toISOString())).complaint, c);

const started = (overrides: Parameters<typeof newComplaint>[0] = {}, id = "A") =>
  play({ ...newComplaint(overrides), id }, [[T("01T10:00:00"), { type: "start_handling", actor: system }]]);

// Received Tuesday 1 Dec 10:00 (Shanghai). P3 mass retail: resolve within 10 business days.
const quick = play(started({}, "quick"), [[T("01T15:30:00"), { type: "resolve", actor: agent, resolution }]]);
const slow = play(started({}, "slow"), [
  [T("01T11:00:00"), { type: "request_info", actor: agent, question: "Which card?" }],
  [T("01T14:30:00"), { type: "customer_reply", actor: customer, message: "Gold" }],
  [T("01T16:30:00"), { type: "resolve", actor: agent, resolution }],
  [T("02T10:00:00"), { type: "feedback", actor: customer, satisfaction: 2, accept: false }],
  [T("02T11:00:00"), { type: "resolve", actor: agent, resolution }],
]);
const late: Complaint = {
  ...play(started({ customer: { id: "C-2", segment: "wealth" } }, "late"), [
    [T("01T12:00:00"), { type: "resolve", actor: agent, resolution }],
  ]),
  // Resolved after its internal target, having breached it and its statutory deadline.
  slaPhase: "breached",
  tier: 1,
  statutoryBreaches: ["CN_15_DAYS"],
};
late.sla = {
  ...late.sla,
  resolveBy: T("01T11:00:00"),
  statutory: [{ ...late.sla.statutory[0]!, dueBy: T("01T11:30:00") }],
};
const open = started(
  { businessType: "payments", cause: "system_failure", branch: 'Shanghai "Bund", No.1' },
  "open",
);

describe("slaFigures", () => {
  it("counts, attainment, percentiles of each complaint's last cycle, breaches, escalations, reopens, satisfaction", () => {
    const f = slaFigures([quick, slow, late, open]);
    expect(f).toMatchObject({
      received: 4,
      open: 1,
      resolved: 3,
      resolvedWithinSla: 2,
      attainmentPct: 66.7,
      slaBreaches: 1,
      statutoryBreaches: 1,
      escalated: 2, // the late one (tier 1) and the reopened one (a reopen goes one tier up)
      reopens: 1,
      satisfaction: { average: 2, responses: 1 },
    });
    // quick: 10:00-15:30 = 240 business minutes; slow (cycle 2): 60; late: 10:00-12:00 = 120.
    expect(f.resolutionBusinessMinutes).toEqual({ p50: 120, p90: 240 });
    expect(f.resolutionCalendarMinutes).toEqual({ p50: 120, p90: 330 });
  });

  it("has no attainment or percentiles when nothing is resolved", () => {
    expect(slaFigures([open])).toMatchObject({
      attainmentPct: null,
      resolutionBusinessMinutes: { p50: null, p90: null },
      satisfaction: { average: null, responses: 0 },
    });
  });
});

describe("buildSlaReport", () => {
  it("groups by the requested axis, in order, with totals", () => {
    const query = slaReportQuerySchema.parse({ from: "2026-12-01", to: "2026-12-31", groupBy: "segment" });
    const report = buildSlaReport([quick, slow, late, open], query);
    expect(report.total.received).toBe(4);
    expect(report.groups.map((g) => [g.segment, g.received, g.attainmentPct])).toEqual([
      ["mass_retail", 3, 100],
      ["wealth", 1, 0],
    ]);
  });

  it("reads bare dates as midnights in the query's time zone, daylight saving included", () => {
    const range = (from: string, to: string, timeZone?: string) => {
      const q = slaReportQuerySchema.parse({ from, to, ...(timeZone ? { timeZone } : {}) });
      return [q.from.toISOString(), q.to.toISOString()];
    };
    expect(range("2026-12-01", "2026-12-02")).toEqual([
      "2026-12-01T00:00:00.000Z",
      "2026-12-02T00:00:00.000Z",
    ]);
    expect(range("2026-12-01", "2026-12-02", "Asia/Shanghai")).toEqual([
      "2026-11-30T16:00:00.000Z",
      "2026-12-01T16:00:00.000Z",
    ]);
    // London's clocks go forward on 29 March 2026: the day before is GMT, the day after BST.
    expect(range("2026-03-28", "2026-03-30", "Europe/London")).toEqual([
      "2026-03-28T00:00:00.000Z",
      "2026-03-29T23:00:00.000Z",
    ]);
    // An instant with an offset is taken as it is, whatever the zone.
    expect(range("2026-12-01T08:00:00+08:00", "2026-12-02", "Asia/Shanghai")[0]).toBe(
      "2026-12-01T00:00:00.000Z",
    );
    expect(
      slaReportQuerySchema.safeParse({ from: "2026-12-01", to: "2026-12-02", timeZone: "Mars/Olympus" }).error
        ?.issues[0]?.path,
    ).toEqual(["timeZone"]);
    expect(
      slaReportQuerySchema.safeParse({ from: "2026-01-01", to: "2027-01-03", timeZone: "Asia/Shanghai" })
        .error?.issues[0]?.message,
    ).toContain("366 days");
  });

  it("validates the query with field paths", () => {
    expect(
      slaReportQuerySchema.safeParse({ from: "2026-12-31", to: "2026-12-01" }).error?.issues[0]?.path,
    ).toEqual(["to"]);
    expect(slaReportQuerySchema.safeParse({ from: "yesterday", to: "2026-12-01" }).success).toBe(false);
    expect(
      slaReportQuerySchema.safeParse({ from: "2026-01-01", to: "2026-12-01", groupBy: "assignee" }).error
        ?.issues[0]?.path,
    ).toEqual(["groupBy"]);
    expect(slaReportQuerySchema.parse({ from: "2026-12-01T08:00:00+08:00", to: "2026-12-02" }).groupBy).toBe(
      "team",
    );
  });
});

describe("regulatory report", () => {
  it("covers a quarter or a month on Beijing time", () => {
    expect(periodRange("2026-Q3")).toEqual({
      from: new Date("2026-06-30T16:00:00.000Z"),
      to: new Date("2026-09-30T16:00:00.000Z"),
    });
    expect(periodRange("2026-12").to).toEqual(new Date("2026-12-31T16:00:00.000Z"));
    expect(regulatoryReportQuerySchema.safeParse({ period: "2026-Q5" }).error?.issues[0]?.path).toEqual([
      "period",
    ]);
    expect(regulatoryReportQuerySchema.parse({ period: "2026-Q4" }).format).toBe("json");
  });

  const now = new Date(T("10T12:00:00"));
  const report = buildRegulatoryReport([quick, slow, late, open], "2026-Q4", now);

  it("counts received, resolved, within statutory time and overdue, in total and by each axis", () => {
    expect(report.total).toEqual({ received: 4, resolved: 3, resolvedWithinStatutoryTime: 2, overdue: 1 });
    const row = (axis: string, code: string) => report.rows.find((r) => r.axis === axis && r.code === code);
    expect(row("channel", "A010303")).toMatchObject({ label: "电子渠道-移动客户端", received: 4 });
    expect(row("businessType", "B03")).toMatchObject({
      label: "银行卡类",
      received: 3,
      resolved: 3,
      overdue: 1,
    });
    expect(row("businessType", "B04")).toMatchObject({ label: "支付结算类", received: 1, resolved: 0 });
    expect(row("cause", "C02")).toMatchObject({ label: "服务设施、设备、业务系统", received: 1 });
    expect(row("segment", "wealth")).toMatchObject({ label: "财富管理", received: 1, overdue: 1 });
    expect(row("branch", "(none)")).toMatchObject({ label: "未指定", received: 3 });
    // Every axis adds up to the total.
    for (const axis of ["channel", "businessType", "cause", "segment", "branch"]) {
      expect(report.rows.filter((r) => r.axis === axis).reduce((n, r) => n + r.received, 0)).toBe(4);
    }
  });

  it("is a fold: any order, any split into pages, gives the same report", () => {
    const whole = buildRegulatoryReport([quick, slow, late, open], "2026-Q4", now);
    const tally = new RegulatoryTally(now);
    for (const page of [[open], [late, quick], [slow]]) for (const c of page) tally.add(c);
    expect(tally.report("2026-Q4")).toEqual(whole);
    expect(whole.total.received).toBe(4);
  });

  it("counts an open complaint past its statutory deadline as overdue", () => {
    const stale = {
      ...open,
      sla: { ...open.sla, statutory: [{ ...open.sla.statutory[0]!, dueBy: T("09T17:30:00") }] },
    };
    expect(buildRegulatoryReport([stale], "2026-Q4", now).total.overdue).toBe(1);
  });

  it("measures a GB complaint against the eight weeks, not the three-day summary-resolution window", () => {
    // Received Tue 1 Dec; resolved Fri 18 Dec: past the summary window (Fri 4 Dec), well inside eight weeks.
    const gb = play(started({ jurisdiction: "GB", businessType: "loans" }, "gb"), [
      ["2026-12-18T12:00:00Z", { type: "resolve", actor: agent, resolution }],
    ]);
    expect(gb.sla.statutory.map((s) => s.rule)).toEqual(["gb_summary_resolution", "gb_final_response"]);
    expect(buildRegulatoryReport([gb], "2026-Q4", now).total).toMatchObject({
      resolved: 1,
      resolvedWithinStatutoryTime: 1,
      overdue: 0,
    });
  });

  it("writes CSV a spreadsheet opens cleanly: BOM, CRLF, RFC 4180 quoting, Chinese labels beside codes", () => {
    const csv = regulatoryCsv(report);
    expect(csv.startsWith("\uFEFFaxis,维度,code,名称,received 受理数,")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[1]).toBe("total,合计,2026-Q4,全部,4,3,2,1");
    expect(lines).toContain("businessType,业务类型(B),B03,银行卡类,3,3,2,1");
    expect(lines).toContain("cause,投诉原因(C),C03,管理制度、业务规则与流程(收费定价),3,3,2,1");
    expect(lines).toContain('branch,机构网点,"Shanghai ""Bund"", No.1","Shanghai ""Bund"", No.1",1,0,0,0');
    expect(csv.includes("\n") && !/[^\r]\n/.test(csv)).toBe(true);
  });

  it("defuses spreadsheet formulas in free-text fields", () => {
    const evil = { ...open, branch: '=HYPERLINK("http://x")' };
    const csv = regulatoryCsv(buildRegulatoryReport([evil], "2026-Q4", now));
    expect(csv).toContain(`branch,机构网点,"'=HYPERLINK(""http://x"")"`);
  });
});
