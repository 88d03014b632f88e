import type { CalendarYearData } from "../../functions/domain/calendar/calendar-year";
import { datesOf } from "./sources";

const describeDays = (y: CalendarYearData): Map<string, string> =>
  new Map([
    ...y.holidays.map((h) => [h.date, `holiday '${h.name}'`] as const),
    ...y.workdays.map((w) => [w.date, `make-up working day '${w.name}'`] as const),
  ]);

/**
 * Every date of the year on which two versions of a calendar year disagree (holiday or not, make-up
 * working day or not, or the name), one line each; empty when they agree on all of them.
 */
export const dayByDayDifferences = (expected: CalendarYearData, actual: CalendarYearData): string[] => {
  if (expected.calendar !== actual.calendar || expected.year !== actual.year) {
    return [`compares ${expected.calendar} ${expected.year} with ${actual.calendar} ${actual.year}`];
  }
  const want = describeDays(expected);
  const got = describeDays(actual);
  const differences: string[] = [];
  for (const date of datesOf(expected.year)) {
    const w = want.get(date) ?? "an ordinary day";
    const g = got.get(date) ?? "an ordinary day";
    if (w !== g) differences.push(`${expected.calendar} ${date}: the source says ${w}, the file says ${g}`);
  }
  return differences;
};
