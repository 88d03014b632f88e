import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { logger, withOwnLogger } from "../../../functions/adapters/runtime";
import { HttpError } from "../../../functions/http/errors";
import { httpHandler } from "../../../functions/http/middleware";
import { captureLogs } from "./logs";

// What runs in front of every HTTP Lambda on AWS: the event's shape, header names, single-valued
// headers, the body rules, request-scoped logging and the error answer with its request id.

const ID = "01KB3Q8Y9T6V1S5W2X4Z7N0M3P";

const context = (awsRequestId = "lambda-req-1"): Context =>
  ({
    awsRequestId,
    functionName: "complaints-customerReply",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:complaints-customerReply",
    memoryLimitInMB: "512",
  }) as Context;

/** An API Gateway REST proxy event as the Lambda gets it, from JSON (as the runtime parses it). */
const proxyEvent = (over: Record<string, unknown> = {}): APIGatewayProxyEvent =>
  JSON.parse(
    JSON.stringify({
      resource: "/complaints/{id}/customer-reply",
      path: `/complaints/${ID}/customer-reply`,
      httpMethod: "POST",
      headers: { "Content-Type": "application/json" },
      multiValueHeaders: { "Content-Type": ["application/json"] },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: { id: ID },
      stageVariables: null,
      requestContext: { requestId: "gw-req-1", identity: {}, authorizer: null },
      body: JSON.stringify({ message: "hello" }),
      isBase64Encoded: false,
      ...over,
    }),
  ) as APIGatewayProxyEvent;

/** A handler that answers what it was given (the parsed body and the headers it sees). */
const echo = httpHandler({ body: true, deps: () => ({}) }, async (event) => ({
  statusCode: 200,
  body: { body: event.body, idempotencyKey: event.headers["idempotency-key"] ?? null },
}));
const reader = httpHandler({ body: false, deps: () => ({}) }, async (event) => ({
  statusCode: 200,
  body: { query: event.queryStringParameters, agent: event.headers["user-agent"] ?? null },
}));

const call = async (handler: typeof echo, event: unknown, ctx = context()) => {
  const res = (await handler(event as APIGatewayProxyEvent, ctx)) as APIGatewayProxyResult;
  return { status: res.statusCode, body: JSON.parse(res.body) };
};

const withType = (contentType: string, extra: Record<string, unknown> = {}) =>
  proxyEvent({
    headers: { "Content-Type": contentType, ...extra },
    multiValueHeaders: {
      "Content-Type": [contentType],
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, [v]])),
    },
  });

describe("the JSON body rules", () => {
  it.each([
    "application/json",
    "APPLICATION/JSON",
    "Application/Json; Charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/json;charset=utf8",
    "application/problem+json",
  ])("accepts %s", async (type) => {
    expect(await call(echo, withType(type))).toEqual({
      status: 200,
      body: { body: { message: "hello" }, idempotencyKey: null },
    });
  });

  it.each([
    "application/json; charset=latin1",
    "application/json; charset=utf-16",
    "application/json; charset=ISO-8859-1",
    "application/json; charset=utf-8; charset=utf-16",
    "application/json, text/plain",
    "text/plain",
    "application/jsonx",
    "application/x-www-form-urlencoded",
    "",
  ])("refuses %j with 415 UNSUPPORTED_MEDIA_TYPE", async (type) => {
    const res = await call(echo, withType(type));
    expect(res).toMatchObject({ status: 415, body: { error: { code: "UNSUPPORTED_MEDIA_TYPE" } } });
  });

  it.each(["gzip", "deflate", "br", "identity, gzip"])(
    "refuses Content-Encoding %s with 415",
    async (coding) => {
      const res = await call(echo, withType("application/json", { "Content-Encoding": coding }));
      expect(res).toMatchObject({ status: 415, body: { error: { code: "UNSUPPORTED_MEDIA_TYPE" } } });
    },
  );

  it("reads Content-Encoding identity as no encoding", async () => {
    const res = await call(echo, withType("application/json", { "Content-Encoding": "Identity" }));
    expect(res.status).toBe(200);
  });

  it("decodes a base64 body strictly: valid UTF-8 JSON is read", async () => {
    const body = Buffer.from(JSON.stringify({ message: "你好" })).toString("base64");
    const res = await call(echo, proxyEvent({ body, isBase64Encoded: true }));
    expect(res).toEqual({ status: 200, body: { body: { message: "你好" }, idempotencyKey: null } });
  });

  it("answers 400 INVALID_ENCODING for base64 bytes that are not UTF-8, and for broken base64", async () => {
    const latin1 = Buffer.from('{"message":"caf\xe9"}', "latin1").toString("base64");
    for (const body of [latin1, "eyJtZXNzYWdlIjoiaGkifQ", "eyJt*XNzYWdlIjoiaGkifQ=="]) {
      const res = await call(echo, proxyEvent({ body, isBase64Encoded: true }));
      expect(res, body).toMatchObject({ status: 400, body: { error: { code: "INVALID_ENCODING" } } });
    }
  });

  it("checks the media type before the bytes: text/plain with invalid bytes is 415, as on AWS", async () => {
    const body = Buffer.from([0xff, 0xfe, 0x7b]).toString("base64");
    const event = { ...withType("text/plain"), body, isBase64Encoded: true };
    expect((await call(echo, event)).status).toBe(415);
  });

  it("answers MALFORMED_JSON for a body that is not JSON, a leading byte order mark included", async () => {
    for (const body of ["{", '{"message":}', '\ufeff{"message":"hi"}']) {
      const res = await call(echo, proxyEvent({ body }));
      expect(res, body).toMatchObject({ status: 400, body: { error: { code: "MALFORMED_JSON" } } });
    }
  });

  it("answers 413 for a body over the cap, counted in decoded bytes for base64", async () => {
    const big = JSON.stringify({ message: "x".repeat(70_000) });
    expect((await call(echo, proxyEvent({ body: big }))).status).toBe(413);
    const b64 = Buffer.from(big).toString("base64");
    expect((await call(echo, proxyEvent({ body: b64, isBase64Encoded: true }))).status).toBe(413);
  });
});

