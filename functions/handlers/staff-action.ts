import { dependencies } from "../adapters/runtime";
import { actOnComplaint } from "../app/staff-actions";
import { complaintIdSchema, staffActionSchema } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** POST /staff/complaints/{id}/actions — one endpoint, discriminated by `type`. */
export const handler = httpHandler({ body: true, deps: dependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const action = parseOrThrow(staffActionSchema, event.body, "body");
  const result = await actOnComplaint({ complaintId, action, staff }, deps);
  return { statusCode: 200, body: result.complaint };
});
