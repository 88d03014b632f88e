import { BUSINESS_TYPES, type BusinessType, CAUSES, type Cause, jrt0169 } from "../domain/codes";
import { DomainError } from "../domain/errors";
import {
  FCA_PRODUCT_GROUPS,
  FCA_PRODUCT_MAPPING,
  type FcaProductGroup,
  fcaGroupOf,
} from "../domain/fca-return";
import { addInto, count, KEYED, type MergedCells, NO_VALUE, type Vector } from "../domain/report-aggregates";
import * as z from "../domain/zod";
import type { ReportDependencies } from "./dependencies";
import { csvField } from "./reports";
import { assertManager, type StaffIdentity } from "./staff-actions";

/*
 * The regulators' periodic returns, from the report aggregates (cells by `receivedAt`):
 * - GB: the FCA complaints return (DISP 1.10.1R, twice a year, in the format of DISP 1 Annex 1R);
 * - CN: the annual public disclosure of complaint handling (银行业保险业消费投诉处理管理办法, CBIRC Order
 *   2020 No. 3: volume, business categories and regional distribution — the article number is not
 *   cited here because we could not read it in the official text: unverified, see docs/reports.md).
 */

const HOUR = 3_600_000;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** The period has not started yet: nothing can be filed for it. */
const periodInFuture = (field: string, value: string) =>
  new DomainError("unprocessable", "PERIOD_IN_FUTURE", `The ${field} ${value} has not started yet`, [
    { path: `query.${field}`, message: "must not be in the future" },
  ]);

// ---------------------------------------------------------------------------------------------------------
// GB: the FCA return.

/** `GET /reports/fca-return` query: a half-year (`2026-H2`), JSON or CSV. */
export const fcaReturnQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    period: z.string().check(z.regex(/^\d{4}-H[12]$/, "must be a half-year such as 2026-H2")),
    format: z._default(z.enum(["csv", "json"]), "json"),
  }))();
export type FcaReturnQuery = z.infer<typeof fcaReturnQuerySchema>;

/**
 * The instants of a half-year on UK time: January-June or July-December, from local midnight (GMT in
 * January, BST in July). A firm's own reporting periods follow its accounting reference date (DISP
 * 1.10.5R); calendar halves are this system's assumption (docs/reports.md).
 */
export const halfYearRange = (period: string): { from: Date; to: Date } => {
  const year = Number(period.slice(0, 4));
  const second = period.endsWith("H2");
  // 1 January is GMT (UTC+0); 1 July is BST (UTC+1).
  const from = second ? new Date(Date.UTC(year, 6, 1) - HOUR) : new Date(Date.UTC(year, 0, 1));
  const to = second ? new Date(Date.UTC(year + 1, 0, 1)) : new Date(Date.UTC(year, 6, 1) - HOUR);
  return { from, to };
};

/** One line of the FCA return: the schema is the type (the builder below must fill every field). */
const fcaFiguresSchema = /* @__PURE__ */ (() =>
  z.object({
    opened: z.int(),
    closed: z.int(),
    closedWithin3BusinessDays: z.int(),
    closedWithin8Weeks: z.int(),
    upheld: z.int(),
    partiallyUpheld: z.int(),
    upheldPct: z
      .nullable(z.number())
      .check(z.describe("upheld wholly or in part, as a % of closed (null when nothing was closed)")),
    redress: z
      .record(z.string(), z.number())
      .check(z.describe("redress paid (the resolutions' remedies), by currency")),
  }))();

export type FcaFigures = z.infer<typeof fcaFiguresSchema>;

const fcaFiguresOf = (v: Vector): FcaFigures => {
  const closed = count(v, "resolved");
  const upheld = count(v, "upheld");
  const partly = count(v, "partiallyUpheld");
  const redress: Record<string, number> = {};
  for (const [k, n] of Object.entries(v))
    if (k.startsWith(KEYED.redress) && n !== 0) redress[k.slice(KEYED.redress.length)] = n;
  return {
    opened: count(v, "received"),
    closed,
    closedWithin3BusinessDays: count(v, "resolvedWithin3BusinessDays"),
    closedWithin8Weeks: count(v, "resolvedWithin8Weeks"),
    upheld,
    partiallyUpheld: partly,
    upheldPct: closed ? round1((100 * (upheld + partly)) / closed) : null,
    redress,
  };
};

/** The `product` axis values of a jurisdiction, split back into business type and cause. */
const productsOf = (cells: MergedCells, jurisdiction: string) =>
  [...(cells.byAxis.get("product") ?? new Map<string, Vector>()).entries()].flatMap(([value, v]) => {
    const [j, businessType, cause] = value.split("|");
    if (j !== jurisdiction || count(v, "received") === 0) return [];
    if (!(BUSINESS_TYPES as readonly string[]).includes(businessType ?? "")) return [];
    if (!(CAUSES as readonly string[]).includes(cause ?? "")) return [];
    return [{ businessType: businessType as BusinessType, cause: cause as Cause, vector: v }];
  });

