import { readDependencies } from "../adapters/runtime";
import { getForStaff } from "../app/queries";
import { complaintIdSchema } from "../domain/schemas";
import { staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /staff/complaints/{id} — the whole complaint with its audit trail. */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  return { statusCode: 200, body: await getForStaff({ complaintId, staff }, deps) };
});
