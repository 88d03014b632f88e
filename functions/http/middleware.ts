import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { corsHeaders, logger } from "../adapters/runtime";
import { complaintIdSchema, isComplaintReference } from "../domain/schemas";
import type * as z from "../domain/zod";
import { parseJsonBody } from "./body";
import { errorBody, HttpError, parseOrThrow, toHttpError } from "./errors";
import { eventKind } from "./event-kind";

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

/** A handler's answer before serialisation. */
export interface Reply {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const optionalObject = (v: unknown) => v === undefined || v === null || isObject(v);

/**
 * The id a client can quote: API Gateway's request id (`$context.requestId`, the same one its own error
 * answers carry), or the Lambda invocation's when the event did not come through API Gateway.
 */
export const requestIdOf = (event: unknown, context: Partial<Context> | undefined): string => {
  const fromGateway =
    isObject(event) && isObject(event.requestContext) ? event.requestContext.requestId : null;
  return typeof fromGateway === "string" && fromGateway ? fromGateway : (context?.awsRequestId ?? "unknown");
};

/** What an API Gateway REST proxy event (payload 1.0) must carry for these handlers to read it. */
const PROXY_EVENT_FIELDS: [field: string, ok: (v: unknown) => boolean, must: string][] = [
  ["httpMethod", (v) => typeof v === "string", "must be the HTTP method"],
  ["requestContext", isObject, "must be API Gateway's request context"],
  ["headers", optionalObject, "must be an object of header values"],
  ["multiValueHeaders", optionalObject, "must be an object of header value lists"],
  ["queryStringParameters", optionalObject, "must be an object or null"],
  ["pathParameters", optionalObject, "must be an object or null"],
  ["body", (v) => v === undefined || v === null || typeof v === "string", "must be a string or null"],
  ["isBase64Encoded", (v) => v === undefined || typeof v === "boolean", "must be a boolean"],
];

/**
 * Turns away an event that is not an API Gateway REST proxy event (a direct invoke, a console test event)
 * with a 400 naming what is missing, and logs what it was, instead of failing on it further down.
 */
const proxyEventShape = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async ({ event }: Request) => {
    const wrong = isObject(event)
      ? PROXY_EVENT_FIELDS.filter(([field, ok]) => !ok(event[field]))
      : PROXY_EVENT_FIELDS.slice(0, 2);
    if (wrong.length === 0) return;
    logger.error("not an API Gateway proxy event", {
      expected: "API Gateway REST API proxy event (payload 1.0)",
      received: eventKind(event),
      wrongFields: wrong.map(([field]) => field),
    });
    throw new HttpError(
      400,
      "VALIDATION_FAILED",
      "The event is not an API Gateway REST proxy event",
      wrong.map(([field, , must]) => ({ path: `event.${field}`, message: must })),
    );
  },
});

/** Header names in lower case, into a map without a prototype: no header name can shadow or poison one. */
const lowerCaseKeys = <T>(map: Record<string, T | undefined> | null | undefined) => {
  if (!map) return undefined;
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of Object.entries(map)) if (value !== undefined) out[key.toLowerCase()] = value;
  return out;
};

/**
 * Lower-cases header names (as `@middy/http-header-normalizer` does) into prototype-less maps: its plain
 * objects let a header named `__proto__` (which API Gateway's JSON event carries as an own key) replace
 * their prototype.
 */
const headerNames = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async ({ event }: Request) => {
    event.headers = lowerCaseKeys(event.headers) ?? (Object.create(null) as Record<string, string>);
    if (!event.multiValueHeaders) return;
    // Names that differ only in case are one header: their values are kept together, so a repeat shows.
    const multi = Object.create(null) as Record<string, string[]>;
    for (const [key, values] of Object.entries(event.multiValueHeaders)) {
      const name = key.toLowerCase();
      multi[name] = [...(multi[name] ?? []), ...(Array.isArray(values) ? values : [String(values)])];
    }
    event.multiValueHeaders = multi;
  },
});

/** Headers that must come once: two `Idempotency-Key`s (or tokens, or preconditions) leave it unsaid which counts. */
const SINGLE_HEADERS = ["Idempotency-Key", "If-Match", "Authorization"];

