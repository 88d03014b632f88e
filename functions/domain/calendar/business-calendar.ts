import * as z from "../zod";

/**
 * Business calendars: a time zone, weekly working hours, and per-year public holidays and make-up
 * working days (调休). Pure: every instant comes in as an argument, and wall-clock conversion uses the
 * built-in `Intl.DateTimeFormat`, so the bundle carries no time-zone library.
 *
 * Instants are `Date`s; calendar days are local `YYYY-MM-DD` strings in the calendar's time zone.
 * A result is `provisional` when it depends on a day of a year that is not loaded (that day is then
 * judged by the weekly hours alone) or of a year whose data is itself `provisional` (computed from
 * rules until the official list is published). Callers log and count it; nothing throws for it.
 */

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A working interval in local wall-clock time, `HH:MM`; `end` may be `24:00`. */
export interface WorkingHours {
  start: string;
  end: string;
}

export interface NamedDate {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  name: string;
}

/** `confirmed`: taken from an official list; `provisional`: computed from rules until that list exists. */
export const CALENDAR_YEAR_STATUSES = ["confirmed", "provisional"] as const;
export type CalendarYearStatus = (typeof CALENDAR_YEAR_STATUSES)[number];

export interface CalendarYear {
  status: CalendarYearStatus;
  /** The official publication the dates were taken from, or the rule they were computed by. */
  source: string;
  holidays: readonly NamedDate[];
  /** Make-up working days (调休): weekend dates that are working days; they use the Monday hours. */
  workdays: readonly NamedDate[];
}

/** What a calendar says about one of its years, for an operator. */
export interface CalendarYearSummary {
  year: number;
  status: CalendarYearStatus;
  source: string;
}

export interface CalendarData {
  id: string;
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  timeZone: string;
  weeklyHours: Record<Weekday, readonly WorkingHours[]>;
  years: Record<number, CalendarYear>;
}

/** Base of every calendar error: `code` is the stable identifier, `name` what `ErrorEquals` matches. */
export class CalendarError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CalendarError";
    this.code = code;
  }
}

/** Calendar data that fails validation at load. */
export class InvalidCalendarError extends CalendarError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INVALID_CALENDAR", message, options);
    this.name = "InvalidCalendarError";
  }
}

/** A calendar id that no calendar is registered under. */
export class UnknownCalendarError extends CalendarError {
  constructor(id: string, known: readonly string[]) {
    super("UNKNOWN_CALENDAR", `No business calendar '${id}' (known: ${known.join(", ")})`);
    this.name = "UnknownCalendarError";
  }
}

/** Raised only by `requireYear`, for callers that must not accept a provisional answer. */
export class CalendarYearNotLoadedError extends CalendarError {
  constructor(id: string, year: number, provisional = false) {
    super(
      "CALENDAR_YEAR_NOT_LOADED",
      provisional
        ? `Calendar '${id}' has only provisional holiday data for ${year}`
        : `Calendar '${id}' has no holiday data for ${year}`,
    );
    this.name = "CalendarYearNotLoadedError";
  }
}

/** An argument the calendar cannot work with (invalid Date, malformed local date, negative amount). */
export class InvalidCalendarArgumentError extends CalendarError {
  constructor(message: string) {
    super("INVALID_CALENDAR_ARGUMENT", message);
    this.name = "InvalidCalendarArgumentError";
  }
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HH_MM = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Days since 1970-01-01 of a `YYYY-MM-DD`, or undefined when it is not a real date (2026-02-30). */
const parseDayNumber = (localDate: string): number | undefined => {
  if (!LOCAL_DATE.test(localDate)) return undefined;
  const y = Number(localDate.slice(0, 4));
  const m = Number(localDate.slice(5, 7));
  const d = Number(localDate.slice(8, 10));
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms / DAY_MS;
};

const isoOfDay = (dayNumber: number): string => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

// getUTCDay is 0 for Sunday; the calendar's keys start on Monday.
const weekdayOfDay = (dayNumber: number): Weekday =>
  WEEKDAYS[(new Date(dayNumber * DAY_MS).getUTCDay() + 6) % 7]!;

const dayNumberOrThrow = (localDate: string): number => {
  const n = parseDayNumber(localDate);
  if (n === undefined)
    throw new InvalidCalendarArgumentError(`'${localDate}' is not a local date (YYYY-MM-DD)`);
  return n;
};

/** The local date `days` calendar days after (or before, if negative) `localDate`. */
export const addLocalDays = (localDate: string, days: number): string =>
  isoOfDay(dayNumberOrThrow(localDate) + days);

/** Whole calendar days from local date `a` to local date `b` (negative when `b` is earlier). */
export const localDaysBetween = (a: string, b: string): number => dayNumberOrThrow(b) - dayNumberOrThrow(a);

/** Day of the week of a local date. */
export const weekdayOf = (localDate: string): Weekday => weekdayOfDay(dayNumberOrThrow(localDate));

/** True for a time zone name the runtime's ICU data knows (IANA names such as `Asia/Shanghai`). */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
};

