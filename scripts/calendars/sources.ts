/**
 * Where every calendar year comes from. `npm run calendars:generate` writes the data files with these
 * functions, and `tests/unit/domain/calendar-sources.test.ts` runs the same functions to check the shipped
 * files day by day: the holiday libraries stay here, outside `functions/`, so no Lambda bundle carries them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Holidays, { type HolidaysTypes } from "date-holidays";
import lunar from "lunar-javascript";
// Not the calendar index: it loads the shipped data, which the generator may be about to (re)write.
import { addLocalDays, type NamedDate, weekdayOf } from "../../functions/domain/calendar/business-calendar";
import type { CalendarYearData } from "../../functions/domain/calendar/calendar-year";
import type { CalendarId } from "../../functions/domain/calendar/definitions";
import { chineseDays, inChinaTime } from "./chinese-days";

const require = createRequire(import.meta.url);

/** The installed version of a package: the one the data is generated and checked with. */
export const packageVersion = (name: string): string => {
  let dir = dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json at this level: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the package.json of ${name}`);
    dir = parent;
  }
};

/** Every local date of a year, in order. */
export const datesOf = (year: number): string[] => {
  const dates: string[] = [];
  for (let d = `${year}-01-01`; d.startsWith(`${year}-`); d = addLocalDays(d, 1)) dates.push(d);
  return dates;
};

const isWeekend = (date: string): boolean => {
  const day = weekdayOf(date);
  return day === "sat" || day === "sun";
};

const byDate = (a: NamedDate, b: NamedDate): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** Sorted by date; a date the source gives twice is a surprise to look at, not to paper over. */
const dated = (what: string, days: NamedDate[]): NamedDate[] => {
  const sorted = [...days].sort(byDate);
  sorted.forEach((d, i) => {
    if (i > 0 && sorted[i - 1]!.date === d.date) {
      throw new Error(`${what}: ${d.date} is given twice ('${sorted[i - 1]!.name}', '${d.name}')`);
    }
  });
  return sorted;
};

// ---------------------------------------------------------------------------------------------------
// date-holidays: UK nations, US federal holidays, the Easter rule for TARGET

const dateHolidays = new Map<string, Holidays>();
const holidaysOf = (country: string, state?: string): Holidays => {
  const key = `${country}/${state ?? ""}`;
  let hd = dateHolidays.get(key);
  if (!hd) {
    hd = state ? new Holidays(country, state) : new Holidays(country);
    dateHolidays.set(key, hd);
  }
  return hd;
};

// date-holidays' `date` is local to the country: "2026-12-28 00:00:00".
const localDate = (h: HolidaysTypes.Holiday): string => h.date.slice(0, 10);

const GB_DIVISIONS = {
  // date-holidays' GB without a state is the UK-wide core and has no Summer bank holiday: England and
  // Wales are the states ENG and WLS (identical lists; GOV.UK publishes them as one division).
  "GB-EAW": { name: "England and Wales", feed: "england-and-wales", states: ["ENG", "WLS"] },
  "GB-SCT": { name: "Scotland", feed: "scotland", states: ["SCT"] },
  "GB-NIR": { name: "Northern Ireland", feed: "northern-ireland", states: ["NIR"] },
} as const;
type GbCalendar = keyof typeof GB_DIVISIONS;

const SUBSTITUTE = " (substitute day)";

/**
 * One UK division's bank holidays the way GOV.UK's feed lists them. date-holidays gives public holidays
 * (the bank holidays) mixed with observances, and for a holiday falling on a weekend both that day and its
 * substitute day (Scotland 2027: "January 2nd" on Saturday 01-02 and "January 2nd (substitute day)" on
 * Monday 01-04). GOV.UK lists only the substitute, the day banks close; so do we.
 */
const gbBankHolidays = (state: string, year: number): NamedDate[] => {
  const what = `date-holidays GB/${state} ${year}`;
  const listed = holidaysOf("GB", state)
    .getHolidays(year)
    .filter((h) => h.type === "public" || h.type === "bank");
  const substituted = new Set(
    listed
      .filter((h) => h.substitute)
      .map((h) => {
        if (!h.name.endsWith(SUBSTITUTE))
          throw new Error(`${what}: substitute day '${h.name}' is named unusually`);
        return h.name.slice(0, -SUBSTITUTE.length);
      }),
  );
  const days = listed
    .filter((h) => h.substitute || !(isWeekend(localDate(h)) && substituted.has(h.name)))
    .map((h) => ({ date: localDate(h), name: h.name }));
  for (const d of days) {
    if (isWeekend(d.date))
      throw new Error(`${what}: '${d.name}' on ${d.date} is a weekend day with no substitute`);
  }
  return dated(what, days);
};

const gbYear = (calendar: GbCalendar, year: number): CalendarYearData => {
  const division = GB_DIVISIONS[calendar];
  const [first, ...others] = division.states.map((state) => gbBankHolidays(state, year));
  for (const [i, other] of others.entries()) {
    if (JSON.stringify(other) !== JSON.stringify(first)) {
      throw new Error(
        `date-holidays gives ${division.states[i + 1]} other bank holidays than ${division.states[0]} in ${year}`,
      );
    }
  }
  return {
    calendar,
    year,
    status: "confirmed",
    source:
      `GOV.UK, UK bank holidays, ${division.name} ${year}, https://www.gov.uk/bank-holidays ` +
      `(feed https://www.gov.uk/bank-holidays.json, division ${division.feed}). ` +
      `Generated and checked with date-holidays ${packageVersion("date-holidays")} ` +
      `(GB, ${division.states.length > 1 ? `states ${division.states.join(" and ")}` : `state ${division.states[0]}`}): ` +
      "bank holidays only, no observances; a holiday falling on a weekend is listed only as its substitute day, as GOV.UK lists it.",
    holidays: first!,
    workdays: [],
  };
};

