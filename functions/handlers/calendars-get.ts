import { calendarDependencies } from "../adapters/runtime";
import { calendarsView } from "../app/calendars";
import { calendarsQuerySchema } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

/** GET /calendars — every calendar's years, where each came from, its horizon; recent loads and jobs (managers). */
export const handler = httpHandler({ body: false, deps: calendarDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  parseOrThrow(calendarsQuerySchema, event.queryStringParameters ?? {}, "query");
  return { statusCode: 200, body: await calendarsView({ staff }, deps) };
});
