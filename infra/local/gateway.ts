import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { RedactingLogFormatter } from "../../functions/adapters/logging/redacting-log-formatter";
import { withOwnLogger } from "../../functions/adapters/runtime";
import type { Channel } from "../../functions/domain/codes";
import type { HandlerId } from "../../functions/handlers/catalog";
import { type ErrorCode, errorBody, HttpError } from "../../functions/http/errors";
import {
  GATEWAY_RESPONSES,
  type GatewayResponseType,
  gatewayErrorBody,
} from "../../functions/http/gateway-responses";
import { staffOf } from "../../functions/http/identity";
import { MAX_BODY_BYTES } from "../../functions/http/limits";
import { ROUTES, type Route } from "../../functions/http/routes";
import { verifyStaffToken } from "./auth";
import { listen } from "./listen";

export type HttpLambda = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

interface CompiledRoute extends Route {
  pattern: RegExp;
  params: string[];
}

const compile = (route: Route): CompiledRoute => {
  const params: string[] = [];
  const pattern = new RegExp(
    `^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      params.push(name);
      return "([^/]+)";
    })}$`,
  );
  return { ...route, pattern, params };
};

/** A fake Lambda context, enough for middy and Powertools: a fresh request id per invocation. */
export const lambdaContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: "512",
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "local",
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** What the gateway knows of a request when it hands it to a local-only endpoint. */
export interface LocalRequest {
  /** The id the gateway gave the request: in `x-amzn-RequestId`, every error body and the logs. */
  requestId: string;
}

export interface GatewayOptions {
  port: number;
  host?: string;
  handlers: Record<HandlerId, HttpLambda | undefined>;
  secret: Uint8Array;
  apiKeys: Map<string, { id: string; channel: Channel }>;
  /** Extra local-only pages (dashboard, sign-in, index) served before the API routes. */
  extra?: (req: IncomingMessage, res: ServerResponse, local: LocalRequest) => Promise<boolean>;
}

const JSON_TYPE = { "Content-Type": "application/json; charset=utf-8" };

/** Sends an answer (once); the request id header is already set. */
export const send = (
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) => {
  if (res.headersSent) return;
  res.writeHead(status, { ...JSON_TYPE, ...headers });
  res.end(body);
};

/** Answers a local-only endpoint's error in the API's shape, with the request id. */
export const sendError = (
  res: ServerResponse,
  local: LocalRequest,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
) =>
  send(res, status, errorBody(new HttpError(status, code, message), local.requestId), {
    "Cache-Control": "no-store",
    ...headers,
  });

const gatewayError = (res: ServerResponse, type: GatewayResponseType, requestId: string) =>
  send(res, GATEWAY_RESPONSES[type].status, gatewayErrorBody(type, requestId));

/** The declared body length; NaN when none is declared (a chunked body, or none at all). */
const declaredLength = (req: IncomingMessage): number => {
  const value = req.headers["content-length"];
  return value === undefined ? Number.NaN : Number(value);
};

/**
 * Reads a request body of at most `cap` bytes. A declared `Content-Length` over the cap is refused before
 * a byte is read; an undeclared (chunked) body stops being read the moment it passes the cap. Either way
 * the answer is `too_large`, and the caller answers 413 at once (with `Connection: close`, so the rest
 * is never read).
 */
export const readBody = (req: IncomingMessage, cap: number): Promise<Buffer | "too_large"> => {
  if (declaredLength(req) > cap) return Promise.resolve("too_large");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= cap) return void chunks.push(c);
      req.off("data", onData);
      // Keep the socket flowing (discarding) until the 413 is out and the connection closes.
      req.resume();
      resolve("too_large");
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
};

/** Answers 413 in the API's shape and closes the connection: nothing more of the body is read. */
export const tooLarge = (res: ServerResponse, requestId: string) =>
  send(res, 413, gatewayErrorBody("REQUEST_TOO_LARGE", requestId), { Connection: "close" });

// ignoreBOM: a leading U+FEFF stays in the text, as it would in the string API Gateway passes on.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The body as the handler gets it. API Gateway passes a text body as a string; bytes that are not UTF-8
 * are never replaced here (`toString("utf8")` would turn them into U+FFFD before anyone could tell): they
 * go to the handler base64-encoded (`isBase64Encoded`), whose strict decoder answers 400 INVALID_ENCODING
 * after the checks that come first (size, compression, media type), as on AWS.
 */