/** The FCA return from merged cells (pure): GB complaints received in the half-year, by product grouping. */
export const fcaReturnFromCells = (cells: MergedCells, period: string, now: Date) => {
  const { from, to } = halfYearRange(period);
  const groups = new Map<FcaProductGroup, Vector>();
  const total: Vector = {};
  for (const p of productsOf(cells, "GB")) {
    const group = fcaGroupOf(p.businessType, p.cause);
    groups.set(group, addInto(groups.get(group) ?? {}, p.vector));
    addInto(total, p.vector);
  }
  return {
    period,
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: now.toISOString(),
    lastChangedAt: cells.lastChangedAt,
    jurisdiction: "GB",
    basis: "complaints received in the period (their figures as of now)",
    mapping: FCA_PRODUCT_MAPPING.source,
    total: fcaFiguresOf(total),
    groups: (Object.keys(FCA_PRODUCT_GROUPS) as FcaProductGroup[]).map((group) => ({
      group,
      label: FCA_PRODUCT_GROUPS[group],
      ...fcaFiguresOf(groups.get(group) ?? {}),
    })),
  };
};
export type FcaReturn = ReturnType<typeof fcaReturnFromCells>;

const FCA_CSV_HEADER = [
  "group",
  "label",
  "opened",
  "closed",
  "closed_within_3_business_days",
  "closed_within_8_weeks",
  "upheld",
  "partially_upheld",
  "upheld_pct",
  "redress",
];

const redressText = (r: Record<string, number>) =>
  Object.entries(r)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => `${currency} ${amount.toFixed(2)}`)
    .join("; ");

/** The FCA return as CSV (UTF-8, CRLF rows; redress as `GBP 120.00; EUR 5.00`). */
export const fcaReturnCsv = (r: FcaReturn): string => {
  const row = (group: string, label: string, f: FcaFigures) => [
    group,
    label,
    f.opened,
    f.closed,
    f.closedWithin3BusinessDays,
    f.closedWithin8Weeks,
    f.upheld,
    f.partiallyUpheld,
    f.upheldPct ?? "",
    redressText(f.redress),
  ];
  const lines = [
    FCA_CSV_HEADER,
    row("total", r.period, r.total),
    ...r.groups.map((g) => row(g.group, g.label, g)),
  ];
  return `${lines.map((l) => l.map(csvField).join(",")).join("\r\n")}\r\n`;
};

/** `GET /reports/fca-return`: managers only; a half-year that has started. */
export const fcaReturn = async (
  input: { staff: StaffIdentity; query: FcaReturnQuery },
  deps: ReportDependencies,
): Promise<{ json: FcaReturn; csv?: string }> => {
  assertManager(input.staff);
  const { from, to } = halfYearRange(input.query.period);
  const now = deps.clock.now();
  if (from.getTime() > now.getTime()) throw periodInFuture("period", input.query.period);
  const cells = await deps.reports.read(from, to, ["product"]);
  const json = fcaReturnFromCells(cells, input.query.period, now);
  return input.query.format === "csv" ? { json, csv: fcaReturnCsv(json) } : { json };
};

// ---------------------------------------------------------------------------------------------------------
// CN: the annual public disclosure.

/** `GET /reports/annual-disclosure` query: a year (`2026`), JSON or CSV. */
export const annualDisclosureQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    year: z.string().check(z.regex(/^\d{4}$/, "must be a year such as 2026")),
    format: z._default(z.enum(["csv", "json"]), "json"),
  }))();
export type AnnualDisclosureQuery = z.infer<typeof annualDisclosureQuerySchema>;

/** A year on Beijing time (UTC+8, no daylight saving), as the regulatory report counts. */
export const beijingYearRange = (year: number) => ({
  from: new Date(Date.UTC(year, 0, 1) - 8 * HOUR),
  to: new Date(Date.UTC(year + 1, 0, 1) - 8 * HOUR),
});

/** The annual disclosure from merged cells (pure): CN complaints received in the year. */
export const annualDisclosureFromCells = (cells: MergedCells, year: number, now: Date) => {
  const { from, to } = beijingYearRange(year);
  const byType = new Map<BusinessType, number>();
  let total = 0;
  for (const p of productsOf(cells, "CN")) {
    const n = count(p.vector, "received");
    byType.set(p.businessType, (byType.get(p.businessType) ?? 0) + n);
    total += n;
  }
  const regions = [...(cells.byAxis.get("region") ?? new Map<string, Vector>()).entries()]
    .filter(([region, v]) => region.startsWith("CN-") && count(v, "received") > 0)
    .map(([region, v]) => ({ region, received: count(v, "received") }))
    .sort((a, b) => b.received - a.received || a.region.localeCompare(b.region));
  const placed = regions.reduce((s, r) => s + r.received, 0);
  const share = (n: number) => (total ? round1((100 * n) / total) : null);
  return {
    year,
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: now.toISOString(),
    lastChangedAt: cells.lastChangedAt,
    jurisdiction: "CN",
    received: total,
    businessCategories: BUSINESS_TYPES.filter((b) => (byType.get(b) ?? 0) > 0).map((b) => ({
      businessType: b,
      code: jrt0169.businessType[b].code,
      label: jrt0169.businessType[b].zh,
      received: byType.get(b) ?? 0,
      sharePct: share(byType.get(b) ?? 0),
    })),
    regions: [
      ...regions.map((r) => ({ ...r, sharePct: share(r.received) })),
      ...(total > placed
        ? [{ region: NO_VALUE, received: total - placed, sharePct: share(total - placed) }]
        : []),
    ],
  };
};
export type AnnualDisclosure = ReturnType<typeof annualDisclosureFromCells>;

