import { lookupDependencies } from "../adapters/runtime";
import { getForChannel } from "../app/queries";
import { complaintLookupSchema } from "../domain/schemas";
import { viewHeaders } from "../http/conditions";
import { channelOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /complaints/{id} — the channel's own view of one of its complaints, by id or reference. */
export const handler = httpHandler({ body: false, deps: lookupDependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const complaint = pathParam(event, "id", complaintLookupSchema);
  const view = await getForChannel({ complaint, channel }, deps);
  return { statusCode: 200, body: view, headers: viewHeaders(view) };
});
