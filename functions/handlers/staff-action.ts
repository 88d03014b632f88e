import { dependencies } from "../adapters/runtime";
import { actOnComplaint } from "../app/staff-actions";
import { complaintIdSchema, staffActionSchema } from "../domain/schemas";
import { decisionConditionsOf, viewHeaders } from "../http/conditions";
import { parseOrThrow } from "../http/errors";
import { staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/**
 * POST /staff/complaints/{id}/actions — one endpoint, discriminated by `type`; `If-Match` makes it
 * conditional on the version the member of staff saw, `Idempotency-Key` makes a retry safe.
 */
export const handler = httpHandler({ body: true, deps: dependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const conditions = decisionConditionsOf(event);
  const action = parseOrThrow(staffActionSchema, event.body, "body");
  const answer = await actOnComplaint({ complaintId, action, staff, ...conditions }, deps);
  return { statusCode: 200, body: answer.response, headers: viewHeaders(answer) };
});