const hoursSchema = /* @__PURE__ */ (() =>
  z
    .array(
      z
        .strictObject({
          start: z.string().check(z.regex(HH_MM, "must be HH:MM")),
          end: z.string().check(z.regex(HH_MM, "must be HH:MM")),
        })
        .check(z.refine((h) => toMinutes(h.start) < toMinutes(h.end), "start must be before end")),
    )
    .check(
      z.refine(
        (hours) => hours.every((h, i) => i === 0 || toMinutes(hours[i - 1]!.end) <= toMinutes(h.start)),
        "intervals must be in order and must not overlap",
      ),
    ))();

/** One dated entry of a year: a real `YYYY-MM-DD` and a non-empty name. */
export const namedDateSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    date: z
      .string()
      .check(z.refine((d) => parseDayNumber(d) !== undefined, "must be a real date, YYYY-MM-DD")),
    name: z.string().check(z.trim(), z.minLength(1, "every date needs a name")),
  }))();

/**
 * The checks every year's lists pass, wherever the year comes from (shipped file, operator, raw calendar
 * data): each date inside its year and listed once, no date both a holiday and a workday, and every workday
 * (调休) a Saturday or Sunday. Issues are added under `at`.
 */
export const checkYearDays = (
  year: number,
  lists: { holidays: readonly NamedDate[]; workdays: readonly NamedDate[] },
  ctx: z.core.$RefinementCtx,
  at: readonly PropertyKey[] = [],
): void => {
  const seen = new Map<string, "holidays" | "workdays">();
  for (const list of ["holidays", "workdays"] as const) {
    lists[list].forEach((d, i) => {
      const path = [...at, list, i, "date"];
      const n = parseDayNumber(d.date);
      if (n === undefined) return; // the date's own schema reports it
      if (!d.date.startsWith(`${year}-`)) {
        ctx.addIssue({ code: "custom", path, message: `${d.date} is not in ${year}` });
      }
      const before = seen.get(d.date);
      if (before === list) ctx.addIssue({ code: "custom", path, message: `${d.date} is listed twice` });
      else if (before !== undefined) {
        ctx.addIssue({ code: "custom", path, message: `${d.date} is both a holiday and a workday` });
      }
      seen.set(d.date, list);
      const weekday = weekdayOfDay(n);
      if (list === "workdays" && weekday !== "sat" && weekday !== "sun") {
        ctx.addIssue({
          code: "custom",
          path,
          message: `${d.date} is a ${weekday}, not a weekend day: a workday (调休) turns a weekend day into a working day`,
        });
      }
    });
  }
};

const yearSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    status: z.enum(CALENDAR_YEAR_STATUSES),
    source: z
      .string()
      .check(z.trim(), z.minLength(1, "every year names the official publication it comes from")),
    holidays: z.array(namedDateSchema),
    workdays: z.array(namedDateSchema),
  }))();

export const calendarDataSchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      id: z.string().check(z.minLength(1)),
      timeZone: z.string().check(z.refine(isTimeZone, "must be an IANA time zone")),
      weeklyHours: z
        .strictObject({
          mon: hoursSchema,
          tue: hoursSchema,
          wed: hoursSchema,
          thu: hoursSchema,
          fri: hoursSchema,
          sat: hoursSchema,
          sun: hoursSchema,
        })
        // Without a working hour in the week, adding business time would never end.
        .check(
          z.refine((w) => WEEKDAYS.some((d) => w[d].length > 0), "at least one weekday needs working hours"),
        ),
      years: z.record(z.string().check(z.regex(/^\d{4}$/, "year keys are four digits")), yearSchema),
    })
    .check(
      z.superRefine((data, ctx) => {
        for (const [year, entry] of Object.entries(data.years)) {
          checkYearDays(Number(year), entry, ctx, ["years", year]);
          if (entry.workdays.length > 0 && data.weeklyHours.mon.length === 0) {
            ctx.addIssue({
              code: "custom",
              path: ["weeklyHours", "mon"],
              message: "make-up working days use the Monday hours, which are empty",
            });
          }
        }
      }),
    ))();

