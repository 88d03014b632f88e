import { readDependencies } from "../adapters/runtime";
import { noticesForChannel } from "../app/customer-notices";
import { complaintIdSchema } from "../domain/schemas";
import { channelOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /complaints/{id}/notices — the notices sent to the customer, for the owning channel. */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  return { statusCode: 200, body: await noticesForChannel({ complaintId, channel }, deps) };
});
