import { describe, expect, it } from "vitest";
import { calendarOfRegion, isRegionOf, REGION_DATA } from "../../../functions/domain/regions/index";
import { EU_MEMBER_STATES, regionsFromSource } from "../../../scripts/regions/source";

describe("the region table", () => {
  it("is exactly what ISO 3166-2 (Debian iso-codes) gives: regenerate with npm run regions:generate", () => {
    const source = regionsFromSource();
    expect(REGION_DATA).toEqual(source);
    // The comparison can fail: one code more or less is a difference.
    expect({ ...REGION_DATA, CN: [...REGION_DATA.CN, "CN-ZZ"] }).not.toEqual(source);
    expect(EU_MEMBER_STATES).toHaveLength(27);
  });

  it("puts every subdivision of the United Kingdom under its nation's bank holidays", () => {
    // Council areas of Scotland, districts of Northern Ireland, Welsh and English authorities.
    expect(calendarOfRegion("GB", "GB-EDH")).toBe("GB-SCT");
    expect(calendarOfRegion("GB", "GB-SCT")).toBe("GB-SCT");
    expect(calendarOfRegion("GB", "GB-BFS")).toBe("GB-NIR");
    expect(calendarOfRegion("GB", "GB-CRF")).toBe("GB-EAW");
    expect(calendarOfRegion("GB", "GB-WLS")).toBe("GB-EAW");
    expect(calendarOfRegion("GB", "GB-LND")).toBe("GB-EAW");
    expect(calendarOfRegion("GB", undefined)).toBe("GB-EAW");
  });

  it("knows the subdivisions of each jurisdiction and no other country's", () => {
    expect(isRegionOf("CN", "CN-BJ")).toBe(true);
    expect(isRegionOf("CN", "GB-SCT")).toBe(false);
    expect(isRegionOf("GB", "CN-BJ")).toBe(false);
    expect(isRegionOf("US", "US-NY")).toBe(true);
    expect(isRegionOf("EU", "DE-BY")).toBe(true);
    // Switzerland and Norway are in Europe, not in the EU.
    expect(isRegionOf("EU", "CH-ZH")).toBe(false);
    expect(isRegionOf("EU", "NO-03")).toBe(false);
    expect(isRegionOf("GB", "GB-XXX")).toBe(false);
    expect(calendarOfRegion("CN", "CN-BJ")).toBe("CN");
    expect(calendarOfRegion("EU", "FR-75C")).toBe("EU");
  });
});
