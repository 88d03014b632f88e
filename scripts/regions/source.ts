import { readFileSync } from "node:fs";
import type { RegionData } from "../../functions/domain/regions/index";

/**
 * The source of the region table: ISO 3166-2 as Debian's `iso-codes` package ships it
 * (/usr/share/iso-codes/json/iso_3166-2.json; `apt-get install iso-codes`; upstream
 * https://salsa.debian.org/iso-codes-team/iso-codes). Its `parent` field says which nation of the United
 * Kingdom a council area, unitary authority or district belongs to, which is what the GB calendars need.
 */
export const ISO_CODES_FILE = "/usr/share/iso-codes/json/iso_3166-2.json";

/** The generated table (committed; bundled into the functions that validate regions). */
export const REGION_DATA_FILE = "functions/domain/regions/data.json";

/**
 * The member states of the European Union, the 27 since 1 February 2020 (the EU's own list:
 * https://european-union.europa.eu/principles-countries-history/eu-countries_en). EU complaints run on the
 * TARGET calendar whichever member state they come from; a region of another country is refused.
 */
export const EU_MEMBER_STATES = [
  "AT",
  "BE",
  "BG",
  "CY",
  "CZ",
  "DE",
  "DK",
  "EE",
  "ES",
  "FI",
  "FR",
  "GR",
  "HR",
  "HU",
  "IE",
  "IT",
  "LT",
  "LU",
  "LV",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SE",
  "SI",
  "SK",
] as const;

/** The nations of the United Kingdom and the calendar each one's bank holidays are (GOV.UK's three lists). */
const GB_NATIONS = {
  "GB-ENG": "GB-EAW",
  "GB-WLS": "GB-EAW",
  "GB-SCT": "GB-SCT",
  "GB-NIR": "GB-NIR",
} as const;

interface IsoEntry {
  code: string;
  parent?: string;
}

/** The region table, computed from the source (the generator writes it, the test compares with it). */
export const regionsFromSource = (file = ISO_CODES_FILE): RegionData => {
  const entries = (JSON.parse(readFileSync(file, "utf8")) as { "3166-2": IsoEntry[] })["3166-2"];
  const codesOf = (countries: readonly string[]) =>
    entries
      .filter((e) => countries.includes(e.code.slice(0, 2)))
      .map((e) => e.code)
      .sort();
  const gb: Record<string, string[]> = { "GB-EAW": [], "GB-SCT": [], "GB-NIR": [] };
  for (const e of entries.filter((x) => x.code.startsWith("GB-"))) {
    const nation = (e.parent ?? e.code) as keyof typeof GB_NATIONS;
    const calendar = GB_NATIONS[nation];
    if (!calendar) throw new Error(`ISO 3166-2 ${e.code} belongs to no UK nation (parent ${e.parent})`);
    gb[calendar]!.push(e.code);
  }
  for (const list of Object.values(gb)) list.sort();
  return {
    source: `ISO 3166-2, Debian iso-codes (${file}); EU members: the EU's list of member states`,
    CN: codesOf(["CN"]),
    US: codesOf(["US"]),
    EU: codesOf(EU_MEMBER_STATES),
    GB: gb,
  };
};
