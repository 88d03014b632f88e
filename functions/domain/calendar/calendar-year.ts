import * as z from "../zod";
import {
  CALENDAR_YEAR_STATUSES,
  type CalendarYearStatus,
  checkYearDays,
  InvalidCalendarError,
  type NamedDate,
  namedDateSchema,
} from "./business-calendar";
import { CALENDAR_IDS, type CalendarId, isCalendarId } from "./definitions";

/** One year of one calendar: the unit that is shipped as a file, and that an operator loads. */
export interface CalendarYearData {
  readonly calendar: CalendarId;
  readonly year: number;
  readonly status: CalendarYearStatus;
  /** The official publication and its URL, and the maintained package the dates are generated and checked with. */
  readonly source: string;
  readonly holidays: readonly NamedDate[];
  /** Make-up working days (调休): weekend days that are working days, with the Monday hours. */
  readonly workdays: readonly NamedDate[];
}

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;

/** One calendar year as an operator PUTs it (and as each shipped file is); every refusal names its path. */
export const calendarYearSchema = /* @__PURE__ */ (() =>
  z
    .strictObject({
      calendar: z.enum(CALENDAR_IDS, { error: `calendar must be one of ${CALENDAR_IDS.join(", ")}` }),
      year: z
        .number()
        .check(
          z.int("year must be a whole number"),
          z.gte(MIN_CALENDAR_YEAR, `year must be between ${MIN_CALENDAR_YEAR} and ${MAX_CALENDAR_YEAR}`),
          z.lte(MAX_CALENDAR_YEAR, `year must be between ${MIN_CALENDAR_YEAR} and ${MAX_CALENDAR_YEAR}`),
        ),
      status: z
        .enum(CALENDAR_YEAR_STATUSES)
        .check(
          z.describe(
            "confirmed: from the official list; provisional: computed from rules until it is published",
          ),
        ),
      source: z
        .string()
        .check(
          z.trim(),
          z.minLength(1, "source must name the official publication (and its URL) the dates come from"),
        ),
      holidays: z.array(namedDateSchema).check(z.describe("closed days, local dates YYYY-MM-DD")),
      workdays: z
        .array(namedDateSchema)
        .check(z.describe("make-up working days (调休): weekend days that are worked")),
    })
    .check(z.superRefine((y, ctx) => checkYearDays(y.year, y, ctx))))();

/** Validates one calendar year; bad data throws `InvalidCalendarError` listing every problem with its path. */
export const parseCalendarYear = (raw: unknown, what = "Calendar year"): CalendarYearData => {
  const parsed = calendarYearSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidCalendarError(`${what} is invalid:\n${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
};

/** A shipped file as TypeScript types a JSON import: its strings are not narrowed yet. */
export interface CalendarYearJson {
  calendar: string;
  year: number;
  status: string;
  source: string;
  holidays: readonly NamedDate[];
  workdays: readonly NamedDate[];
}

const isStatus = (status: string): status is CalendarYearStatus =>
  (CALENDAR_YEAR_STATUSES as readonly string[]).includes(status);

/**
 * Types one shipped file, checking only its two enumerations so a cold start stays cheap: the day checks
 * run when its calendar is first built (`businessCalendar`), and the unit tests run `calendarYearSchema`
 * on every file.
 */
export const shippedYear = (json: CalendarYearJson): CalendarYearData => {
  const { calendar, status } = json;
  if (!isCalendarId(calendar) || !isStatus(status)) {
    throw new InvalidCalendarError(
      `Shipped calendar year ${calendar}/${json.year} has calendar '${calendar}' and status '${status}'`,
    );
  }
  return { ...json, calendar, status };
};

/**
 * What an operator PUTs to `/calendars/{id}/years/{year}`: the official list of one year. The id and the
 * year come from the path, and a loaded year is always `confirmed` (a provisional year is computed, never
 * typed in). Every refusal names the field: `holidays.3.date`, `workdays.0.date`, `source`.
 */
export const calendarLoadSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    source: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, "source must name the official publication (and its URL) the dates come from"),
        z.maxLength(500, "source is at most 500 characters"),
      ),
    holidays: z
      .array(namedDateSchema)
      .check(
        z.maxLength(60, "a year has at most 60 holidays"),
        z.describe("closed days, local dates YYYY-MM-DD"),
      ),
    workdays: z
      .array(namedDateSchema)
      .check(
        z.maxLength(20, "a year has at most 20 make-up working days"),
        z.describe("make-up working days (调休): weekend days that are worked"),
      ),
  }))();
export type CalendarLoad = z.infer<typeof calendarLoadSchema>;

/** The confirmed year a load describes; its day checks fail under the body's own paths (`holidays.2.date`). */
export const confirmedYearSchema = (calendar: CalendarId, year: number) =>
  z.pipe(
    calendarLoadSchema.check(z.superRefine((body, ctx) => checkYearDays(year, body, ctx))),
    z.transform(
      (body): CalendarYearData => ({
        calendar,
        year,
        status: "confirmed",
        source: body.source,
        holidays: [...body.holidays].sort((a, b) => a.date.localeCompare(b.date)),
        workdays: [...body.workdays].sort((a, b) => a.date.localeCompare(b.date)),
      }),
    ),
  );