/**
 * The federal holidays of 5 U.S.C. 6103(a) under date-holidays' US names, with the first year of one that
 * is younger than the calendars' range (Juneteenth, Pub. L. 117-17 of 2021-06-17).
 */
const FEDERAL_HOLIDAYS: ReadonlyArray<{ name: string; since?: number }> = [
  { name: "New Year's Day" },
  { name: "Martin Luther King Jr. Day" },
  { name: "Washington's Birthday" },
  { name: "Memorial Day" },
  { name: "Juneteenth", since: 2021 },
  { name: "Independence Day" },
  { name: "Labor Day" },
  { name: "Columbus Day" },
  { name: "Veterans Day" },
  { name: "Thanksgiving Day" },
  { name: "Christmas Day" },
];

/**
 * The days the Federal Reserve Banks close (K.8). date-holidays' US public holidays are the eleven federal
 * ones, but with OPM's observance: a Saturday holiday is moved to the Friday before ("Independence Day
 * (substitute day)" on 2026-07-03, "New Year's Day (substitute day)" on 2027-12-31 for 1 January 2028),
 * and Veterans Day has no Monday substitute at all. So the actual days are taken and the Fed's rule applied:
 * a holiday on a Sunday closes the Monday after; one on a Saturday closes nothing, the Friday stays open.
 */
const usYear = (year: number): CalendarYearData => {
  const what = `date-holidays US ${year}`;
  // The country's own language: asked for "en", date-holidays spells Labor Day "Labour Day".
  const listed = holidaysOf("US")
    .getHolidays(year)
    .filter((h) => h.type === "public" && !h.substitute);
  const unknown = listed.filter((h) => !FEDERAL_HOLIDAYS.some((f) => f.name === h.name));
  if (unknown.length > 0) {
    throw new Error(
      `${what}: public holidays that are not federal ones: ${unknown.map((h) => h.name).join(", ")}`,
    );
  }
  const holidays = FEDERAL_HOLIDAYS.filter((f) => f.since === undefined || year >= f.since).map((f) => {
    const found = listed.filter((h) => h.name === f.name);
    if (found.length !== 1) throw new Error(`${what}: '${f.name}' is listed ${found.length} times`);
    const date = localDate(found[0]!);
    return weekdayOf(date) === "sun"
      ? { date: addLocalDays(date, 1), name: `${f.name} (observed)` }
      : { date, name: f.name };
  });
  return {
    calendar: "US",
    year,
    status: "confirmed",
    source:
      "Board of Governors of the Federal Reserve System, Holidays Observed by the Federal Reserve System (K.8), " +
      "https://www.federalreserve.gov/aboutthefed/k8.htm: the eleven federal holidays of 5 U.S.C. 6103(a); " +
      "one falling on a Sunday is observed the Monday after; one falling on a Saturday is listed on the Saturday " +
      "and the Reserve Banks are open the Friday before (no substitute day). " +
      `Generated and checked with date-holidays ${packageVersion("date-holidays")} (US public holidays, actual days; ` +
      "its Friday and Monday substitute days are replaced by the Federal Reserve's rule).",
    holidays: dated(what, holidays),
    workdays: [],
  };
};

