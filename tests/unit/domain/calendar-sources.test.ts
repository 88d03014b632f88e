import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CALENDAR_IDS,
  type CalendarYearData,
  calendarYearSchema,
  SHIPPED_YEARS,
  weekdayOf,
} from "../../../functions/domain/calendar/index";
import { chineseDays, inChinaTime } from "../../../scripts/calendars/chinese-days";
import { dayByDayDifferences } from "../../../scripts/calendars/compare";
import {
  dataFilesOnDisk,
  INDEX_FILE,
  readYearFile,
  renderIndex,
  serializeYear,
  yearFile,
} from "../../../scripts/calendars/files";
import { CN_NOTICES, cnLawHolidays, sourceYear } from "../../../scripts/calendars/sources";

const files = dataFilesOnDisk();

describe("the shipped calendar data", () => {
  it("has 2025, 2026 and 2027 for every calendar, and the index ships exactly the files on disk", () => {
    expect(files.map((f) => `${f.calendar}/${f.year}`)).toEqual(
      CALENDAR_IDS.flatMap((id) => [2025, 2026, 2027].map((year) => `${id}/${year}`)),
    );
    expect(SHIPPED_YEARS.map((y) => `${y.calendar}/${y.year}`)).toEqual(
      files.map((f) => `${f.calendar}/${f.year}`),
    );
    expect(readFileSync(INDEX_FILE, "utf8"), "data/index.ts is stale: npm run calendars:generate").toBe(
      renderIndex(files),
    );
  });

  for (const { calendar, year } of files) {
    describe(`${calendar} ${year}`, () => {
      const raw = readYearFile(calendar, year);
      // Regenerated from the same source function the generator uses.
      const fromSource = sourceYear(calendar, year);

      it("is a valid year, as an operator would load it, under its own path", () => {
        const parsed = calendarYearSchema.parse(raw);
        expect([parsed.calendar, parsed.year]).toEqual([calendar, year]);
      });

      it("agrees with its source on every date of the year", () => {
        expect(dayByDayDifferences(fromSource, calendarYearSchema.parse(raw))).toEqual([]);
      });

      it("carries the status and source the generator writes, in the generator's layout", () => {
        const parsed = calendarYearSchema.parse(raw);
        expect(parsed.status).toBe(fromSource.status);
        expect(parsed.source).toBe(fromSource.source);
        expect(readFileSync(yearFile(calendar, year), "utf8")).toBe(serializeYear(fromSource));
      });
    });
  }
});

describe("the day-by-day comparison", () => {
  const cn2026 = calendarYearSchema.parse(readYearFile("CN", 2026));

  it("catches a file with one day changed", () => {
    // Someone "corrects" the Golden Week by hand: 10-10 no longer a make-up day, 10-08 taken off instead.
    const edited: CalendarYearData = {
      ...cn2026,
      holidays: [...cn2026.holidays, { date: "2026-10-08", name: "国庆节 National Day" }],
      workdays: cn2026.workdays.filter((w) => w.date !== "2026-10-10"),
    };
    expect(dayByDayDifferences(sourceYear("CN", 2026), edited)).toEqual([
      "CN 2026-10-08: the source says an ordinary day, the file says holiday '国庆节 National Day'",
      "CN 2026-10-10: the source says make-up working day '国庆节调休 National Day make-up day', the file says an ordinary day",
    ]);
  });

  it("catches a renamed day", () => {
    const renamed = {
      ...cn2026,
      holidays: cn2026.holidays.map((h, i) => (i === 0 ? { ...h, name: "New Year" } : h)),
    };
    expect(dayByDayDifferences(cn2026, renamed)).toEqual([
      "CN 2026-01-01: the source says holiday '元旦 New Year's Day', the file says holiday 'New Year'",
    ]);
  });
});