/** A working interval of one local day, as instants; `end` is exclusive. */
export interface WorkingInterval {
  start: Date;
  end: Date;
}

export interface DayInfo {
  localDate: string;
  working: boolean;
  /** The day's year is not loaded (only the weekly hours decided) or its data is provisional. */
  provisional: boolean;
  /** Name of the public holiday, when the day is one. */
  holiday?: string;
  /** Name of the make-up working day (调休), when the day is one. */
  workday?: string;
  intervals: WorkingInterval[];
}

export interface BusinessResult {
  at: Date;
  provisional: boolean;
}

export interface BusinessCalendar {
  readonly id: string;
  readonly timeZone: string;
  /** Years whose holidays are loaded, ascending. */
  readonly loadedYears: readonly number[];
  /** The loaded years with their status and source, ascending. */
  readonly years: readonly CalendarYearSummary[];
  /**
   * The last day (`YYYY-MM-DD`) of the run of confirmed years that starts with the year `asOf` falls in
   * (local), or null when that year itself is not confirmed: deadlines up to this day are final.
   */
  confirmedThrough(asOf: Date): string | null;
  /** True when the local date has at least one working interval. */
  isWorkingDay(localDate: string): boolean;
  /** The local date's working intervals as instants, in order (empty on holidays and weekends). */
  workingIntervals(localDate: string): WorkingInterval[];
  /** Everything the calendar knows about one local date. */
  dayInfo(localDate: string): DayInfo;
  /** The earliest instant by which `minutes` business minutes have elapsed since `from`. */
  addBusinessMinutes(from: Date, minutes: number): BusinessResult;
  /** `addBusinessMinutes` with hours. */
  addBusinessHours(from: Date, hours: number): BusinessResult;
  /** Close of business (end of the last working interval) of the Nth working day after `from`'s local date. */
  addBusinessDays(from: Date, days: number): BusinessResult;
  /** Business minutes inside [a, b); negative when b is before a. */
  businessMinutesBetween(a: Date, b: Date): { minutes: number; provisional: boolean };
  /** `from` itself when it is inside a working interval, otherwise the start of the next one. */
  nextWorkingInstant(from: Date): Date;
  /** The first instant of a local date. */
  startOfDay(localDate: string): Date;
  /** The last millisecond of a local date (23:59:59.999 local), DST-safe. */
  endOfDay(localDate: string): Date;
  /** The local date an instant falls on. */
  localDateOf(instant: Date): string;
  /** ISO-8601 with the calendar's offset, e.g. `2026-10-09T17:30:00+08:00`. */
  formatLocal(instant: Date): string;
  /** Throws `CalendarYearNotLoadedError` when the year has no holiday data, or only provisional data. */
  requireYear(year: number): void;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
};

const wallClockOf = (formatter: Intl.DateTimeFormat, epochMs: number): WallClock => {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(epochMs)) {
    if (part.type in wall) wall[part.type as keyof WallClock] = Number(part.value);
  }
  return wall;
};

/** Offset of local wall time from UTC at an instant, in ms (UTC+8 gives +28 800 000). */
const offsetIn = (formatter: Intl.DateTimeFormat, epochMs: number): number => {
  const w = wallClockOf(formatter, epochMs);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(epochMs / 1000) * 1000;
};

/**
 * The instant of a local wall time. Offsets a day either side bracket any single transition: in an
 * overlap (clocks back) the earlier instant wins, in a gap (clocks forward) the wall time is pushed
 * forward by the gap, as `Temporal`'s "compatible" disambiguation does.
 */
const instantIn = (formatter: Intl.DateTimeFormat, dayNumber: number, minuteOfDay: number): number => {
  const wall = dayNumber * DAY_MS + minuteOfDay * MINUTE_MS;
  const before = offsetIn(formatter, wall - DAY_MS);
  const after = offsetIn(formatter, wall + DAY_MS);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  const valid = candidates.filter((t) => t + offsetIn(formatter, t) === wall);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
};

/** The instant a local date begins in a time zone (`2026-07-01` in `Asia/Shanghai` is 2026-06-30T16:00Z). */
export const startOfLocalDay = (localDate: string, timeZone: string): Date => {
  if (!isTimeZone(timeZone)) throw new InvalidCalendarArgumentError(`'${timeZone}' is not a time zone`);
  return new Date(instantIn(formatterFor(timeZone), dayNumberOrThrow(localDate), 0));
};

const assertInstant = (instant: Date, what: string): number => {
  const t = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new InvalidCalendarArgumentError(`${what} is not a valid Date`);
  return t;
};

