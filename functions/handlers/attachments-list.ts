import { lookupDependencies } from "../adapters/runtime";
import { listAttachments } from "../app/attachments";
import { complaintIdSchema } from "../domain/schemas";
import { httpHandler, pathParam } from "../http/middleware";
import { callerOf } from "./attachments-caller";

/** GET /complaints/{id}/attachments and GET /staff/complaints/{id}/attachments — the files, no URLs. */
export const handler = httpHandler({ body: false, deps: lookupDependencies }, async (event, deps) => {
  const caller = callerOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  return { statusCode: 200, body: await listAttachments({ complaintId, caller }, deps) };
});