describe("the sources, on the cases that need care", () => {
  const dates = (y: CalendarYearData) => y.holidays.map((h) => h.date);

  it("Scotland 2027: 2 January falls on a Saturday, so only its substitute Monday 4 January is listed", () => {
    // date-holidays lists both 01-02 and 01-04; GOV.UK lists 01-04 "2nd January (substitute day)".
    const sct = sourceYear("GB-SCT", 2027);
    expect(dates(sct)).toContain("2027-01-04");
    expect(dates(sct)).not.toContain("2027-01-02");
    expect(sct.holidays.find((h) => h.date === "2027-01-04")?.name).toBe("January 2nd (substitute day)");
  });

  it("England and Wales: the Summer bank holiday is there (date-holidays' bare GB lacks it)", () => {
    // Last Monday of August: Aug 25 2025, Aug 31 2026, Aug 30 2027.
    expect(sourceYear("GB-EAW", 2025).holidays).toContainEqual({
      date: "2025-08-25",
      name: "Summer bank holiday",
    });
    expect(sourceYear("GB-EAW", 2026).holidays).toContainEqual({
      date: "2026-08-31",
      name: "Summer bank holiday",
    });
    expect(sourceYear("GB-EAW", 2027).holidays).toContainEqual({
      date: "2027-08-30",
      name: "Summer bank holiday",
    });
  });

  it("no UK bank holiday is listed on a weekend (the substitute day stands in for it)", () => {
    for (const id of ["GB-EAW", "GB-SCT", "GB-NIR"] as const) {
      for (const year of [2025, 2026, 2027]) {
        for (const date of dates(sourceYear(id, year))) {
          expect(["sat", "sun"], `${id} ${date}`).not.toContain(weekdayOf(date));
        }
      }
    }
  });

  it("US: the eleven federal holidays, a Saturday one staying on its Saturday", () => {
    const us2026 = sourceYear("US", 2026);
    expect(us2026.holidays).toHaveLength(11);
    // Sat Jul 4 2026: no Friday substitute (date-holidays, like OPM, puts one on 07-03).
    expect(dates(us2026)).toContain("2026-07-04");
    expect(dates(us2026)).not.toContain("2026-07-03");
    // 1 January 2028 is a Saturday: Fri Dec 31 2027 stays open (date-holidays closes it).
    expect(dates(sourceYear("US", 2027))).not.toContain("2027-12-31");
  });

  it("EU: Easter from the rule engine, the six TARGET days every year", () => {
    // Easter Sunday: 2025-04-20, 2026-04-05, 2027-03-28.
    expect(dates(sourceYear("EU", 2025))).toEqual([
      "2025-01-01",
      "2025-04-18",
      "2025-04-21",
      "2025-05-01",
      "2025-12-25",
      "2025-12-26",
    ]);
    expect(dates(sourceYear("EU", 2027))).toEqual([
      "2027-01-01",
      "2027-03-26",
      "2027-03-29",
      "2027-05-01",
      "2027-12-25",
      "2027-12-26",
    ]);
  });

  it("only CN can be provisional, and only for a year without a recorded notice", () => {
    const statuses = files.map(({ calendar, year }) => [calendar, year, sourceYear(calendar, year).status]);
    expect(statuses.filter(([, , status]) => status === "provisional")).toEqual([
      ["CN", 2027, "provisional"],
    ]);
    for (const [year, notice] of Object.entries(CN_NOTICES)) {
      const source = sourceYear("CN", Number(year)).source;
      expect(source).toContain(notice.title);
      for (const url of notice.urls) expect(source).toContain(url);
    }
  });

  it("CN law days are always off in the notices that followed the law (2025, 2026)", () => {
    // The notice adds bridging days and 补假 to the law's days, never removes one: a check of cnLawHolidays.
    for (const year of [2025, 2026]) {
      const notice = new Set(dates(sourceYear("CN", year)));
      for (const day of cnLawHolidays(year)) expect(notice.has(day.date), `${year}: ${day.date}`).toBe(true);
    }
  });

  it("CN 2027 lunar dates and 清明 agree between lunar-javascript and chinese-days", () => {
    const law = cnLawHolidays(2027);
    const named = (prefix: string) => law.filter((d) => d.name.startsWith(prefix)).map((d) => d.date);
    const [newYear, dragonBoat, midAutumn, qingming] = inChinaTime(() => [
      chineseDays.getSolarDateFromLunar("2027-01-01").date, // 正月初一
      chineseDays.getSolarDateFromLunar("2027-05-05").date,
      chineseDays.getSolarDateFromLunar("2027-08-15").date,
      chineseDays.getSolarTermDate(2027, 4, "pure_brightness"),
    ]);
    expect(named("春节")[1]).toBe(newYear);
    expect(named("端午节")).toEqual([dragonBoat]);
    expect(named("中秋节")).toEqual([midAutumn]);
    expect(named("清明节")).toEqual([qingming]);
    // 除夕 is the day before 正月初一; 2027 has 13 law days (1 + 4 + 1 + 2 + 1 + 1 + 3).
    expect(named("春节")).toEqual(["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"]);
    expect(law).toHaveLength(13);
  });
});
