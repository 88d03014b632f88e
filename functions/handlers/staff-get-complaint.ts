import { readDependencies } from "../adapters/runtime";
import { getForStaff } from "../app/queries";
import { complaintLookupSchema } from "../domain/schemas";
import { viewHeaders } from "../http/conditions";
import { staffOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** GET /staff/complaints/{id} — the whole complaint with its audit trail, by id or reference. */
export const handler = httpHandler({ body: false, deps: readDependencies }, async (event, deps) => {
  const staff = staffOf(event);
  const complaint = pathParam(event, "id", complaintLookupSchema);
  const view = await getForStaff({ complaint, staff }, deps);
  return { statusCode: 200, body: view, headers: viewHeaders(view) };
});
