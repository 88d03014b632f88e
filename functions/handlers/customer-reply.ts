import { dependencies } from "../adapters/runtime";
import { customerReply } from "../app/customer-actions";
import { complaintIdSchema, customerReplySchema } from "../domain/schemas";
import { decisionConditionsOf, viewHeaders } from "../http/conditions";
import { parseOrThrow } from "../http/errors";
import { channelOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** POST /complaints/{id}/customer-reply — answers a request for information; the clocks resume. */
export const handler = httpHandler({ body: true, deps: dependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const conditions = decisionConditionsOf(event);
  const reply = parseOrThrow(customerReplySchema, event.body, "body");
  const answer = await customerReply({ complaintId, channel, reply, ...conditions }, deps);
  return { statusCode: 200, body: answer.response, headers: viewHeaders(answer) };
});
