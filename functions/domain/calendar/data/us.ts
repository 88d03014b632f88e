import type { CalendarData } from "../business-calendar";

const weekday = [{ start: "09:00", end: "17:00" }];

/**
 * United States federal holidays (5 U.S.C. 6103) as OPM observes them. Note that Federal Reserve
 * Banks stay open on the Friday before a Saturday holiday, which OPM observes (2026-07-03).
 */
export const us: CalendarData = {
  id: "US",
  timeZone: "America/New_York",
  weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [], sun: [] },
  years: {
    // 2027 is not loaded: OPM's 2027 list could not be confirmed when this was written.
    2026: {
      source:
        "U.S. OPM, Federal Holidays 2026, https://www.opm.gov/policy-data-oversight/pay-leave/federal-holidays/",
      holidays: [
        { date: "2026-01-01", name: "New Year's Day" },
        { date: "2026-01-19", name: "Birthday of Martin Luther King, Jr." },
        { date: "2026-02-16", name: "Washington's Birthday" },
        { date: "2026-05-25", name: "Memorial Day" },
        { date: "2026-06-19", name: "Juneteenth National Independence Day" },
        { date: "2026-07-03", name: "Independence Day (observed)" },
        { date: "2026-09-07", name: "Labor Day" },
        { date: "2026-10-12", name: "Columbus Day" },
        { date: "2026-11-11", name: "Veterans Day" },
        { date: "2026-11-26", name: "Thanksgiving Day" },
        { date: "2026-12-25", name: "Christmas Day" },
      ],
      workingWeekends: [],
    },
  },
};
