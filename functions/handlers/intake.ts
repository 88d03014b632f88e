import { commitDependencies } from "../adapters/runtime";
import { submitComplaint } from "../app/intake";
import { idempotencyKeySchema, intakeRequestSchema } from "../domain/schemas";
import { HttpError, parseOrThrow } from "../http/errors";
import { channelOf } from "../http/identity";
import { httpHandler } from "../http/middleware";

/** POST /complaints — 201 with the acknowledgement; a replay of the same key and body answers 200. */
export const handler = httpHandler({ body: true, deps: commitDependencies }, async (event, deps) => {
  const channel = channelOf(event, deps.channelApiKeys);
  const key = event.headers["idempotency-key"];
  if (!key) throw new HttpError(400, "MISSING_IDEMPOTENCY_KEY", "The Idempotency-Key header is required");
  const idempotencyKey = parseOrThrow(idempotencyKeySchema, key, "header.Idempotency-Key");
  const request = parseOrThrow(intakeRequestSchema, event.body, "body");
  const result = await submitComplaint({ channel, idempotencyKey, request }, deps);
  return {
    statusCode: result.created ? 201 : 200,
    body: result.response,
    headers: { Location: `/complaints/${result.response.id}` },
  };
});