const bodyFor = (raw: Buffer): { body: string | null; isBase64Encoded: boolean } => {
  if (raw.length === 0) return { body: null, isBase64Encoded: false };
  try {
    return { body: utf8.decode(raw), isBase64Encoded: false };
  } catch {
    return { body: raw.toString("base64"), isBase64Encoded: true };
  }
};

/**
 * Header and query maps as API Gateway's JSON event carries them, built without a prototype: a key named
 * `constructor`, `__proto__` or `toString` is just a key (with plain objects, `map[key] ?? []` met the
 * inherited function and threw: a 502 for any client that sent one).
 */
const multiMap = (pairs: Iterable<[string, string]>) => {
  const single = Object.create(null) as Record<string, string>;
  const multi = Object.create(null) as Record<string, string[]>;
  let any = false;
  for (const [key, value] of pairs) {
    any = true;
    single[key] = value; // the last value, as API Gateway's single-value map holds
    multi[key] = [...(multi[key] ?? []), value];
  }
  return { single, multi, any };
};

function* headerPairs(raw: string[]): Generator<[string, string]> {
  for (let i = 0; i + 1 < raw.length; i += 2) yield [raw[i] as string, raw[i + 1] as string];
}

/** The last value of a header, case-insensitively (what API Gateway maps into `headers`). */
const lastHeader = (req: IncomingMessage, name: string): string | undefined => {
  let value: string | undefined;
  for (const [key, v] of headerPairs(req.rawHeaders)) if (key.toLowerCase() === name) value = v;
  return value;
};

/**
 * For the local-only endpoints (`/events`, `/local/notifications`, `/dashboard/data.json`): answers 401
 * without a valid staff token and 403 for anyone but a manager; true when the caller may go on.
 */
export const managerOnly = async (
  req: IncomingMessage,
  res: ServerResponse,
  local: LocalRequest,
  secret: Uint8Array,
  what: string,
): Promise<boolean> => {
  const authorizations = req.rawHeaders.filter((_, i) => i % 2 === 0 && _.toLowerCase() === "authorization");
  if (authorizations.length > 1) {
    sendError(res, local, 400, "VALIDATION_FAILED", "The Authorization header must be sent once");
    return false;
  }
  const token = /^Bearer\s+(.+)$/i.exec(lastHeader(req, "authorization") ?? "")?.[1];
  let role: string;
  try {
    const claims = await verifyStaffToken(secret, token ?? "");
    role = staffOf({ requestContext: { authorizer: { claims } } } as unknown as APIGatewayProxyEvent).role;
  } catch {
    sendError(res, local, 401, "UNAUTHORIZED", "A manager's staff token is required (Authorization: Bearer)");
    return false;
  }
  if (role !== "manager") {
    sendError(res, local, 403, "FORBIDDEN_ROLE", `${what} is for managers`);
    return false;
  }
  return true;
};

/**
 * The local API gateway: the same route table as the AWS REST API, the same authorization decisions
 * (API key for channel routes, Bearer JWT for staff routes), and the same proxy event and
 * `requestContext` shape, handed to the same handler modules in-process. Every answer carries the
 * request's id (`x-amzn-RequestId`, and `error.requestId` in error bodies); every 5xx is logged with it.
 */
