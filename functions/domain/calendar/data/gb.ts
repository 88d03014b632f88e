import type { CalendarData } from "../business-calendar";

const weekday = [{ start: "09:00", end: "17:00" }];

/** England and Wales bank holidays (Scotland and Northern Ireland differ). */
export const gb: CalendarData = {
  id: "GB",
  timeZone: "Europe/London",
  weeklyHours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [], sun: [] },
  years: {
    // 2027 is not loaded: the full gov.uk list could not be confirmed when this was written.
    2026: {
      source: "GOV.UK, UK bank holidays, England and Wales 2026, https://www.gov.uk/bank-holidays",
      holidays: [
        { date: "2026-01-01", name: "New Year's Day" },
        { date: "2026-04-03", name: "Good Friday" },
        { date: "2026-04-06", name: "Easter Monday" },
        { date: "2026-05-04", name: "Early May bank holiday" },
        { date: "2026-05-25", name: "Spring bank holiday" },
        { date: "2026-08-31", name: "Summer bank holiday" },
        { date: "2026-12-25", name: "Christmas Day" },
        { date: "2026-12-28", name: "Boxing Day (substitute day)" },
      ],
      workingWeekends: [],
    },
  },
};
