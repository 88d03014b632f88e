import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { Channel } from "../../functions/domain/codes";
import type { HandlerId } from "../../functions/handlers/catalog";
import {
  GATEWAY_RESPONSES,
  type GatewayResponseType,
  gatewayErrorBody,
} from "../../functions/http/gateway-responses";
import { ROUTES, type Route } from "../../functions/http/routes";
import { verifyStaffToken } from "./auth";
import { listen } from "./listen";

export type HttpLambda = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway's own cap on a request payload; our handlers enforce a much lower one with a clear 413. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

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

/** A fake Lambda context, enough for middy and Powertools. */
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

export interface GatewayOptions {
  port: number;
  host?: string;
  handlers: Record<HandlerId, HttpLambda | undefined>;
  secret: Uint8Array;
  apiKeys: Map<string, { id: string; channel: Channel }>;
  /** Extra local-only pages (dashboard, index) served before the API routes. */
  extra?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

const readBody = (req: IncomingMessage): Promise<string | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      // Over the cap: keep draining without keeping it, so the client still reads the 413 (destroying
      // the socket here left it with a connection reset instead; found by fuzzing).
      if (size <= GATEWAY_MAX_BYTES) chunks.push(c);
    });
    req.on("end", () => resolve(size > GATEWAY_MAX_BYTES ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(body);
};

const gatewayError = (res: ServerResponse, type: GatewayResponseType) =>
  send(res, GATEWAY_RESPONSES[type].status, gatewayErrorBody(type));

/**
 * The local API gateway: the same route table as the AWS REST API, the same authorization decisions
 * (API key for channel routes, Bearer JWT for staff routes), and the same proxy event and
 * `requestContext` shape, handed to the same handler modules in-process.
 */
export const startGateway = async (
  opts: GatewayOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> => {
  const routes = ROUTES.map(compile);
  const server = createServer(async (req, res) => {
    try {
      if (opts.extra && (await opts.extra(req, res))) return;
      const url = new URL(req.url ?? "/", "http://local");
      const method = (req.method ?? "GET").toUpperCase();
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      const route = matching.find((r) => r.method === method);
      if (!route) {
        if (matching.length > 0) {
          return send(
            res,
            405,
            JSON.stringify({ error: { code: "METHOD_NOT_ALLOWED", message: "Method not allowed" } }),
            {
              Allow: matching.map((r) => r.method).join(", "),
            },
          );
        }
        return gatewayError(res, "MISSING_AUTHENTICATION_TOKEN");
      }
      const body = await readBody(req);
      if (body === null) return gatewayError(res, "REQUEST_TOO_LARGE");

      const headers: Record<string, string> = {};
      const multiValueHeaders: Record<string, string[]> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i] as string;
        const value = req.rawHeaders[i + 1] as string;
        headers[name] = value;
        multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
      }
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
        if (!key) return gatewayError(res, "INVALID_API_KEY");
        identity.apiKey = presented as string;
        identity.apiKeyId = key.id;
      } else {
        const auth = req.headers.authorization ?? "";
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
        if (!token) return gatewayError(res, "UNAUTHORIZED");
        try {
          authorizer = { claims: await verifyStaffToken(opts.secret, token) };
        } catch {
          return gatewayError(res, "UNAUTHORIZED");
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
        return gatewayError(res, "BAD_REQUEST_PARAMETERS");
      }
      const query: Record<string, string> = {};
      const multiQuery: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) {
        query[k] = v;
        multiQuery[k] = [...(multiQuery[k] ?? []), v];
      }
      const now = Date.now();
      const event = {
        resource: route.path,
        path: url.pathname,
        httpMethod: method,
        headers,
        multiValueHeaders,
        queryStringParameters: Object.keys(query).length ? query : null,
        multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
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
          requestId: randomUUID(),
          requestTimeEpoch: now,
          identity,
          authorizer,
        },
        body: body.length ? body : null,
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEvent;
      const handler = opts.handlers[route.handler];
      if (!handler) return gatewayError(res, "DEFAULT_5XX");
      const result = await handler(event, lambdaContext(`complaints-${route.handler}`));
      send(res, result.statusCode, result.body ?? "", (result.headers ?? {}) as Record<string, string>);
    } catch {
      // A handler that throws past its own error middleware is API Gateway's 502.
      gatewayError(res, "DEFAULT_5XX");
    }
  });
  // Requests Node's parser refuses (headers over its limit, broken HTTP) get the API's error shape too,
  // not an empty body (found by fuzzing).
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const type: GatewayResponseType =
      err.code === "HPE_HEADER_OVERFLOW" ? "REQUEST_TOO_LARGE" : "BAD_REQUEST_PARAMETERS";
    const body = gatewayErrorBody(type);
    const status = GATEWAY_RESPONSES[type].status;
    socket.end(
      `HTTP/1.1 ${status} ${status === 413 ? "Payload Too Large" : "Bad Request"}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  });
  const listening = await listen(server, opts.port, opts.host);
  return { server, ...listening };
};