describe("headers that must come once", () => {
  it.each([
    ["Idempotency-Key", "idempotency-key"],
    ["If-Match", "If-Match"],
    ["Authorization", "authorization"],
  ])("refuses a repeated %s with 400 VALIDATION_FAILED naming it", async (name, sentAs) => {
    const event = proxyEvent({
      headers: { "Content-Type": "application/json", [sentAs]: "b" },
      multiValueHeaders: { "Content-Type": ["application/json"], [sentAs]: ["a", "b"] },
    });
    const res = await call(echo, event);
    expect(res).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", details: [{ path: `header.${name}` }] } },
    });
  });

  it("counts names that differ only in case as one header", async () => {
    const event = proxyEvent({
      headers: { "Content-Type": "application/json", "idempotency-key": "b" },
      multiValueHeaders: {
        "Content-Type": ["application/json"],
        "Idempotency-Key": ["a"],
        "idempotency-key": ["b"],
      },
    });
    expect((await call(echo, event)).body.error.details).toEqual([
      { path: "header.Idempotency-Key", message: "must be sent once" },
    ]);
  });

  it("lets a header sent once through, under its lower-case name", async () => {
    const event = proxyEvent({
      headers: { "Content-Type": "application/json", "Idempotency-Key": "key-00000001" },
      multiValueHeaders: { "Content-Type": ["application/json"], "Idempotency-Key": ["key-00000001"] },
    });
    expect((await call(echo, event)).body.idempotencyKey).toBe("key-00000001");
  });
});

describe("key names that are Object.prototype's", () => {
  it("copes with headers and query keys named __proto__, constructor, toString, hasOwnProperty, valueOf", async () => {
    // JSON.parse gives own properties of these names, as the Lambda runtime does with API Gateway's event.
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];
    const pairs = names.map((n) => `"${n}":"x"`).join(",");
    const lists = names.map((n) => `"${n}":["x"]`).join(",");
    const event = JSON.parse(`{
      "resource": "/queues/{team}", "path": "/queues/cards", "httpMethod": "GET",
      "headers": {${pairs}, "User-Agent": "probe"}, "multiValueHeaders": {${lists}, "User-Agent": ["probe"]},
      "queryStringParameters": {${pairs}}, "multiValueQueryStringParameters": {${lists}},
      "pathParameters": {"team": "cards"}, "requestContext": {"requestId": "gw-req-2"}, "body": null
    }`);
    const res = await call(reader, event);
    expect(res.status).toBe(200);
    expect(res.body.agent).toBe("probe");
    expect(Object.keys(res.body.query).sort()).toEqual([...names].sort());
  });
});

describe("an event that is not an API Gateway proxy event", () => {
  it.each([
    [{}, "object"],
    [{ complaintId: ID }, "workflow step input"],
    [null, "null"],
    ["hello", "string"],
    [
      { version: "2.0", rawPath: "/complaints", requestContext: {} },
      "API Gateway HTTP API event (payload 2.0)",
    ],
  ])("%j answers 400 naming what is missing and logs what it was (%s)", async (event, kind) => {
    const { result, lines } = await captureLogs(() => call(echo, event, context("lambda-req-9")));
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "The event is not an API Gateway REST proxy event",
      requestId: "lambda-req-9",
    });
    expect(result.body.error.details.map((d: { path: string }) => d.path)).toContain("event.httpMethod");
    const line = lines.find((l) => l.message === "not an API Gateway proxy event");
    expect(line).toMatchObject({ level: "ERROR", received: kind, function_request_id: "lambda-req-9" });
    expect(JSON.stringify(lines)).not.toMatch(/TypeError/);
  });
});