/** TARGET closing days (ECB, 2000-12-14, "until further notice"), as date-holidays rules. */
const TARGET_CLOSING_DAYS: ReadonlyArray<readonly [rule: string, name: string]> = [
  ["01-01", "New Year's Day"],
  ["easter -2", "Good Friday"],
  ["easter 1", "Easter Monday"],
  ["05-01", "Labour Day"],
  ["12-25", "Christmas Day"],
  ["12-26", "26 December"],
];

let target: Holidays | undefined;
const targetRules = (): Holidays => {
  if (!target) {
    const hd = new Holidays({ timezone: "Europe/Brussels" });
    for (const [rule, name] of TARGET_CLOSING_DAYS) {
      if (!hd.setHoliday(rule, { name: { en: name }, type: "public" })) {
        throw new Error(`date-holidays refuses the rule '${rule}'`);
      }
    }
    target = hd;
  }
  return target;
};

const euYear = (year: number): CalendarYearData => {
  const what = `TARGET ${year}`;
  const holidays = targetRules()
    .getHolidays(year, "en")
    .map((h) => ({ date: localDate(h), name: h.name }));
  if (holidays.length !== TARGET_CLOSING_DAYS.length) {
    throw new Error(
      `${what}: date-holidays gives ${holidays.length} closing days, not ${TARGET_CLOSING_DAYS.length}`,
    );
  }
  return {
    calendar: "EU",
    year,
    status: "confirmed",
    source:
      "ECB, long-term calendar for TARGET closing days, press release 2000-12-14, " +
      "https://www.ecb.europa.eu/press/pr/date/2000/html/pr001214_4.en.html: New Year's Day, Good Friday, " +
      'Easter Monday, 1 May, 25 and 26 December, "until further notice"; a closing day on a weekend has no ' +
      `substitute. Easter from the rule engine of date-holidays ${packageVersion("date-holidays")} ("easter -2", "easter 1").`,
    holidays: dated(what, holidays),
    workdays: [],
  };
};

// ---------------------------------------------------------------------------------------------------
// CN: State Council notices (checked with chinese-days); the national holiday law for a year without one

interface StateCouncilNotice {
  title: string;
  number?: string;
  published: string;
  urls: readonly string[];
}

/**
 * The State Council General Office's annual holiday notices (部分节假日安排的通知). A year is `confirmed`
 * only once its notice is recorded here and chinese-days carries it, so the two can be compared.
 */
export const CN_NOTICES: Readonly<Record<number, StateCouncilNotice>> = {
  2025: {
    title: "国务院办公厅关于2025年部分节假日安排的通知",
    number: "国办发明电〔2024〕12号",
    published: "2024-11-12",
    urls: ["https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"],
  },
  2026: {
    title: "国务院办公厅关于2026年部分节假日安排的通知",
    published: "2025-11-04",
    urls: [
      "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
      "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
    ],
  },
};

