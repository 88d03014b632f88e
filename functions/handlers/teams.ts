import { lookupDependencies } from "../adapters/runtime";
import { listTeams } from "../app/queries";
import { defaultRoutingTable } from "../domain/routing";
import { teamsQuerySchema } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

/** GET /teams — the teams complaints are routed to, and which of them the caller belongs to (staff). */
export const handler = httpHandler({ body: false, deps: lookupDependencies }, async (event) => {
  const staff = staffOf(event);
  parseOrThrow(teamsQuerySchema, event.queryStringParameters ?? {}, "query");
  return { statusCode: 200, body: listTeams({ staff, routing: defaultRoutingTable }) };
});
