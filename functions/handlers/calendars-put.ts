import { calendarDependencies } from "../adapters/runtime";
import { assertCalendarManager, knownCalendar, loadCalendarYear } from "../app/calendars";
import { confirmedYearSchema } from "../domain/calendar";
import { calendarYearParams } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

/**
 * PUT /calendars/{id}/years/{year} — a manager loads a year's official list (audited), and the deadlines
 * of the calendar's open complaints are recomputed by a job that follows.
 */
export const handler = httpHandler({ body: true, deps: calendarDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  assertCalendarManager(staff);
  const params = parseOrThrow(calendarYearParams, event.pathParameters ?? {}, "path");
  const calendar = knownCalendar(params.id);
  const year = parseOrThrow(confirmedYearSchema(calendar, params.year), event.body, "body");
  const result = await loadCalendarYear({ year, staff }, deps);
  return { statusCode: 200, body: result };
});
