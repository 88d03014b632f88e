import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import type * as z from "zod";
import { logger } from "../adapters/runtime";
import { errorBody, HttpError, parseOrThrow, toHttpError } from "./errors";
import { MAX_BODY_BYTES } from "./limits";

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

/** A handler's answer before serialisation. */
export interface Reply {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Rejects bodies over the limit before anything parses them. */
const bodyLimit = (): middy.MiddlewareObj<APIGatewayProxyEvent> => ({
  before: async ({ event }) => {
    const body = event.body ?? "";
    const size = event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, "utf8");
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, "PAYLOAD_TOO_LARGE", `The request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    if (body.length === 0) throw new HttpError(400, "VALIDATION_FAILED", "A JSON request body is required");
  },
});

/** Turns the JSON parser's 415s into what they are: a wrong content type, or malformed JSON (400). */
const jsonErrors = (): middy.MiddlewareObj<APIGatewayProxyEvent> => ({
  onError: async (request) => {
    const e = request.error as { statusCode?: number; message?: string } | null;
    if (e?.statusCode === 415) {
      request.error =
        e.message === "Unsupported Media Type"
          ? new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json")
          : new HttpError(400, "MALFORMED_JSON", "The request body is not valid JSON");
    }
  },
});

/**
 * Answers every error as `{ error: { code, message, details } }`. Only the error's name and code are
 * logged: a request body or a cause may carry personal data.
 */
const errorResponses = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const http = toHttpError(request.error);
    if (http.statusCode >= 500) {
      logger.error("request failed", {
        error: request.error?.name,
        code: http.code,
        stack: request.error?.stack,
      });
    }
    request.response = {
      statusCode: http.statusCode,
      headers: { ...JSON_HEADERS, ...http.headers },
      body: errorBody(http),
    };
  },
});

/**
 * Builds an HTTP Lambda handler: normalise headers, parse and bound the body (POST), map errors. `deps`
 * is the wiring the handler needs (`dependencies` or `readDependencies` from the runtime): a read-only
 * handler that names the smaller one carries only the clients it uses.
 */
export const httpHandler = <D>(
  options: { body: boolean; deps: () => D },
  fn: (event: APIGatewayProxyEvent, deps: D) => Promise<Reply>,
) => {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(errorResponses())
    .use(httpHeaderNormalizer());
  if (options.body) handler.use(bodyLimit()).use(jsonErrors()).use(httpJsonBodyParser());
  return handler.handler(async (event) => {
    const reply = await fn(event, options.deps());
    return {
      statusCode: reply.statusCode,
      headers: { ...JSON_HEADERS, ...reply.headers },
      body: JSON.stringify(reply.body),
    };
  });
};

/** Reads and validates a path parameter. */
export const pathParam = <T extends z.ZodType>(
  event: APIGatewayProxyEvent,
  name: string,
  schema: T,
): z.infer<T> => parseOrThrow(schema, event.pathParameters?.[name], `path.${name}`);
