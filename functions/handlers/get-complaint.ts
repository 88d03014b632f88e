import { readDependencies } from "../adapters/runtime";
import { getForChannel } from "../app/queries";
import { complaintIdSchema } from "../domain/schemas";
import { channelOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /complaints/{id} — the channel's own view of one of its complaints. */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  return { statusCode: 200, body: await getForChannel({ complaintId, channel }, deps) };
});
