import { dependencies } from "../adapters/runtime";
import { customerReply } from "../app/customer-actions";
import { complaintIdSchema, customerReplySchema } from "../domain/schemas";
import { parseOrThrow } from "../http/errors";
import { channelOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** POST /complaints/{id}/customer-reply — answers a request for information; the clocks resume. */
export const handler = httpHandler({ body: true, deps: dependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const reply = parseOrThrow(customerReplySchema, event.body, "body");
  return { statusCode: 200, body: await customerReply({ complaintId, channel, reply }, deps) };
});
