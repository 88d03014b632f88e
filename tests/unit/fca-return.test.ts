import { describe, expect, it } from "vitest";
import { halfYearRange } from "../../functions/app/returns";
import { BUSINESS_TYPES } from "../../functions/domain/codes";
import { FCA_PRODUCT_GROUPS, FCA_PRODUCT_MAPPING, fcaGroupOf } from "../../functions/domain/fca-return";

describe("the FCA return's mapping (data)", () => {
  it("names the five DISP 1 Annex 1R groupings in the form's order", () => {
    expect(Object.values(FCA_PRODUCT_GROUPS)).toEqual([
      "Banking and credit cards",
      "Home finance",
      "Insurance and pure protection",
      "Decumulation and pensions",
      "Investments",
    ]);
  });

  it("puts every business type in a grouping, and lets an override win for its cause only", () => {
    for (const b of BUSINESS_TYPES) expect(Object.keys(FCA_PRODUCT_GROUPS)).toContain(fcaGroupOf(b, "other"));
    expect(fcaGroupOf("other", "mis_selling")).toBe("investments");
    expect(fcaGroupOf("other", "fees_pricing")).toBe("banking_credit_cards");
    expect(FCA_PRODUCT_MAPPING.source).toMatch(/unverified/);
  });

  it("reads half-years on UK time (GMT in January, BST in July)", () => {
    expect(halfYearRange("2026-H1")).toEqual({
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2026-06-30T23:00:00Z"),
    });
    expect(halfYearRange("2026-H2")).toEqual({
      from: new Date("2026-06-30T23:00:00Z"),
      to: new Date("2027-01-01T00:00:00Z"),
    });
  });
});
