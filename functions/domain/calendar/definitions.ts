import { type CalendarData, UnknownCalendarError, type WorkingHours } from "./business-calendar";

/**
 * The calendars the system knows. What a calendar *is* (its time zone and weekly hours) is code, here;
 * which days of a year are holidays is data (`data/<id>/<year>.json`), generated from published sources.
 */
export const CALENDAR_IDS = ["CN", "GB-EAW", "GB-SCT", "GB-NIR", "US", "EU"] as const;
export type CalendarId = (typeof CALENDAR_IDS)[number];

/**
 * Other names a calendar answers to. Stored complaints carry the jurisdiction `GB`, which has always meant
 * the bank holidays of England and Wales.
 */
export const CALENDAR_ALIASES = { GB: "GB-EAW" } as const satisfies Readonly<Record<string, CalendarId>>;

const byName: ReadonlyMap<string, CalendarId> = new Map<string, CalendarId>([
  ...CALENDAR_IDS.map((id) => [id, id] as const),
  ...Object.entries(CALENDAR_ALIASES),
]);

/** True for a canonical calendar id (not an alias). */
export const isCalendarId = (id: string): id is CalendarId =>
  (CALENDAR_IDS as readonly string[]).includes(id);

/** The canonical id of a calendar id or alias (`GB` is `GB-EAW`); throws `UnknownCalendarError` otherwise. */
export const resolveCalendarId = (id: string): CalendarId => {
  const canonical = byName.get(id);
  if (canonical === undefined) throw new UnknownCalendarError(id, [...byName.keys()]);
  return canonical;
};

export type CalendarDefinition = Omit<CalendarData, "years">;

const nineToFive: readonly WorkingHours[] = [{ start: "09:00", end: "17:00" }];
const bankWeek = {
  mon: nineToFive,
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: nineToFive,
  sat: [],
  sun: [],
};
// Mainland bank branches close for lunch; the break is not business time.
const cnDay: readonly WorkingHours[] = [
  { start: "09:00", end: "12:00" },
  { start: "13:30", end: "17:30" },
];

/** Time zone and weekly hours of every calendar. */
export const CALENDAR_DEFINITIONS: Readonly<Record<CalendarId, CalendarDefinition>> = {
  CN: {
    id: "CN",
    timeZone: "Asia/Shanghai",
    weeklyHours: { mon: cnDay, tue: cnDay, wed: cnDay, thu: cnDay, fri: cnDay, sat: [], sun: [] },
  },
  // The three bank-holiday divisions of the United Kingdom, as GOV.UK publishes them; one clock.
  "GB-EAW": { id: "GB-EAW", timeZone: "Europe/London", weeklyHours: bankWeek },
  "GB-SCT": { id: "GB-SCT", timeZone: "Europe/London", weeklyHours: bankWeek },
  "GB-NIR": { id: "GB-NIR", timeZone: "Europe/London", weeklyHours: bankWeek },
  US: { id: "US", timeZone: "America/New_York", weeklyHours: bankWeek },
  // Euro area payments (PSD2 periods): TARGET's closing days, not any one member state's holidays.
  EU: { id: "EU", timeZone: "Europe/Brussels", weeklyHours: bankWeek },
};