/** The disclosure as CSV: UTF-8 with a BOM (the Chinese labels), CRLF rows, one section per table. */
export const annualDisclosureCsv = (d: AnnualDisclosure): string => {
  const lines: (string | number)[][] = [
    ["section 分类", "code 代码", "label 名称", "received 投诉量", "share_pct 占比%"],
    ["total 合计", String(d.year), "全部", d.received, d.received ? 100 : ""],
    ...d.businessCategories.map((b) => ["business 业务类别", b.code, b.label, b.received, b.sharePct ?? ""]),
    ...d.regions.map((r) => [
      "region 地区",
      r.region,
      r.region === NO_VALUE ? "未指定" : r.region,
      r.received,
      r.sharePct ?? "",
    ]),
  ];
  return `\uFEFF${lines.map((l) => l.map(csvField).join(",")).join("\r\n")}\r\n`;
};

/** `GET /reports/annual-disclosure`: managers only; a year that has started (Beijing time). */
export const annualDisclosure = async (
  input: { staff: StaffIdentity; query: AnnualDisclosureQuery },
  deps: ReportDependencies,
): Promise<{ json: AnnualDisclosure; csv?: string }> => {
  assertManager(input.staff);
  const year = Number(input.query.year);
  const { from, to } = beijingYearRange(year);
  const now = deps.clock.now();
  if (from.getTime() > now.getTime()) throw periodInFuture("year", input.query.year);
  const cells = await deps.reports.read(from, to, ["product", "region"]);
  const json = annualDisclosureFromCells(cells, year, now);
  return input.query.format === "csv" ? { json, csv: annualDisclosureCsv(json) } : { json };
};

/** `GET /reports/fca-return` (JSON): the half-year's figures, in total and per DISP 1 Annex 1 grouping. */
export const fcaReturnSchema = /* @__PURE__ */ (() =>
  z.object({
    period: z.string(),
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    lastChangedAt: z.nullable(z.string()),
    jurisdiction: z.string(),
    basis: z.string(),
    mapping: z.string(),
    total: fcaFiguresSchema,
    groups: z.array(z.extend(fcaFiguresSchema, { group: z.string(), label: z.string() })),
  }))();

/** `GET /reports/annual-disclosure` (JSON): the CN year's volume, business categories and regions. */
export const annualDisclosureSchema = /* @__PURE__ */ (() =>
  z.object({
    year: z.int(),
    from: z.string(),
    to: z.string(),
    asOf: z.string(),
    lastChangedAt: z.nullable(z.string()),
    jurisdiction: z.string(),
    received: z.int(),
    businessCategories: z.array(
      z.object({
        businessType: z.string(),
        code: z.string(),
        label: z.string(),
        received: z.int(),
        sharePct: z.nullable(z.number()),
      }),
    ),
    regions: z.array(z.object({ region: z.string(), received: z.int(), sharePct: z.nullable(z.number()) })),
  }))();

// The builders return exactly what the schemas declare, checked both ways: a declared field missing from a
// builder (or of another type) fails to compile, and so does a field a builder returns undeclared.
// (Literal types a builder narrows to, such as its jurisdiction, make the whole reverse check too strict, so
// it compares the field names, at the top and in each row.)
type SameFields<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
type Row<T> = T extends readonly (infer R)[] ? R : never;
type FcaSchema = z.output<typeof fcaReturnSchema>;
type DisclosureSchema = z.output<typeof annualDisclosureSchema>;
true satisfies FcaReturn extends z.input<typeof fcaReturnSchema> ? true : false;
true satisfies SameFields<FcaReturn, FcaSchema>;
true satisfies SameFields<Row<FcaReturn["groups"]>, Row<FcaSchema["groups"]>>;
true satisfies AnnualDisclosure extends z.input<typeof annualDisclosureSchema> ? true : false;
true satisfies SameFields<AnnualDisclosure, DisclosureSchema>;
true satisfies SameFields<
  Row<AnnualDisclosure["businessCategories"]>,
  Row<DisclosureSchema["businessCategories"]>
>;
true satisfies SameFields<Row<AnnualDisclosure["regions"]>, Row<DisclosureSchema["regions"]>>;
