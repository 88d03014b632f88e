import type { APIGatewayProxyEvent } from "aws-lambda";
import { idempotencyKeySchema } from "../domain/schemas";
import { etagOf, HttpError, parseOrThrow } from "./errors";

/*
 * The request conditions a decision may carry (RFC 9110): `If-Match` with the ETags of complaint views
 * (`"7"`: the complaint's version), and `Idempotency-Key` for a retry that must not apply twice.
 */

const ETAG = /^(?:W\/)?"(\d{1,9})"$/;

/**
 * The versions an `If-Match` accepts; undefined without one (or with `*`: any current one). A value that
 * is not a list of our entity tags is a 400 at `header.If-Match`.
 */
export const ifMatchOf = (event: APIGatewayProxyEvent): number[] | undefined => {
  const raw = event.headers["if-match"]?.trim();
  if (raw === undefined || raw === "" || raw === "*") return undefined;
  const versions = raw.split(",").map((tag) => ETAG.exec(tag.trim())?.[1]);
  if (versions.some((v) => v === undefined)) {
    throw new HttpError(400, "VALIDATION_FAILED", "The If-Match header is not valid", [
      { path: "header.If-Match", message: 'must be the ETag of a complaint view, such as "7"' },
    ]);
  }
  return versions.map(Number);
};

/** The optional `Idempotency-Key` of a decision (same rules as intake's). */
export const decisionKeyOf = (event: APIGatewayProxyEvent): string | undefined => {
  const raw = event.headers["idempotency-key"];
  return raw === undefined ? undefined : parseOrThrow(idempotencyKeySchema, raw, "header.Idempotency-Key");
};

/** Both conditions of a decision, as the use cases take them (absent ones left out). */
export const decisionConditionsOf = (
  event: APIGatewayProxyEvent,
): { ifMatch?: number[]; idempotencyKey?: string } => {
  const ifMatch = ifMatchOf(event);
  const idempotencyKey = decisionKeyOf(event);
  return { ...(ifMatch ? { ifMatch } : {}), ...(idempotencyKey ? { idempotencyKey } : {}) };
};

/** The headers of an answer that shows a complaint: its ETag (and, for a replay, that it is one). */
export const viewHeaders = (answer: { version: number; replayed?: boolean }): Record<string, string> => ({
  ETag: etagOf(answer.version),
  ...(answer.replayed ? { "Idempotent-Replayed": "true" } : {}),
});
