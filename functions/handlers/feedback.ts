import { dependencies } from "../adapters/runtime";
import { customerFeedback } from "../app/customer-actions";
import { complaintIdSchema, feedbackSchema } from "../domain/schemas";
import { decisionConditionsOf, viewHeaders } from "../http/conditions";
import { parseOrThrow } from "../http/errors";
import { channelOf } from "../http/identity";
import { httpHandler, pathParam } from "../http/middleware";

/** POST /complaints/{id}/feedback — satisfaction 1-5, accept (closes) or reopen (back to staff, one tier up). */
export const handler = httpHandler({ body: true, deps: dependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const complaintId = pathParam(event, "id", complaintIdSchema);
  const conditions = decisionConditionsOf(event);
  const feedback = parseOrThrow(feedbackSchema, event.body, "body");
  const answer = await customerFeedback({ complaintId, channel, feedback, ...conditions }, deps);
  return { statusCode: 200, body: answer.response, headers: viewHeaders(answer) };
});