export const startGateway = async (
  opts: GatewayOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> => {
  const routes = ROUTES.map(compile);
  // Built here, not at import: the embedded target sets POWERTOOLS_LOG_LEVEL before it starts the gateway.
  const log = new Logger({ serviceName: "local-gateway", logFormatter: new RedactingLogFormatter() });
  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    const method = (req.method ?? "GET").toUpperCase();
    res.setHeader("x-amzn-RequestId", requestId);
    let resource: string | undefined;
    try {
      if (opts.extra && (await opts.extra(req, res, { requestId }))) return;
      const url = new URL(req.url ?? "/", "http://local");
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      const route = matching.find((r) => r.method === method);
      if (!route) {
        if (matching.length > 0) {
          return sendError(res, { requestId }, 405, "METHOD_NOT_ALLOWED", "Method not allowed", {
            Allow: matching.map((r) => r.method).join(", "),
          });
        }
        return gatewayError(res, "MISSING_AUTHENTICATION_TOKEN", requestId);
      }
      resource = route.path;
      // Before any authentication work: a body over the cap costs us nothing but this answer.
      const raw = await readBody(req, MAX_BODY_BYTES);
      if (raw === "too_large") return tooLarge(res, requestId);

      const headers = multiMap(headerPairs(req.rawHeaders));
      const query = multiMap(url.searchParams);
      const identity: Record<string, string | null> = {
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: req.headers["user-agent"] ?? null,
        apiKey: null,
        apiKeyId: null,
      };
      let authorizer: Record<string, unknown> | null = null;
      if (route.auth === "channel") {
        const presented = req.headers["x-api-key"];
        const key = typeof presented === "string" ? opts.apiKeys.get(presented) : undefined;
        if (!key) return gatewayError(res, "INVALID_API_KEY", requestId);
        identity.apiKey = presented as string;
        identity.apiKeyId = key.id;
      } else {
        // The authorizer reads the header's (last) value, as API Gateway maps it into `headers`; a
        // repeated one goes on to the handler, which refuses it (400).
        const token = /^Bearer\s+(.+)$/i.exec(lastHeader(req, "authorization") ?? "")?.[1];
        if (!token) return gatewayError(res, "UNAUTHORIZED", requestId);
        try {
          authorizer = { claims: await verifyStaffToken(opts.secret, token) };
        } catch {
          return gatewayError(res, "UNAUTHORIZED", requestId);
        }
      }
      const match = route.pattern.exec(url.pathname) as RegExpExecArray;
      let pathParameters: Record<string, string>;
      try {
        pathParameters = Object.fromEntries(
          route.params.map((p, i) => [p, decodeURIComponent(match[i + 1] ?? "")]),
        );
      } catch {
        // Malformed percent-encoding (e.g. `%E0%A4%A`) is the client's error, not a 502 (found by fuzzing).
        return gatewayError(res, "BAD_REQUEST_PARAMETERS", requestId);
      }
      const now = Date.now();
      const event = {
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers: headers.single,
        multiValueHeaders: headers.multi,
        queryStringParameters: query.any ? query.single : null,
        multiValueQueryStringParameters: query.any ? query.multi : null,
        pathParameters: route.params.length ? pathParameters : null,
        stageVariables: null,
        requestContext: {
          accountId: "000000000000",
          apiId: "local",
          resourceId: "local",
          resourcePath: route.path,
          httpMethod: method,
          path: `/local${url.pathname}`,
          stage: "local",
          protocol: "HTTP/1.1",
          requestId,
          requestTimeEpoch: now,
          identity,
          authorizer,
        },
        ...bodyFor(raw),
      } as unknown as APIGatewayProxyEvent;
      const handler = opts.handlers[route.handler];
      if (!handler) {
        log.error("no handler for the route", { requestId, status: 502, method, resource });
        return gatewayError(res, "DEFAULT_5XX", requestId);
      }
      const functionName = `complaints-${route.handler}`;
      // Its own logger, as its own container would have: concurrent requests never share log keys.
      const result = await withOwnLogger(functionName, () => handler(event, lambdaContext(functionName)));
      if (result.statusCode >= 500) {
        log.error("answered with a server error", { requestId, status: result.statusCode, method, resource });
      }
      send(res, result.statusCode, result.body ?? "", (result.headers ?? {}) as Record<string, string>);
    } catch (e) {
      // A handler that throws past its own error middleware is API Gateway's 502.
      log.error("answered with a server error", {
        requestId,
        status: 502,
        method,
        resource,
        error: (e as Error | undefined)?.name,
        stack: (e as Error | undefined)?.stack,
      });
      gatewayError(res, "DEFAULT_5XX", requestId);
    }
  });
  // Requests Node's parser refuses (headers over its limit, broken HTTP) get the API's error shape too,
  // not an empty body (found by fuzzing).
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const requestId = randomUUID();
    const type: GatewayResponseType =
      err.code === "HPE_HEADER_OVERFLOW" ? "REQUEST_TOO_LARGE" : "BAD_REQUEST_PARAMETERS";
    const body = gatewayErrorBody(type, requestId);
    const status = GATEWAY_RESPONSES[type].status;
    socket.end(
      `HTTP/1.1 ${status} ${status === 413 ? "Payload Too Large" : "Bad Request"}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-amzn-RequestId: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const listening = await listen(server, opts.port, opts.host);
  return { server, ...listening };
};
