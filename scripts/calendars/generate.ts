/**
 * Writes the calendar data files from their sources, then the index that ships them.
 *
 *   npm run calendars:generate                          # regenerate every year already on disk
 *   npm run calendars:generate -- --years 2025-2028     # (re)generate a range, for every calendar
 *   npm run calendars:generate -- --years 2028 --calendars CN,US
 *
 * A CN year without a recorded State Council notice comes out `provisional` (from the holiday law); every
 * other calendar is a rule-based list published years ahead, so it always comes out `confirmed`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  MAX_CALENDAR_YEAR,
  MIN_CALENDAR_YEAR,
  parseCalendarYear,
} from "../../functions/domain/calendar/calendar-year";
import {
  CALENDAR_IDS,
  type CalendarId,
  resolveCalendarId,
} from "../../functions/domain/calendar/definitions";
import { dataFilesOnDisk, INDEX_FILE, renderIndex, serializeYear, yearFile } from "./files";
import { sourceYear } from "./sources";

const yearsOf = (spec: string): number[] => {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(spec);
  if (!m) throw new Error(`--years takes YYYY or YYYY-YYYY, not '${spec}'`);
  const from = Number(m[1]);
  const to = Number(m[2] ?? m[1]);
  if (from > to || from < MIN_CALENDAR_YEAR || to > MAX_CALENDAR_YEAR) {
    throw new Error(`--years must run forward inside ${MIN_CALENDAR_YEAR}-${MAX_CALENDAR_YEAR}`);
  }
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
};

const { values } = parseArgs({ options: { years: { type: "string" }, calendars: { type: "string" } } });
const calendars: readonly CalendarId[] = values.calendars
  ? [...new Set(values.calendars.split(",").map((id) => resolveCalendarId(id.trim())))]
  : CALENDAR_IDS;
const onDisk = dataFilesOnDisk();
const years = values.years
  ? yearsOf(values.years)
  : [...new Set(onDisk.map((f) => f.year))].sort((a, b) => a - b);
if (years.length === 0) throw new Error("No data files yet: pass --years, e.g. --years 2025-2027");

for (const calendar of calendars) {
  for (const year of years) {
    // The generator writes only what the API would accept from an operator.
    const data = parseCalendarYear(sourceYear(calendar, year), `${calendar} ${year} from its source`);
    if (data.status === "provisional" && calendar !== "CN")
      throw new Error(`${calendar} ${year} came out provisional`);
    const path = yearFile(calendar, year);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, serializeYear(data));
    console.log(
      `${relative(process.cwd(), path)}: ${data.status}, ${data.holidays.length} holidays, ${data.workdays.length} workdays`,
    );
  }
}

writeFileSync(INDEX_FILE, renderIndex(dataFilesOnDisk()));
console.log(`${relative(process.cwd(), INDEX_FILE)}: ${dataFilesOnDisk().length} years`);
