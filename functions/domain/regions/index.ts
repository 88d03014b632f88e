import type { CalendarId } from "../calendar/definitions";
import type { Jurisdiction } from "../codes";
import data from "./data.json" with { type: "json" };

/**
 * Where a complaint is handled: an optional ISO 3166-2 subdivision of its jurisdiction (`CN-BJ`, `GB-SCT`,
 * `US-NY`, `DE-BY`), and the business calendar that follows from it. Only the United Kingdom has regional
 * bank holidays among our jurisdictions: England and Wales, Scotland and Northern Ireland each have their
 * own list (GOV.UK), so a Scottish complaint runs on Scottish business days. The table is data generated
 * from ISO 3166-2 (scripts/regions), checked by a test.
 */

/** The region table as generated: subdivision codes by jurisdiction; the UK's by bank-holiday calendar. */
export interface RegionData {
  source: string;
  CN: string[];
  US: string[];
  EU: string[];
  GB: Record<string, string[]>;
}

export const REGION_DATA: RegionData = data;

/** The calendar of each jurisdiction when no region says otherwise. */
export const DEFAULT_CALENDAR: Record<Jurisdiction, CalendarId> = {
  CN: "CN",
  GB: "GB-EAW",
  US: "US",
  EU: "EU",
};

const gbCalendarOf = /* @__PURE__ */ (() =>
  new Map<string, CalendarId>(
    Object.entries(REGION_DATA.GB).flatMap(([calendar, codes]) =>
      codes.map((code) => [code, calendar as CalendarId] as const),
    ),
  ))();
// In a pure call, not an object of pure calls: esbuild keeps a property read (`REGION_DATA.CN`) made at the
// top level, which would keep the whole table (the EU's subdivisions are 12 KB) in bundles that never look.
const flat: Record<Exclude<Jurisdiction, "GB">, ReadonlySet<string>> = /* @__PURE__ */ (() => ({
  CN: new Set(REGION_DATA.CN),
  US: new Set(REGION_DATA.US),
  EU: new Set(REGION_DATA.EU),
}))();

/** Whether a region is an ISO 3166-2 subdivision of a jurisdiction. */
export const isRegionOf = (jurisdiction: Jurisdiction, region: string): boolean =>
  jurisdiction === "GB" ? gbCalendarOf.has(region) : flat[jurisdiction].has(region);

/**
 * The calendar a complaint runs on: its region's, when it has one (the UK nations), else its
 * jurisdiction's. A region that is not one of the jurisdiction's is refused before this is asked.
 */
export const calendarOfRegion = (jurisdiction: Jurisdiction, region: string | undefined): CalendarId =>
  (jurisdiction === "GB" && region ? gbCalendarOf.get(region) : undefined) ?? DEFAULT_CALENDAR[jurisdiction];

/** Whether a code is an ISO 3166-2 subdivision of any of our jurisdictions. */
export const isRegion = (region: string): boolean =>
  (["CN", "GB", "US", "EU"] as const).some((j) => isRegionOf(j, region));