/** API Gateway passes every value of a repeated header in `multiValueHeaders` (and the last in `headers`). */
const singleHeaders = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async ({ event }: Request) => {
    const repeated = SINGLE_HEADERS.filter(
      (name) => (event.multiValueHeaders?.[name.toLowerCase()]?.length ?? 0) > 1,
    );
    if (repeated.length > 0) {
      throw new HttpError(
        400,
        "VALIDATION_FAILED",
        "A header that may be sent once was sent more than once",
        repeated.map((name) => ({ path: `header.${name}`, message: "must be sent once" })),
      );
    }
  },
});

/** Parses the body by the rules in `body.ts` (size, compression, media type, UTF-8, JSON). */
const jsonBody = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async ({ event }: Request) => {
    event.body = parseJsonBody(event) as APIGatewayProxyEvent["body"];
  },
});

/** Routes whose `{id}` is a complaint (not a customer): their id is logged on every line of the request. */
const COMPLAINT_RESOURCE = /\/complaints\/\{id\}/;

/**
 * Every log line of the request carries API Gateway's request id as `correlation_id` and, where the path
 * names one, the complaint's id (or the reference it was asked by). Keys are reset after the request.
 */
const requestKeys = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  before: async ({ event }: Request) => {
    if (!isObject(event)) return;
    const gatewayId = isObject(event.requestContext) ? event.requestContext.requestId : undefined;
    if (typeof gatewayId === "string") logger.setCorrelationId(gatewayId);
    const id = isObject(event.pathParameters) ? event.pathParameters.id : undefined;
    if (typeof event.resource !== "string" || !COMPLAINT_RESOURCE.test(event.resource)) return;
    if (typeof id !== "string") return;
    if (complaintIdSchema.safeParse(id).success) logger.appendKeys({ complaintId: id });
    else if (isComplaintReference(id)) logger.appendKeys({ reference: id });
  },
});

/**
 * Answers every error as `{ error: { code, message, details, requestId } }`. A 5xx is logged with the
 * request id; only the error's name, code and stack are: a request body or a cause may carry personal data.
 */
const errorResponses = (): middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request: Request) => {
    const requestId = requestIdOf(request.event, request.context);
    const http = toHttpError(request.error);
    if (http.statusCode >= 500) {
      logger.error("request failed", {
        requestId,
        status: http.statusCode,
        code: http.code,
        error: request.error?.name,
        stack: request.error?.stack,
      });
    }
    request.response = {
      statusCode: http.statusCode,
      headers: { ...JSON_HEADERS, ...corsHeaders(), ...http.headers },
      body: errorBody(http, requestId),
    };
  },
});

/**
 * Builds an HTTP Lambda handler: request-scoped logging (Powertools), the event's shape, header names,
 * single-valued headers, the body (POST), and error answers. `deps` is the wiring the handler needs
 * (`dependencies`, `readDependencies`, `lookupDependencies`... from the runtime): a handler that names the
 * smallest one that serves it carries only the clients and adapters it uses.
 */
export const httpHandler = <D>(
  options: { body: boolean; deps: () => D },
  fn: (event: APIGatewayProxyEvent, deps: D) => Promise<Reply>,
) => {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    // Registered first: its cleanup (keys reset) runs last, after the error answer has been logged.
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestKeys())
    .use(errorResponses())
    .use(proxyEventShape())
    .use(headerNames())
    .use(singleHeaders());
  if (options.body) handler.use(jsonBody());
  return handler.handler(async (event) => {
    const reply = await fn(event, options.deps());
    return {
      statusCode: reply.statusCode,
      headers: { ...JSON_HEADERS, ...corsHeaders(), ...reply.headers },
      body: JSON.stringify(reply.body),
    };
  });
};

/** Reads and validates a path parameter. */
export const pathParam = <T extends z.ZodMiniType>(
  event: APIGatewayProxyEvent,
  name: string,
  schema: T,
): z.infer<T> => parseOrThrow(schema, event.pathParameters?.[name], `path.${name}`);