describe("request ids and request-scoped logging", () => {
  const failing = httpHandler({ body: false, deps: () => ({}) }, async () => {
    throw new Error("the store is on fire");
  });
  const refusing = httpHandler({ body: false, deps: () => ({}) }, async () => {
    throw new HttpError(404, "COMPLAINT_NOT_FOUND", "No such complaint");
  });
  const getEvent = (requestId: string) =>
    proxyEvent({
      resource: "/complaints/{id}",
      path: `/complaints/${ID}`,
      httpMethod: "GET",
      headers: {},
      multiValueHeaders: {},
      body: null,
      requestContext: { requestId, identity: {}, authorizer: null },
    });

  it("logs a 5xx with the request id its body carries, on a line with the Lambda context and the complaint", async () => {
    const { result, lines } = await captureLogs(() => call(failing, getEvent("gw-req-500")));
    expect(result).toEqual({
      status: 500,
      body: {
        error: {
          code: "INTERNAL_ERROR",
          message: "Something went wrong on our side; it has been logged",
          requestId: "gw-req-500",
        },
      },
    });
    const line = lines.find((l) => l.message === "request failed");
    expect(line).toMatchObject({
      level: "ERROR",
      requestId: result.body.error.requestId,
      correlation_id: result.body.error.requestId,
      complaintId: ID,
      function_name: "complaints-customerReply",
      function_request_id: "lambda-req-1",
      status: 500,
    });
    expect(typeof line?.cold_start).toBe("boolean");
  });

  it("answers 503 with Retry-After, not 500, when the function runs out of time waiting on the store", async () => {
    const slow = httpHandler({ body: false, deps: () => ({}) }, async () => {
      await new Promise((r) => setTimeout(r, 2_000));
      return { statusCode: 200, body: "{}" };
    });
    const ctx = { ...context(), getRemainingTimeInMillis: () => 200 } as Context;
    const res = (await slow(getEvent("gw-req-slow"), ctx)) as APIGatewayProxyResult;
    expect(res.statusCode).toBe(503);
    expect(res.headers?.["Retry-After"]).toBe("2");
    expect(JSON.parse(res.body).error).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
      requestId: "gw-req-slow",
    });
  });

  it("puts the request id in 4xx bodies too, and does not log them as failures", async () => {
    const { result, lines } = await captureLogs(() => call(refusing, getEvent("gw-req-404")));
    expect(result.body.error).toEqual({
      code: "COMPLAINT_NOT_FOUND",
      message: "No such complaint",
      requestId: "gw-req-404",
    });
    expect(lines.filter((l) => l.message === "request failed")).toEqual([]);
  });

  it("clears the keys between invocations: the next request's lines carry only its own", async () => {
    await captureLogs(() => call(failing, getEvent("gw-req-a")));
    const other = { ...getEvent("gw-req-b"), resource: "/queues/{team}", pathParameters: { team: "cards" } };
    const { lines } = await captureLogs(() => call(failing, other, context("lambda-req-b")));
    const line = lines.find((l) => l.message === "request failed");
    expect(line).toMatchObject({ correlation_id: "gw-req-b", function_request_id: "lambda-req-b" });
    expect(line).not.toHaveProperty("complaintId");
  });

  it("logs the reference a complaint was asked by, and nothing from a path that is not a complaint's", async () => {
    const byReference = { ...getEvent("gw-req-r"), pathParameters: { id: "CMP-20261201-000123" } };
    const { lines } = await captureLogs(() => call(failing, byReference));
    expect(lines.find((l) => l.message === "request failed")).toMatchObject({
      reference: "CMP-20261201-000123",
    });
    const customer = {
      ...getEvent("gw-req-c"),
      resource: "/customers/{id}/complaints",
      pathParameters: { id: ID },
    };
    const logged = await captureLogs(() => call(failing, customer));
    expect(logged.lines.find((l) => l.message === "request failed")).not.toHaveProperty("complaintId");
  });

  it("keeps invocations running at once apart when each has its own logger (the embedded target)", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = httpHandler({ body: false, deps: () => ({}) }, async () => {
      await gate;
      logger.info("after the wait");
      return { statusCode: 200, body: {} };
    });
    const OTHER = "01KB3Q8Y9T6V1S5W2X4Z7N0M3Q";
    const { lines } = await captureLogs(async () => {
      const a = withOwnLogger("complaints-a", () => slow(getEvent("gw-a"), context("lambda-a")));
      const b = withOwnLogger("complaints-b", () =>
        slow({ ...getEvent("gw-b"), pathParameters: { id: OTHER } }, context("lambda-b")),
      );
      release();
      return Promise.all([a, b]);
    });
    const seen = lines
      .filter((l) => l.message === "after the wait")
      .map((l) => [l.correlation_id, l.function_request_id, l.complaintId, l.function_name])
      .sort();
    expect(seen).toEqual([
      ["gw-a", "lambda-a", ID, "complaints-customerReply"],
      ["gw-b", "lambda-b", OTHER, "complaints-customerReply"],
    ]);
  });
});
