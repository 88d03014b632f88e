import { attachmentDependencies } from "../adapters/runtime";
import { requestAttachment } from "../app/attachments";
import { attachmentUploadRequestSchema, complaintIdSchema } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { httpHandler, pathParam } from "../http/middleware";
import { callerOf } from "./attachments-caller";

/** POST /complaints/{id}/attachments and POST /staff/complaints/{id}/attachments — a presigned upload. */
export const handler = httpHandler({ body: true, deps: attachmentDependencies }, async (event, deps) => {
  const caller = callerOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const request = parseOrThrow(attachmentUploadRequestSchema, event.body, "body");
  return { statusCode: 201, body: await requestAttachment({ complaintId, caller, request }, deps) };
});
