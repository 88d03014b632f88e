import { readDependencies } from "../adapters/runtime";
import { noticesForChannel, noticesForStaff } from "../app/customer-notices";
import { complaintIdSchema } from "../domain/schemas";
import { channelOf, staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/**
 * GET /complaints/{id}/notices (the owning channel) and GET /staff/complaints/{id}/notices (staff of the
 * complaint's team): the route says who the caller is, so a credential of the other kind is never read.
 */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const body = event.resource?.startsWith("/staff/")
    ? await noticesForStaff({ complaintId, staff: staffOf(event) }, deps)
    : await noticesForChannel({ complaintId, channel: channelOf(event, deps.channelApiKeys) }, deps);
  return { statusCode: 200, body };
});