const assertAmount = (amount: number, what: string): void => {
  if (!Number.isFinite(amount) || amount < 0) {
    throw new InvalidCalendarArgumentError(`${what} must be a finite, non-negative number (got ${amount})`);
  }
};

// Enough for every date a complaint system looks at; cleared rather than grown without bound.
const DAY_CACHE_LIMIT = 4096;

interface DayPlan {
  dayNumber: number;
  provisional: boolean;
  holiday?: string;
  workday?: string;
  /** [start, end) in epoch ms. */
  intervals: Array<readonly [number, number]>;
}

/** Validates calendar data (a `CalendarData`, or parsed JSON) and returns the engine; bad data throws `InvalidCalendarError`. */
export const businessCalendar = (raw: unknown): BusinessCalendar => {
  const parsed = calendarDataSchema.safeParse(raw);
  if (!parsed.success) {
    const id =
      typeof raw === "object" && raw !== null && "id" in raw ? String((raw as { id: unknown }).id) : "?";
    throw new InvalidCalendarError(`Calendar '${id}' is invalid:\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  const data = parsed.data;
  const { id, timeZone } = data;
  const formatter = formatterFor(timeZone);
  const weekly: Record<Weekday, Array<readonly [number, number]>> = Object.fromEntries(
    WEEKDAYS.map((d) => [d, data.weeklyHours[d].map((h) => [toMinutes(h.start), toMinutes(h.end)] as const)]),
  ) as Record<Weekday, Array<readonly [number, number]>>;
  const years = new Map<
    number,
    { provisional: boolean; holidays: Map<string, string>; workdays: Map<string, string> }
  >();
  for (const [year, entry] of Object.entries(data.years)) {
    years.set(Number(year), {
      provisional: entry.status === "provisional",
      holidays: new Map(entry.holidays.map((h) => [h.date, h.name])),
      workdays: new Map(entry.workdays.map((w) => [w.date, w.name])),
    });
  }
  const loadedYears = [...years.keys()].sort((a, b) => a - b);
  const yearSummaries: CalendarYearSummary[] = loadedYears.map((year) => {
    const { status, source } = data.years[year]!;
    return { year, status, source };
  });

  const offsetAt = (epochMs: number): number => offsetIn(formatter, epochMs);
  const instantOf = (dayNumber: number, minuteOfDay: number): number =>
    instantIn(formatter, dayNumber, minuteOfDay);

  const dayNumberOfInstant = (epochMs: number): number => {
    const w = wallClockOf(formatter, epochMs);
    return Date.UTC(w.year, w.month - 1, w.day) / DAY_MS;
  };

  const cache = new Map<number, DayPlan>();
  const planOf = (dayNumber: number): DayPlan => {
    const cached = cache.get(dayNumber);
    if (cached) return cached;
    const localDate = isoOfDay(dayNumber);
    const year = years.get(Number(localDate.slice(0, 4)));
    const holiday = year?.holidays.get(localDate);
    const workday = year?.workdays.get(localDate);
    const hours =
      holiday !== undefined ? [] : workday !== undefined ? weekly.mon : weekly[weekdayOfDay(dayNumber)];
    const intervals = hours
      .map(([s, e]) => [instantOf(dayNumber, s), instantOf(dayNumber, e)] as const)
      // A DST gap can swallow an interval that lies inside it.
      .filter(([s, e]) => e > s);
    const plan: DayPlan = { dayNumber, provisional: year === undefined || year.provisional, intervals };
    if (holiday !== undefined) plan.holiday = holiday;
    if (workday !== undefined) plan.workday = workday;
    if (cache.size >= DAY_CACHE_LIMIT) cache.clear();
    cache.set(dayNumber, plan);
    return plan;
  };

  const toIntervals = (plan: DayPlan): WorkingInterval[] =>
    plan.intervals.map(([s, e]) => ({ start: new Date(s), end: new Date(e) }));

  const addBusinessMinutes = (from: Date, minutes: number): BusinessResult => {
    const t0 = assertInstant(from, "from");
    assertAmount(minutes, "minutes");
    if (minutes === 0) return { at: new Date(t0), provisional: false };
    let remaining = minutes * MINUTE_MS;
    let provisional = false;
    for (let n = dayNumberOfInstant(t0); ; n++) {
      const plan = planOf(n);
      provisional ||= plan.provisional;
      for (const [s, e] of plan.intervals) {
        if (e <= t0) continue;
        const start = Math.max(s, t0);
        // `<=` lands exactly on the interval's end (17:00), not on the next morning.
        if (remaining <= e - start) return { at: new Date(start + remaining), provisional };
        remaining -= e - start;
      }
    }
  };

  const addBusinessDays = (from: Date, days: number): BusinessResult => {
    const t0 = assertInstant(from, "from");
    if (!Number.isInteger(days) || days < 1) {
      throw new InvalidCalendarArgumentError(`days must be a positive integer (got ${days})`);
    }
    let provisional = false;
    let counted = 0;
    let n = dayNumberOfInstant(t0);
    let close = 0;
    while (counted < days) {
      n++;
      const plan = planOf(n);
      provisional ||= plan.provisional;
      const last = plan.intervals.at(-1);
      if (last) {
        counted++;
        close = last[1];
      }
    }
    return { at: new Date(close), provisional };
  };

  const businessMinutesBetween = (a: Date, b: Date): { minutes: number; provisional: boolean } => {
    const ta = assertInstant(a, "a");
    const tb = assertInstant(b, "b");
    if (tb < ta) {
      const reverse = businessMinutesBetween(b, a);
      return { minutes: -reverse.minutes, provisional: reverse.provisional };
    }
    if (tb === ta) return { minutes: 0, provisional: false };
    let totalMs = 0;
    let provisional = false;
    const lastDay = dayNumberOfInstant(tb);
    for (let n = dayNumberOfInstant(ta); n <= lastDay; n++) {
      const plan = planOf(n);
      provisional ||= plan.provisional;
      for (const [s, e] of plan.intervals) {
        const overlap = Math.min(e, tb) - Math.max(s, ta);
        if (overlap > 0) totalMs += overlap;
      }
    }
    return { minutes: totalMs / MINUTE_MS, provisional };
  };

  const nextWorkingInstant = (from: Date): Date => {
    const t0 = assertInstant(from, "from");
    for (let n = dayNumberOfInstant(t0); ; n++) {
      for (const [s, e] of planOf(n).intervals) {
        if (e > t0) return new Date(Math.max(s, t0));
      }
    }
  };

  const formatLocal = (instant: Date): string => {
    const t = assertInstant(instant, "instant");
    const w = wallClockOf(formatter, t);
    const offsetMinutes = Math.round(offsetAt(t) / MINUTE_MS);
    const p2 = (v: number) => String(v).padStart(2, "0");
    const ms = ((t % 1000) + 1000) % 1000;
    const fraction = ms === 0 ? "" : `.${String(ms).padStart(3, "0")}`;
    const sign = offsetMinutes < 0 ? "-" : "+";
    const abs = Math.abs(offsetMinutes);
    return `${String(w.year).padStart(4, "0")}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}${fraction}${sign}${p2(Math.floor(abs / 60))}:${p2(abs % 60)}`;
  };

  return {
    id,
    timeZone,
    loadedYears,
    years: yearSummaries,
    confirmedThrough: (asOf) => {
      const current = Number(isoOfDay(dayNumberOfInstant(assertInstant(asOf, "asOf"))).slice(0, 4));
      let year = current;
      while (data.years[year]?.status === "confirmed") year++;
      return year === current ? null : `${year - 1}-12-31`;
    },
    isWorkingDay: (localDate) => planOf(dayNumberOrThrow(localDate)).intervals.length > 0,
    workingIntervals: (localDate) => toIntervals(planOf(dayNumberOrThrow(localDate))),
    dayInfo: (localDate) => {
      const plan = planOf(dayNumberOrThrow(localDate));
      const info: DayInfo = {
        localDate: isoOfDay(plan.dayNumber),
        working: plan.intervals.length > 0,
        provisional: plan.provisional,
        intervals: toIntervals(plan),
      };
      if (plan.holiday !== undefined) info.holiday = plan.holiday;
      if (plan.workday !== undefined) info.workday = plan.workday;
      return info;
    },
    addBusinessMinutes,
    addBusinessHours: (from, hours) => {
      assertAmount(hours, "hours");
      return addBusinessMinutes(from, hours * 60);
    },
    addBusinessDays,
    businessMinutesBetween,
    nextWorkingInstant,
    startOfDay: (localDate) => new Date(instantOf(dayNumberOrThrow(localDate), 0)),
    // The next day's first instant minus 1 ms, so a 23- or 25-hour day still ends at 23:59:59.999.
    endOfDay: (localDate) => new Date(instantOf(dayNumberOrThrow(localDate) + 1, 0) - 1),
    localDateOf: (instant) => isoOfDay(dayNumberOfInstant(assertInstant(instant, "instant"))),
    formatLocal,
    requireYear: (year) => {
      const loaded = years.get(year);
      if (!loaded || loaded.provisional) throw new CalendarYearNotLoadedError(id, year, loaded !== undefined);
    },
  };
};