/** The seven festivals of the holiday law, by chinese-days' English label; names read Chinese first. */
const CN_FESTIVALS: Readonly<Record<string, { zh: string; en: string }>> = {
  "New Year's Day": { zh: "元旦", en: "New Year's Day" },
  "Spring Festival": { zh: "春节", en: "Spring Festival" },
  "Tomb-sweeping Day": { zh: "清明节", en: "Qingming Festival" },
  "Labour Day": { zh: "劳动节", en: "Labour Day" },
  "Dragon Boat Festival": { zh: "端午节", en: "Dragon Boat Festival" },
  "Mid-autumn Festival": { zh: "中秋节", en: "Mid-Autumn Festival" },
  "National Day": { zh: "国庆节", en: "National Day" },
};
const holidayName = (f: { zh: string; en: string }): string => `${f.zh} ${f.en}`;
const workdayName = (f: { zh: string; en: string }): string => `${f.zh}调休 ${f.en} make-up day`;

type ChineseDay = ReturnType<typeof chineseDays.getDayDetail>;
const chineseDaysYears = new Map<number, readonly ChineseDay[]>();

/** chinese-days' answer for every date of a year, asked on China time (see china-time.ts). */
const chineseDaysYear = (year: number): readonly ChineseDay[] => {
  let days = chineseDaysYears.get(year);
  if (!days) {
    days = inChinaTime(() =>
      datesOf(year).map((date) => {
        const detail = chineseDays.getDayDetail(date);
        if (detail.date !== date) throw new Error(`chinese-days answered ${detail.date} for ${date}`);
        return detail;
      }),
    );
    chineseDaysYears.set(year, days);
  }
  return days;
};

// A festival day's name is "Spring Festival,春节,4"; any other day's is its weekday ("Saturday").
const festivalOf = (name: string): { zh: string; en: string } | undefined => {
  if (!name.includes(",")) return undefined;
  const festival = CN_FESTIVALS[name.split(",")[0]!];
  if (!festival) throw new Error(`chinese-days names a day '${name}', which is not a festival of the law`);
  return festival;
};

/** True when chinese-days has the year's notice (it treats a year without one as plain weekdays). */
export const chineseDaysHasYear = (year: number): boolean =>
  chineseDaysYear(year).some((day) => day.name.includes(","));

const cnNoticeYear = (year: number, notice: StateCouncilNotice): CalendarYearData => {
  if (!chineseDaysHasYear(year)) {
    throw new Error(
      `chinese-days ${packageVersion("chinese-days")} has no data for ${year}: update it to check the notice`,
    );
  }
  const what = `chinese-days ${year}`;
  const holidays: NamedDate[] = [];
  const workdays: NamedDate[] = [];
  for (const detail of chineseDaysYear(year)) {
    const { date } = detail;
    const festival = festivalOf(detail.name);
    if (!festival) continue;
    if (!detail.work) holidays.push({ date, name: holidayName(festival) });
    else if (isWeekend(date)) workdays.push({ date, name: workdayName(festival) });
    else throw new Error(`${what}: ${date} is a weekday marked as a make-up working day`);
  }
  return {
    calendar: "CN",
    year,
    status: "confirmed",
    source:
      `${notice.title}${notice.number ? ` (${notice.number})` : ""}, State Council General Office, ` +
      `${notice.published}, ${notice.urls.join(" ; ")}. Generated and checked with chinese-days ` +
      `${packageVersion("chinese-days")}: holidays and make-up working days (调休), day by day.`,
    holidays: dated(what, holidays),
    workdays: dated(what, workdays),
  };
};

/** The holiday law as amended in 2024 (State Council Decree No. 795) is in force from 2025-01-01. */
const CN_LAW_IN_FORCE = 2025;

const { Lunar, Solar } = lunar;

/**
 * A year without its notice, from 全国年节及纪念日放假办法 (as amended by State Council Decree No. 795,
 * 2024-11-10, in force 2025-01-01), art. 2, the holidays of all citizens: 元旦 1 January (1 day); 春节 农历
 * 除夕 and 正月初一 to 初三 (4 days); 清明节 the day of the 清明 solar term (1); 劳动节 1 and 2 May (2); 端午节
 * 农历五月初五 (1); 中秋节 农历八月十五 (1); 国庆节 1 to 3 October (3). Lunar dates and the solar term come
 * from lunar-javascript. Left out until the notice: the weekday a holiday on a weekend is made up on
 * (补假, art. 6) and the bridging days with their make-up working days (调休, art. 7).
 */
