import { describe, expect, it } from "vitest";
import type * as z from "zod/mini";
import { customerHistoryQuerySchema } from "../../../functions/app/customer-history";
import { slaReportQuerySchema } from "../../../functions/app/reports";
import { rootCauseReportQuerySchema } from "../../../functions/app/root-causes";
import {
  customerReplySchema,
  queueQuerySchema,
  resolutionSchema,
  staffActionSchema,
} from "../../../functions/domain/schemas";
import { validationDetails } from "../../../functions/http/errors";

// What the edge refuses in the fields themselves: characters that hide or reorder text, implausible
// dates, and numbers in query strings that only Number() would read.

const detailsOf = (schema: z.ZodMiniType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : validationDetails(result.error);
};

describe("free text refuses characters that hide or reorder what it says", () => {
  it.each([
    ["a right-to-left override", "pay \u202Eevil\u202C now", /bidirectional/],
    ["a left-to-right embedding", "a\u202Ab", /bidirectional/],
    ["a first-strong isolate", "a\u2068b\u2069", /bidirectional/],
    ["a zero-width space", "Li\u200BLei", /zero-width/],
    ["a byte order mark inside", "Li\uFEFFLei", /zero-width/],
    ["the replacement character", "caf\uFFFD", /U\+FFFD/],
    ["a C1 control", "a\u0085b", /control characters/],
    ["a C1 control at the end of the range", "a\u009Fb", /control characters/],
    ["a C0 control", "a\u0007b", /control characters/],
  ])("refuses %s, at the field's path", (_, message, why) => {
    const details = detailsOf(customerReplySchema, { message });
    expect(details).toHaveLength(1);
    expect(details[0]?.path).toBe("message");
    expect(details[0]?.message).toMatch(why);
  });

  it.each([
    ["a family emoji (joined by U+200D)", "👩\u200D👩\u200D👧\u200D👦 thanks"],
    ["a rainbow flag", "🏳️\u200D🌈"],
    ["a Persian word with a zero-width non-joiner", "می\u200Cخواهم"],
    ["Arabic with a right-to-left mark", "مرحبا\u200F"],
    ["Chinese and line breaks", "年费被扣了两次。\n请退款。"],
    ["a NO-BREAK SPACE (U+00A0, above the C1 range)", "100\u00A0CNY"],
  ])("accepts %s", (_, message) => {
    expect(detailsOf(customerReplySchema, { message })).toEqual([]);
  });

  it("applies to nested text fields too, naming the whole path", () => {
    const action = {
      type: "resolve",
      resolution: { outcome: "upheld", summary: "Refunded\u202E", rootCause: "process" },
    };
    expect(detailsOf(staffActionSchema, action).map((d) => d.path)).toEqual(["resolution.summary"]);
  });
});

describe("dates are plausible (1900-2100) wherever a request carries one", () => {
  const resolution = (dueBy: string) => ({
    outcome: "upheld",
    summary: "Fixed",
    rootCause: "process",
    remediation: { description: "Retrain the branch", owner: "Branch ops", dueBy },
  });
  const holding = (expectedBy: string) => ({
    type: "extend",
    level: "holding_reply",
    expectedBy,
    reason: "Waiting for the card scheme",
  });

  it.each(["0000-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])("refuses %s", (date) => {
    expect(detailsOf(resolutionSchema, resolution(date))).toEqual([
      { path: "remediation.dueBy", message: "must be in the years 1900-2100" },
    ]);
    expect(detailsOf(staffActionSchema, holding(date))).toEqual([
      { path: "expectedBy", message: "must be in the years 1900-2100" },
    ]);
  });

  it.each(["1900-01-01", "2026-12-01", "2100-12-31"])("accepts %s", (date) => {
    expect(detailsOf(resolutionSchema, resolution(date))).toEqual([]);
    expect(detailsOf(staffActionSchema, holding(date))).toEqual([]);
  });

  it("refuses implausible report ranges, dates and instants alike", () => {
    for (const schema of [slaReportQuerySchema, rootCauseReportQuerySchema]) {
      expect(detailsOf(schema, { from: "0000-01-01", to: "2026-12-01" }).map((d) => d.path)).toEqual([
        "from",
      ]);
      expect(
        detailsOf(schema, { from: "2026-01-01", to: "2101-01-01T00:00:00+08:00" }).map((d) => d.path),
      ).toEqual(["to"]);
      expect(detailsOf(schema, { from: "2026-11-01", to: "2026-12-01T00:00:00+08:00" })).toEqual([]);
    }
  });
});

describe("numbers in query strings are plain decimal digits", () => {
  const schemas: [string, z.ZodMiniType][] = [
    ["queue", queueQuerySchema],
    ["customer history", customerHistoryQuerySchema],
  ];
  for (const [name, schema] of schemas) {
    it.each(["0x10", "1e1", " 5", "5 ", "+5", "-1", "5.0", "1_0", "", "٣"])(
      `${name}: refuses limit=%j`,
      (limit) => {
        const details = detailsOf(schema, { limit });
        expect(details.map((d) => d.path)).toEqual(["limit"]);
      },
    );

    it(`${name}: reads limit=10, defaults to 25, and keeps the range`, () => {
      expect(schema.parse({ limit: "10" })).toMatchObject({ limit: 10 });
      expect(schema.parse({})).toMatchObject({ limit: 25 });
      expect(detailsOf(schema, { limit: "101" })).toEqual([
        { path: "limit", message: "must be at most 100" },
      ]);
      expect(detailsOf(schema, { limit: "0" })).toEqual([{ path: "limit", message: "must be at least 1" }]);
    });
  }

  it("queue: the tier filter follows the same rule", () => {
    expect(queueQuerySchema.parse({ tier: "2" })).toMatchObject({ tier: 2 });
    expect(detailsOf(queueQuerySchema, { tier: "0x2" }).map((d) => d.path)).toEqual(["tier"]);
  });
});
