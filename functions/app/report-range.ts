import { isTimeZone, startOfLocalDay } from "../domain/calendar";
import { calendarDateSchema, instantSchema } from "../domain/schemas";
import * as z from "../domain/zod";

const DAY = 86_400_000;
/** The longest range a report covers: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;

const dateOrInstant = /* @__PURE__ */ (() =>
  z
    .union([instantSchema, calendarDateSchema])
    .check(z.describe("an ISO instant with an offset, or a date (midnight in timeZone)")))();

/**
 * The fields of a report over a range [from, to): ISO instants with an offset, or bare dates, which are
 * midnights in `timeZone` (an IANA name, `UTC` when omitted; `Asia/Shanghai` gives the Beijing days the
 * regulatory report uses). Every ranged report spreads these into its query object, then applies
 * `toRange` and `checkRange`, so they all read dates the same way.
 */
export const RANGE_FIELDS = {
  from: dateOrInstant,
  to: dateOrInstant,
  timeZone: z
    ._default(
      z
        .string()
        .check(z.refine(isTimeZone, "must be an IANA time zone such as Asia/Shanghai or Europe/London")),
      "UTC",
    )
    .check(z.describe("IANA time zone in which bare dates are midnights (default UTC), e.g. Asia/Shanghai")),
};

const instantOf = (value: string, timeZone: string): Date =>
  value.length === 10 ? startOfLocalDay(value, timeZone) : new Date(value);

/** Turns the parsed fields into instants. */
export const toRange = <Q extends { from: string; to: string; timeZone: string }>(q: Q) => ({
  ...q,
  from: instantOf(q.from, q.timeZone),
  to: instantOf(q.to, q.timeZone),
});

/** Report cells are quarter-hours of UTC: a range's ends must fall on one (every zone's midnight does). */
const QUARTER_HOUR = 15 * 60_000;

/** `to` after `from`, at most `MAX_RANGE_DAYS` apart, both on a quarter-hour; issues point at the field. */
export const checkRange = (q: { from: Date; to: Date }, ctx: z.core.$RefinementCtx): void => {
  for (const field of ["from", "to"] as const) {
    if (q[field].getTime() % QUARTER_HOUR !== 0) {
      ctx.addIssue({
        code: "custom",
        message: "must fall on a quarter-hour (reports are kept per quarter-hour of UTC)",
        path: [field],
      });
      return;
    }
  }
  if (q.to.getTime() <= q.from.getTime()) {
    ctx.addIssue({ code: "custom", message: "must be after 'from'", path: ["to"] });
  } else if (q.to.getTime() - q.from.getTime() > MAX_RANGE_DAYS * DAY) {
    ctx.addIssue({
      code: "custom",
      message: `the range may span at most ${MAX_RANGE_DAYS} days`,
      path: ["to"],
    });
  }
};
