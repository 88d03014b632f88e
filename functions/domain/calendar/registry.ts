import {
  type BusinessCalendar,
  businessCalendar,
  type CalendarYear,
  type CalendarYearSummary,
} from "./business-calendar";
import { type CalendarYearData, parseCalendarYear } from "./calendar-year";
import { SHIPPED_YEARS } from "./data/index";
import {
  CALENDAR_ALIASES,
  CALENDAR_DEFINITIONS,
  CALENDAR_IDS,
  type CalendarId,
  resolveCalendarId,
} from "./definitions";

/** What an operator sees of one calendar. */
export interface CalendarOverview {
  id: CalendarId;
  /** Other ids that resolve to this calendar (`GB` for `GB-EAW`). */
  aliases: string[];
  timeZone: string;
  years: readonly CalendarYearSummary[];
  /** Last day of the run of confirmed years starting with the current one, `YYYY-MM-DD`, or null. */
  confirmedThrough: string | null;
  /** Days of confirmed calendar ahead of today (its local date): 0 when the current year is not confirmed. */
  horizonDays: number;
}

export interface CalendarRegistry {
  /** The years in force, one per calendar and year, ordered by calendar id then year. */
  readonly years: readonly CalendarYearData[];
  /** The calendar registered under an id or alias; throws `UnknownCalendarError` for any other. */
  calendarFor(id: string): BusinessCalendar;
  /** Every calendar with its years and how far ahead it is confirmed, as of an instant. */
  overview(asOf: Date): CalendarOverview[];
}

const aliasesOf = (id: CalendarId): string[] =>
  Object.entries(CALENDAR_ALIASES)
    .filter(([, target]) => target === id)
    .map(([alias]) => alias);

/**
 * A registry over calendar years; a later entry for the same calendar and year replaces an earlier one.
 * Each calendar is validated and built the first time it is used, then kept: a cold start pays only for
 * the calendars its complaints need (building one loads the ICU data of its time zone, tens of
 * milliseconds for the first zone). Bad data still never reaches a deadline: the first use throws.
 */
export const calendarRegistry = (years: readonly CalendarYearData[]): CalendarRegistry => {
  const byCalendar = new Map<CalendarId, Map<number, CalendarYearData>>(
    CALENDAR_IDS.map((id) => [id, new Map()]),
  );
  for (const entry of years) byCalendar.get(resolveCalendarId(entry.calendar))!.set(entry.year, entry);
  const inForce = CALENDAR_IDS.flatMap((id) =>
    [...byCalendar.get(id)!.values()].sort((a, b) => a.year - b.year),
  );

  const built = new Map<CalendarId, BusinessCalendar>();
  const calendarFor = (id: string): BusinessCalendar => {
    const canonical = resolveCalendarId(id);
    let calendar = built.get(canonical);
    if (!calendar) {
      const yearsOf: Record<number, CalendarYear> = {};
      for (const { year, status, source, holidays, workdays } of byCalendar.get(canonical)!.values()) {
        yearsOf[year] = { status, source, holidays, workdays };
      }
      calendar = businessCalendar({ ...CALENDAR_DEFINITIONS[canonical], years: yearsOf });
      built.set(canonical, calendar);
    }
    return calendar;
  };

  return {
    years: inForce,
    calendarFor,
    overview: (asOf) =>
      CALENDAR_IDS.map((id) => {
        const calendar = calendarFor(id);
        return {
          id,
          aliases: aliasesOf(id),
          timeZone: calendar.timeZone,
          years: calendar.years,
          confirmedThrough: calendar.confirmedThrough(asOf),
          horizonDays: horizonDays(calendar.localDateOf(asOf), calendar.confirmedThrough(asOf)),
        };
      }),
  };
};

/** Whole days from a local date (exclusive) to the last confirmed one (inclusive); 0 when there is none. */
export const horizonDays = (today: string, confirmedThrough: string | null): number =>
  confirmedThrough === null
    ? 0
    : Math.max(
        0,
        Math.round(
          (Date.parse(`${confirmedThrough}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
        ),
      );

// The registry `calendarFor` answers from: the shipped years, plus any an operator has loaded since.
// Pure: a bundle that never asks for a calendar carries neither the registry nor the shipped years.
let active = /* @__PURE__ */ calendarRegistry(SHIPPED_YEARS);
let activeExtra: readonly CalendarYearData[] = [];
let activeFingerprint = "[]";

/**
 * Makes the active registry the shipped years plus `extra` (operator-loaded years, which win over shipped
 * ones). Each extra year is validated first: on bad data this throws `InvalidCalendarError` and the active
 * registry stays as it was. Calling it again with the same years (even freshly read copies) costs one
 * comparison and keeps every calendar already built.
 */
export const useCalendarYears = (extra: readonly CalendarYearData[]): void => {
  if (extra === activeExtra) return;
  const fingerprint = JSON.stringify(extra);
  if (fingerprint === activeFingerprint) {
    activeExtra = extra;
    return;
  }
  const checked = extra.map((entry, i) =>
    parseCalendarYear(
      entry,
      `Loaded calendar year #${i} (${String(entry?.calendar)}/${String(entry?.year)})`,
    ),
  );
  active = calendarRegistry([...SHIPPED_YEARS, ...checked]);
  activeExtra = extra;
  activeFingerprint = fingerprint;
};

/** The active registry (shipped years plus those passed to `useCalendarYears`). */
export const activeCalendarRegistry = (): CalendarRegistry => active;

/** The active calendar registered under an id or alias; throws `UnknownCalendarError` for any other id. */
export const calendarFor = (id: string): BusinessCalendar => active.calendarFor(id);

/** Every active calendar with its years and how far ahead it is confirmed, as of an instant. */
export const calendarOverview = (asOf: Date): CalendarOverview[] => active.overview(asOf);
