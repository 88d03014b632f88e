import { attachmentDependencies } from "../adapters/runtime";
import { downloadAttachment } from "../app/attachments";
import { attachmentIdSchema, complaintIdSchema } from "../domain/schemas";
import { httpHandler, pathParam } from "../http/middleware";
import { callerOf } from "./attachments-caller";

/** GET /complaints/{id}/attachments/{attachmentId} (and the staff route) — a short-lived download URL. */
export const handler = httpHandler({ body: false, deps: attachmentDependencies }, async (event, deps) => {
  const caller = callerOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const attachmentId = pathParam(event, "attachmentId", attachmentIdSchema);
  return { statusCode: 200, body: await downloadAttachment({ complaintId, attachmentId, caller }, deps) };
});
