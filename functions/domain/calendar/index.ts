import {
  type BusinessCalendar,
  businessCalendar,
  type CalendarData,
  UnknownCalendarError,
} from "./business-calendar";
import { cn } from "./data/cn";
import { gb } from "./data/gb";
import { us } from "./data/us";

export * from "./business-calendar";

const weekday = [{ start: "09:00", end: "17:00" }];

/**
 * Euro area: the TARGET closing days, which the ECB fixed "from 2002 until further notice" (New Year's
 * Day, Good Friday, Easter Monday, 1 May, 25 and 26 December). National holidays are deliberately left
 * out: PSD2 periods run on the business days of the payment system, not of one member state.
 */
const eu: CalendarData = {
  id: "EU",
  timeZone: "Europe/Brussels",
  weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [], sun: [] },
  years: {
    2026: {
      source:
        "ECB, Long-term calendar for TARGET closing days, press release 2000-12-14, https://www.ecb.europa.eu/press/pr/date/2000/html/pr001214_4.en.html",
      holidays: [
        { date: "2026-01-01", name: "New Year's Day" },
        { date: "2026-04-03", name: "Good Friday" },
        { date: "2026-04-06", name: "Easter Monday" },
        { date: "2026-05-01", name: "Labour Day" },
        { date: "2026-12-25", name: "Christmas Day" },
        { date: "2026-12-26", name: "26 December" },
      ],
      workingWeekends: [],
    },
  },
};

export const CALENDAR_IDS = ["CN", "GB", "US", "EU"] as const;
export type CalendarId = (typeof CALENDAR_IDS)[number];

const DATA: Readonly<Record<CalendarId, CalendarData>> = { CN: cn, GB: gb, US: us, EU: eu };

/**
 * Every registered calendar, each validated and built the first time it is used, then kept: a cold start
 * pays only for the calendars its complaints need (building one loads the ICU data of its time zone, tens
 * of milliseconds for the first zone). Bad data still never reaches a deadline: the first use throws, and
 * the unit tests build every shipped calendar.
 */
export const calendars: Readonly<Record<CalendarId, BusinessCalendar>> = (() => {
  const built: Partial<Record<CalendarId, BusinessCalendar>> = {};
  const registry = {} as Record<CalendarId, BusinessCalendar>;
  for (const id of CALENDAR_IDS) {
    Object.defineProperty(registry, id, {
      enumerable: true,
      get: () => {
        built[id] ??= businessCalendar(DATA[id]);
        return built[id];
      },
    });
  }
  return Object.freeze(registry);
})();

/** The calendar registered under an id; throws `UnknownCalendarError` for any other id. */
export const calendarFor = (id: string): BusinessCalendar => {
  if (!(CALENDAR_IDS as readonly string[]).includes(id)) throw new UnknownCalendarError(id, CALENDAR_IDS);
  return calendars[id as CalendarId];
};