export const cnLawHolidays = (year: number): NamedDate[] => {
  const f = (label: string) => holidayName(CN_FESTIVALS[label]!);
  const springFestival = Lunar.fromYmd(year, 1, 1).getSolar(); // 正月初一
  const eve = springFestival.next(-1); // 除夕: the last day of the lunar year, whatever its length
  if (!eve.getLunar().getFestivals().includes("除夕"))
    throw new Error(`lunar-javascript: ${eve.toYmd()} is not 除夕`);
  const qingming = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable().清明;
  if (!qingming || qingming.getYear() !== year) throw new Error(`lunar-javascript has no 清明 in ${year}`);
  const days: NamedDate[] = [
    { date: `${year}-01-01`, name: f("New Year's Day") },
    ...[eve, springFestival, springFestival.next(1), springFestival.next(2)].map((s) => ({
      date: s.toYmd(),
      name: f("Spring Festival"),
    })),
    { date: qingming.toYmd(), name: f("Tomb-sweeping Day") },
    { date: `${year}-05-01`, name: f("Labour Day") },
    { date: `${year}-05-02`, name: f("Labour Day") },
    { date: Lunar.fromYmd(year, 5, 5).getSolar().toYmd(), name: f("Dragon Boat Festival") },
    { date: Lunar.fromYmd(year, 8, 15).getSolar().toYmd(), name: f("Mid-autumn Festival") },
    { date: `${year}-10-01`, name: f("National Day") },
    { date: `${year}-10-02`, name: f("National Day") },
    { date: `${year}-10-03`, name: f("National Day") },
  ];
  // 中秋 can fall on 1-3 October (2020; next on 2028-10-03): the two holidays then share a day, which is
  // counted once and named 国庆节. The notice may add a day for it; counting one fewer is the safe side.
  return dated(`CN law ${year}`, [...new Map(days.map((d) => [d.date, d])).values()]);
};

const cnLawYear = (year: number): CalendarYearData => ({
  calendar: "CN",
  year,
  status: "provisional",
  source:
    `Provisional: no State Council notice for ${year} yet. Computed from 全国年节及纪念日放假办法 ` +
    "(as amended by State Council Decree No. 795, in force 2025-01-01), art. 2: 元旦 1 Jan; 春节 农历除夕 and " +
    "正月初一 to 初三; 清明节 the solar-term day; 劳动节 1-2 May; 端午节 5th day of the 5th lunar month; " +
    "中秋节 15th day of the 8th lunar month; 国庆节 1-3 Oct. Lunar dates and the solar term from " +
    `lunar-javascript ${packageVersion("lunar-javascript")}. Not included: weekend substitutes (补假) and ` +
    "调休 (bridging days and make-up working days), which arrive with the notice. Counting fewer holidays makes " +
    "deadlines earlier, never later (conservative); only a make-up working day the notice adds on a weekend " +
    "can bring a real deadline before this one.",
  holidays: cnLawHolidays(year),
  workdays: [],
});

const cnYear = (year: number): CalendarYearData => {
  const notice = CN_NOTICES[year];
  if (notice) return cnNoticeYear(year, notice);
  if (chineseDaysHasYear(year)) {
    throw new Error(`chinese-days has ${year}: record its State Council notice in CN_NOTICES`);
  }
  if (year < CN_LAW_IN_FORCE)
    throw new Error(`No CN notice recorded for ${year}, and the current law starts in 2025`);
  return cnLawYear(year);
};

/** One calendar year, from its source: what the generator writes and what the test compares with. */
export const sourceYear = (calendar: CalendarId, year: number): CalendarYearData => {
  switch (calendar) {
    case "CN":
      return cnYear(year);
    case "GB-EAW":
    case "GB-SCT":
    case "GB-NIR":
      return gbYear(calendar, year);
    case "US":
      return usYear(year);
    case "EU":
      return euYear(year);
  }
};
