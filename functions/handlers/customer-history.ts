import { readDependencies } from "../adapters/runtime";
import { customerHistory, customerHistoryQuerySchema, customerIdSchema } from "../app/customer-history";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /customers/{id}/complaints — a customer's complaints, newest first, cursor-paginated (staff). */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const customerId = pathParam(event, "id", customerIdSchema);
  const query = parseOrThrow(customerHistoryQuerySchema, event.queryStringParameters ?? {}, "query");
  return { statusCode: 200, body: await customerHistory({ customerId, staff, ...query }, deps) };
});
