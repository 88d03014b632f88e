import { readDependencies } from "../adapters/runtime";
import { teamQueue } from "../app/queries";
import { queueQuerySchema, teamSchema } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /queues/{team} — open complaints of a team, nearest deadline first, cursor-paginated. */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const team = pathParam(event, "team", teamSchema);
  const query = parseOrThrow(queueQuerySchema, event.queryStringParameters ?? {}, "query");
  return { statusCode: 200, body: await teamQueue({ team, staff, ...query }, deps) };
});
