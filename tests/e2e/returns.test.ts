import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANALYTICS_COLUMNS, analyticsSql } from "../../functions/domain/analytics";
import { complaintBody, type Harness, startHarness, WORKING_TUESDAY } from "./harness";

/**
 * The regulators' returns from the aggregates, over HTTP on the embedded target: three GB complaints for
 * the FCA return (one per product grouping rule: by business type, and the mis-selling override), three
 * CN complaints for the annual disclosure (two regions and one without). Tuesday 1 December 2026: H2.
 */
let h: Harness;
let manager: string;

beforeAll(async () => {
  h = await startHarness({ timeScale: 60, startAt: WORKING_TUESDAY });
  manager = await h.staffToken([], "manager", "manager-wang");
  const submit = async (body: Record<string, unknown>) => {
    const res = await h.submit("mobile_app", complaintBody(body));
    expect(res.status).toBe(201);
    return { id: res.body.id as string, team: res.body.team as string };
  };
  const resolve = async (c: { id: string; team: string }, resolution: Record<string, unknown>) => {
    const agent = await h.staffToken([c.team], "agent");
    await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${c.id}`, agent),
      (r) => r.status === 200 && r.body.status === "in_progress",
      30_000,
    );
    const res = await h.waitFor(
      () =>
        h.staff("POST", `/staff/complaints/${c.id}/actions`, agent, {
          type: "resolve",
          resolution: { summary: "Answered", rootCause: "process", ...resolution },
        }),
      (r) => r.status !== 409 || !["TASK_BUSY", "COMPLAINT_CHANGED"].includes(r.body.error?.code),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const gbCards = await submit({ jurisdiction: "GB", businessType: "cards" });
  const gbInvest = await submit({
    jurisdiction: "GB",
    businessType: "wealth_management",
    cause: "fees_pricing",
  });
  await submit({ jurisdiction: "GB", businessType: "other", cause: "mis_selling" });
  await submit({
    businessType: "cards",
    region: "CN-SH",
    customer: { id: "C-CN-1", segment: "mass_retail" },
  });
  await submit({
    businessType: "loans",
    region: "CN-BJ",
    customer: { id: "C-CN-2", segment: "mass_retail" },
  });
  await submit({ businessType: "cards", customer: { id: "C-CN-3", segment: "mass_retail" } });
  await resolve(gbCards, { outcome: "upheld", remedy: { amount: "25.00", currency: "GBP" } });
  await resolve(gbInvest, { outcome: "rejected" });
  await h.stack.stream.drained();
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

describe("the FCA complaints return", () => {
  it("counts GB complaints of the half-year per DISP 1 Annex 1 grouping, mapped from the data", async () => {
    const res = await h.staff("GET", "/reports/fca-return?period=2026-H2", manager);
    expect(res.status).toBe(200);
    // H2 on UK time: 1 July 00:00 BST to 1 January 00:00 GMT.
    expect([res.body.from, res.body.to]).toEqual(["2026-06-30T23:00:00.000Z", "2027-01-01T00:00:00.000Z"]);
    expect(res.body.total).toMatchObject({ opened: 3, closed: 2, upheld: 1, upheldPct: 50 });
    const group = (g: string) => res.body.groups.find((x: any) => x.group === g);
    expect(group("banking_credit_cards")).toEqual({
      group: "banking_credit_cards",
      label: "Banking and credit cards",
      opened: 1,
      closed: 1,
      closedWithin3BusinessDays: 1,
      closedWithin8Weeks: 1,
      upheld: 1,
      partiallyUpheld: 0,
      upheldPct: 100,
      redress: { GBP: 25 },
    });
    // Wealth management by its business type, the mis-selling of "other" by the override: investments.
    expect(group("investments")).toMatchObject({ opened: 2, closed: 1, upheld: 0, upheldPct: 0 });
    expect(group("home_finance")).toMatchObject({ opened: 0, closed: 0, upheldPct: null });
    expect(typeof res.body.lastChangedAt).toBe("string");
  });

  it("files as CSV", async () => {
    const csv = await fetch(`${h.url}/reports/fca-return?period=2026-H2&format=csv`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await csv.text();
    expect(text).toContain("\r\nbanking_credit_cards,Banking and credit cards,1,1,1,1,1,0,100,GBP 25.00\r\n");
  });

  it("refuses a half-year that has not started, one that does not parse, and an agent", async () => {
    const future = await h.staff("GET", "/reports/fca-return?period=2027-H1", manager);
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe("PERIOD_IN_FUTURE");
    const bad = await h.staff("GET", "/reports/fca-return?period=2026-H3", manager);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: "query.period", message: expect.any(String) }]);
    const agent = await h.staffToken(["cards"], "agent");
    const denied = await h.staff("GET", "/reports/fca-return?period=2026-H2", agent);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("FORBIDDEN_ROLE");
  });
});

describe("the CN annual disclosure", () => {
  it("gives the year's CN volume, business categories and regional distribution", async () => {
    const res = await h.staff("GET", "/reports/annual-disclosure?year=2026", manager);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe("2025-12-31T16:00:00.000Z");
    expect(res.body.received).toBe(3);
    expect(res.body.businessCategories).toEqual([
      { businessType: "loans", code: "B02", label: "贷款类", received: 1, sharePct: 33.3 },
      { businessType: "cards", code: "B03", label: "银行卡类", received: 2, sharePct: 66.7 },
    ]);
    expect(res.body.regions).toEqual([
      { region: "CN-BJ", received: 1, sharePct: 33.3 },
      { region: "CN-SH", received: 1, sharePct: 33.3 },
      { region: "(none)", received: 1, sharePct: 33.3 },
    ]);
  });

  it("files as CSV with a BOM, and refuses a future year or one that does not parse", async () => {
    const csv = await fetch(`${h.url}/reports/annual-disclosure?year=2026&format=csv`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(csv.status).toBe(200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toContain("\r\nbusiness 业务类别,B03,银行卡类,2,66.7\r\n");
    const future = await h.staff("GET", "/reports/annual-disclosure?year=2027", manager);
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe("PERIOD_IN_FUTURE");
    const bad = await h.staff("GET", "/reports/annual-disclosure?year=26", manager);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("SQL for analysts on the embedded target", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));

  it("projects every change without personal data, and the saved queries run on it with DuckDB", async () => {
    const written = files(h.stack.analyticsDir);
    expect(written.length).toBeGreaterThan(6);
    const text = written.map((f) => readFileSync(f, "utf8")).join("");
    // complaintBody's customer is "Li Lei", +86 138 0013 8000, with a description: none of it is there.
    for (const personal of ["Li Lei", "138 0013", "charged twice", "C-1001", "C-CN-1"])
      expect(text).not.toContain(personal);
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    const glob = join(h.stack.analyticsDir, "complaint_changes", "**", "*.json");
    const columns = ANALYTICS_COLUMNS.map((c) => `'${c.name}': '${c.duckdb}'`).join(", ");
    await connection.run(
      `CREATE VIEW complaint_changes AS SELECT * FROM read_json('${glob}', format = 'newline_delimited', columns = {${columns}}, hive_partitioning = true)`,
    );
    const rows = (await connection.runAndReadAll(analyticsSql("volume_by_cause"))).getRowObjectsJson();
    // Six complaints, each counted once however many changes it had.
    expect(rows.reduce((n, r) => n + Number(r.complaints), 0)).toBe(6);
    expect(rows).toContainEqual({
      cause: "mis_selling",
      business_type: "other",
      complaints: "1",
      resolved: "0",
    });
    const times = (
      await connection.runAndReadAll(analyticsSql("time_to_resolve_by_segment"))
    ).getRowObjectsJson();
    expect(times.map((r) => [r.segment, r.resolved])).toEqual([["mass_retail", "2"]]);
  });
});
