import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, startHarness } from "./harness";

/**
 * A scripted month on the embedded target with known outcomes, checked three ways: the EMF lines the
 * handlers printed (as the local dashboard aggregates them), the reports read from the table, and the
 * figures the script itself implies.
 *
 * 24,000 simulated seconds a second (6 h 40 min) from Tuesday 7 July 2026, 09:00 in Shanghai (a CN working
 * day, Q3):
 * - A (cards, P3): resolved at once, accepted (5).
 * - B (cards, P3): resolved, reopened by the customer (2), resolved again, accepted (4).
 * - C (private banking, P1, 2 business days): left until its internal target passes (Thursday 17:30,
 *   ~8.5 s), which breaches it and escalates it to tier 1; then resolved late, before tier 1's own time box
 *   runs out (Friday 17:30, ~12 s); accepted (3).
 */
const START = new Date("2026-07-07T09:00:00+08:00");
const TIME_SCALE = 24_000;

let h: Harness;
const ids: Record<"a" | "b" | "c", string> = { a: "", b: "", c: "" };
let manager: string;

beforeAll(async () => {
  h = await startHarness({ timeScale: TIME_SCALE, startAt: START });
  manager = await h.staffToken([], "manager", "manager-wang");
  await runScenario(h, ids);
  // Reports read the aggregates the stream keeps: the last changes must have been delivered.
  await h.stack.stream.drained();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

/** Drives the scenario over HTTP, as channel systems and staff would. */
const runScenario = async (h: Harness, out: Record<"a" | "b" | "c", string>) => {
  const agent = await h.staffToken(["cards"], "agent", "agent-li");
  const supervisor = await h.staffToken(["private_banking"], "supervisor", "supervisor-zhao");
  const channelOf = { a: "mobile_app", b: "wechat", c: "phone_centre" } as const;
  const submit = async (which: "a" | "b" | "c", body: unknown) => {
    const res = await h.submit(channelOf[which], body);
    expect(res.status).toBe(201);
    out[which] = res.body.id;
  };
  await submit("c", complaintBody({ customer: { id: "C-PB-1", segment: "private_banking" } }));
  await submit(
    "a",
    complaintBody({ customer: { id: "C-A-1", segment: "mass_retail" }, branch: "SH-PUDONG-001" }),
  );
  await submit("b", complaintBody({ customer: { id: "C-B-1", segment: "mass_retail" } }));

  const view = (id: string, token: string) => h.staff("GET", `/staff/complaints/${id}`, token);
  const until = (id: string, token: string, done: (c: any) => boolean) =>
    h.waitFor(
      () => view(id, token),
      (r) => r.status === 200 && done(r.body),
      20_000,
    );
  const act = (id: string, token: string, body: unknown) =>
    h.waitFor(
      () => h.staff("POST", `/staff/complaints/${id}/actions`, token, body),
      (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
    );
  const resolve = async (id: string, token: string) => {
    const res = await act(id, token, {
      type: "resolve",
      resolution: { outcome: "upheld", summary: "Refunded", rootCause: "process" },
    });
    expect(res.status).toBe(200);
  };
  const feedback = async (which: "a" | "b" | "c", satisfaction: number, outcome: "accept" | "reopen") => {
    const res = await h.waitFor(
      () =>
        h.request("POST", `/complaints/${out[which]}/feedback`, {
          headers: { "x-api-key": h.apiKey(channelOf[which]) },
          body: { satisfaction, outcome },
        }),
      (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
    );
    expect(res.status).toBe(200);
  };

  await until(out.a, agent, (c) => c.status === "in_progress");
  await resolve(out.a, agent);
  await until(out.b, agent, (c) => c.status === "in_progress");
  await resolve(out.b, agent);
  await feedback("a", 5, "accept");
  await feedback("b", 2, "reopen");
  await until(out.b, agent, (c) => c.status === "in_progress" && c.cycle === 2);
  await resolve(out.b, agent);
  await feedback("b", 4, "accept");

  await until(out.c, supervisor, (c) => c.slaPhase === "breached" && c.tier === 1);
  await resolve(out.c, supervisor);
  await feedback("c", 3, "accept");
  for (const which of ["a", "b", "c"] as const) {
    await until(out[which], which === "c" ? supervisor : agent, (c) => c.status === "closed");
  }
};

type Widget = { id: string; series: { id: string; label: string; total: number | null }[] };
const dashboard = async () =>
  (await h.staff("GET", "/dashboard/data.json", await h.managerToken())).body as {
    widgets: Widget[];
    emfLines: number;
  };
const figure = (data: { widgets: Widget[] }, widget: string, series: string) =>
  data.widgets.find((w) => w.id === widget)?.series.find((s) => s.id === series)?.total ?? null;

describe("the scenario's figures, from the EMF lines and from the reports", () => {
  it("EMF-derived dashboard figures match the script", async () => {
    // The last lines (closing the third complaint) may still be on their way through stdout.
    const data = await h.waitFor(dashboard, (d) => figure(d, "arrivals", "closed") === 3);
    expect(data.emfLines).toBeGreaterThan(0);
    const headline = (id: string) => figure(data, "headline", id);
    expect(headline("received")).toBe(3);
    // Resolutions are counted per cycle: A, B twice, C.
    expect(headline("resolved")).toBe(4);
    expect(headline("attainment")).toBe(75);
    expect(headline("breached")).toBe(1);
    expect(headline("statutory")).toBeNull();
    expect(headline("attention")).toBeNull();
    // Every response counts: 5, 2, 4, 3.
    expect(headline("satisfaction")).toBe(3.5);
    expect(figure(data, "reopenRate", "reopenRate")).toBe(25);
    expect(figure(data, "arrivals", "backlog")).toBe(0);
    expect(figure(data, "breachesByTeam", "breached_private_banking")).toBe(1);
    expect(figure(data, "breachesByTeam", "escalated_private_banking")).toBe(1);
    expect(figure(data, "breachesByTeam", "breached_cards")).toBeNull();
  });

  it("the SLA report counts the same complaints, by team", async () => {
    const res = await h.staff("GET", "/reports/sla?from=2026-07-01&to=2026-08-01&groupBy=team", manager);
    expect(res.status).toBe(200);
    expect(res.body.total).toMatchObject({
      received: 3,
      open: 0,
      resolved: 3,
      resolvedWithinSla: 2,
      attainmentPct: 66.7,
      slaBreaches: 1,
      statutoryBreaches: 0,
      escalated: 2, // C by its breach, B by its reopen (one tier up)
      reopens: 1,
      needsAttention: 0,
      satisfaction: { average: 4, responses: 3 }, // the final score of each complaint
    });
    expect(
      res.body.groups.map((g: any) => [g.team, g.received, g.attainmentPct, g.slaBreaches, g.reopens]),
    ).toEqual([
      ["cards", 2, 100, 0, 1],
      ["private_banking", 1, 0, 1, 0],
    ]);
  });

  it("the report's resolution times are the EMF's, computed the same way", async () => {
    const report = await h.staff(
      "GET",
      "/reports/sla?from=2026-07-01&to=2026-08-01&groupBy=priority",
      manager,
    );
    const p1 = report.body.groups.find((g: any) => g.priority === "P1");
    const data = await dashboard();
    // C is the only P1 complaint and had one cycle: both sides hold exactly its time.
    expect(p1.resolutionBusinessMinutes.p50).toBeGreaterThan(0);
    expect(figure(data, "resolutionByPriority", "p50_Priority_P1")).toBe(p1.resolutionBusinessMinutes.p50);
    expect(figure(data, "resolutionByPriority", "p90_Priority_P1")).toBe(p1.resolutionBusinessMinutes.p90);
    // C's target was two business days (2 x 7 h) and it was resolved after breaching it.
    expect(p1.resolutionBusinessMinutes.p50).toBeGreaterThanOrEqual(2 * 420);
    expect(p1.resolutionCalendarMinutes.p50).toBeGreaterThan(p1.resolutionBusinessMinutes.p50);
  });

  it("the regulatory report files the quarter by JR/T 0169 axes, as JSON and as CSV", async () => {
    const json = await h.staff("GET", "/reports/regulatory?period=2026-Q3&format=json", manager);
    expect(json.status).toBe(200);
    expect(json.body.total).toEqual({ received: 3, resolved: 3, resolvedWithinStatutoryTime: 3, overdue: 0 });
    const rows = json.body.rows
      .filter((r: any) => r.axis === "channel")
      .map((r: any) => [r.code, r.label, r.received]);
    expect(rows).toEqual([
      ["A010302", "电子渠道-电话银行", 1],
      ["A010303", "电子渠道-移动客户端", 1],
      ["A010304", "电子渠道-网络公众平台", 1],
    ]);

    const csv = await fetch(`${h.url}/reports/regulatory?period=2026-Q3&format=csv`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toContain("\r\ntotal,合计,2026-Q3,全部,3,3,3,0\r\n");
    expect(text).toContain("\r\nbusinessType,业务类型(B),B03,银行卡类,3,3,3,0\r\n");
    expect(text).toContain("\r\nbranch,机构网点,SH-PUDONG-001,SH-PUDONG-001,1,1,1,0\r\n");
  });

  it("reads bare dates as midnights in the time zone asked for (UTC when none)", async () => {
    // The receipts are near 09:00 Shanghai on 7 July (01:00 UTC, 18:00 on 6 July in Los Angeles); on a
    // loaded machine the scaled clock may have moved on by a few simulated hours, so the expected counts
    // come from the stored receipt times, and the boundaries are checked exactly.
    const receipts = await Promise.all(
      Object.values(ids).map(async (id) => {
        const res = await h.staff("GET", `/staff/complaints/${id}`, manager);
        return Date.parse(res.body.receivedAt);
      }),
    );
    const report = async (query: string) => {
      const res = await h.staff("GET", `/reports/sla?${query}`, manager);
      expect(res.status).toBe(200);
      const inside = receipts.filter((t) => t >= Date.parse(res.body.from) && t < Date.parse(res.body.to));
      expect(res.body.total.received, query).toBe(inside.length);
      return [res.body.from, res.body.to];
    };
    expect(await report("from=2026-07-07&to=2026-07-08&timeZone=Asia/Shanghai")).toEqual([
      "2026-07-06T16:00:00.000Z",
      "2026-07-07T16:00:00.000Z",
    ]);
    expect(await report("from=2026-07-07&to=2026-07-08")).toEqual([
      "2026-07-07T00:00:00.000Z",
      "2026-07-08T00:00:00.000Z",
    ]);
    expect(await report("from=2026-07-06&to=2026-07-08&timeZone=America/Los_Angeles")).toEqual([
      "2026-07-06T07:00:00.000Z",
      "2026-07-08T07:00:00.000Z",
    ]);
    expect(await report("from=2026-07-08&to=2026-07-09&timeZone=America/Los_Angeles")).toEqual([
      "2026-07-08T07:00:00.000Z",
      "2026-07-09T07:00:00.000Z",
    ]);
    const roots = await h.staff(
      "GET",
      "/reports/root-causes?from=2026-07-07&to=2026-07-08&timeZone=Asia/Shanghai",
      manager,
    );
    expect(roots.status).toBe(200);
    expect(roots.body.from).toBe("2026-07-06T16:00:00.000Z");
    const bad = await h.staff(
      "GET",
      "/reports/sla?from=2026-07-07&to=2026-07-08&timeZone=Mars/Olympus",
      manager,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: "query.timeZone", message: expect.any(String) }]);
  });

  it("is for managers only, and names the bad query field", async () => {
    const agent = await h.staffToken(["cards"], "agent");
    const denied = await h.staff("GET", "/reports/sla?from=2026-07-01&to=2026-08-01", agent);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("FORBIDDEN_ROLE");
    const bad = await h.staff("GET", "/reports/regulatory?period=2026-Q5", manager);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(bad.body.error.details).toEqual([{ path: "query.period", message: expect.any(String) }]);
    const other = await h.staff("GET", "/reports/sla?from=2026-08-01&to=2026-07-01", manager);
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].path).toBe("query.to");
  });
});
