import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HandlerId } from "../../../functions/handlers/catalog";
import { MAX_BODY_BYTES } from "../../../functions/http/limits";
import { channelKeys, issueStaffToken, verifyStaffToken } from "../../../infra/local/auth";
import { type HttpLambda, startGateway } from "../../../infra/local/gateway";
import { localSignIn, sameOriginPath } from "../../../infra/local/sign-in";
import { captureLogs } from "./logs";
import { rawHttp } from "./raw-http";

// The local gateway in front of stand-in handlers: what it hands a handler, and what it answers itself
// (oversized bodies before any authentication, poisoned key names, invalid bytes, 5xx with request ids).

const SECRET = new TextEncoder().encode("a-local-test-secret-of-32-bytes!");
const keys = channelKeys(SECRET);
const apiKey = [...keys.byValue.keys()][0] as string;
const seen: APIGatewayProxyEvent[] = [];
const echo: HttpLambda = async (event) => {
  seen.push(event);
  return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: '{"ok":true}' };
};
const handlers = {
  intake: echo,
  getComplaint: async () => {
    throw new TypeError("a handler bug past its middleware");
  },
  listNotices: async (): Promise<APIGatewayProxyResult> => ({
    statusCode: 503,
    body: '{"error":{"code":"SERVICE_UNAVAILABLE","message":"later"}}',
  }),
  queue: echo,
} as Partial<Record<HandlerId, HttpLambda>> as Record<HandlerId, HttpLambda>;

let gateway: Awaited<ReturnType<typeof startGateway>>;
beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    host: "127.0.0.1",
    handlers,
    secret: SECRET,
    apiKeys: keys.byValue,
    extra: localSignIn({ secret: SECRET }),
  });
});
afterAll(() => gateway?.close());

const raw = (request: string | Buffer, opts: { keepWriting?: Buffer } = {}) =>
  rawHttp(gateway.url, request, opts.keepWriting ? { andThen: opts.keepWriting } : {});

const expectErrorShape = (res: { headers: Record<string, string>; body: string }, code: string) => {
  const body = JSON.parse(res.body);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers["x-amzn-requestid"]);
  return body.error;
};

describe("bodies over the cap", () => {
  it("refuses a declared Content-Length over the cap at once, before looking at credentials", async () => {
    const before = seen.length;
    const res = await raw(
      "POST /complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        `Content-Length: ${11 * 1024 * 1024}\r\n\r\n`,
    );
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expectErrorShape(res, "PAYLOAD_TOO_LARGE");
    // Answered without the body ever being sent: nothing waited for 11 MiB.
    expect(res.ms).toBeLessThan(2_000);
    expect(seen.length).toBe(before);
  });

  it("stops reading a chunked body at the cap and answers 413", async () => {
    const chunk = Buffer.alloc(16 * 1024, "x");
    const chunks = Array.from({ length: 8 }, () =>
      Buffer.concat([Buffer.from("4000\r\n"), chunk, Buffer.from("\r\n")]),
    );
    const res = await raw(
      "POST /complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
        "Transfer-Encoding: chunked\r\n\r\n",
      { keepWriting: Buffer.concat(chunks) }, // 128 KiB, and never the last chunk
    );
    expect(res.status).toBe(413);
    expectErrorShape(res, "PAYLOAD_TOO_LARGE");
  });

  it("lets a body of exactly the cap through to the handler", async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES, "x");
    const res = await raw(
      `POST /complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${apiKey}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(res.status).toBe(200);
  });
});

describe("what the handler is given", () => {
  it("passes header and query keys named after Object.prototype's as plain keys, without a 502", async () => {
    const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
    const token = await issueStaffToken(SECRET, { teams: ["cards"], role: "agent" });
    const query = names.map((n) => `${n}=1`).join("&");
    const res = await raw(
      `GET /queues/cards?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
        `${names.map((n) => `${n}: x`).join("\r\n")}\r\nConnection: close\r\n\r\n`,
    );
    expect(res.status).toBe(200);
    const event = seen.at(-1) as APIGatewayProxyEvent;
    for (const name of names) {
      expect(Object.hasOwn(event.headers, name), name).toBe(true);
      expect(event.multiValueHeaders[name], name).toEqual(["x"]);
      expect(event.queryStringParameters?.[name], name).toBe("1");
      expect(event.multiValueQueryStringParameters?.[name], name).toEqual(["1"]);
    }
  });

  it("hands over UTF-8 as a string, and any other bytes untouched as base64 (never U+FFFD)", async () => {
    const send = (body: Buffer) =>
      raw(
        Buffer.concat([
          Buffer.from(
            `POST /complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${apiKey}\r\nContent-Type: application/json\r\n` +
              `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
          ),
          body,
        ]),
      );
    await send(Buffer.from('{"d":"年费"}'));
    expect(seen.at(-1)).toMatchObject({ body: '{"d":"年费"}', isBase64Encoded: false });
    const latin1 = Buffer.from('{"d":"caf\xe9"}', "latin1");
    await send(latin1);
    expect(seen.at(-1)).toMatchObject({ body: latin1.toString("base64"), isBase64Encoded: true });
  });

  it("puts the request id it answers with into the handler's event", async () => {
    const res = await raw(
      `GET /queues/cards HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${await issueStaffToken(SECRET, { teams: ["cards"], role: "agent" })}\r\nConnection: close\r\n\r\n`,
    );
    expect(seen.at(-1)?.requestContext.requestId).toBe(res.headers["x-amzn-requestid"]);
  });
});

describe("5xx and request ids", () => {
  it("answers a handler that throws with 502 and logs it with the id in the body", async () => {
    const { result: res, lines } = await captureLogs(() =>
      raw(
        `GET /complaints/01KB3Q8Y9T6V1S5W2X4Z7N0M3P HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${apiKey}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(res.status).toBe(502);
    const error = expectErrorShape(res, "INTERNAL_ERROR");
    expect(lines.find((l) => l.message === "answered with a server error")).toMatchObject({
      level: "ERROR",
      service: "local-gateway",
      requestId: error.requestId,
      status: 502,
      resource: "/complaints/{id}",
      error: "TypeError",
    });
  });

  it("logs a handler's own 5xx answer with the request id too", async () => {
    const { result: res, lines } = await captureLogs(() =>
      raw(
        `GET /complaints/01KB3Q8Y9T6V1S5W2X4Z7N0M3P/notices HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${apiKey}\r\nConnection: close\r\n\r\n`,
      ),
    );
    expect(res.status).toBe(503);
    expect(lines.find((l) => l.message === "answered with a server error")).toMatchObject({
      requestId: res.headers["x-amzn-requestid"],
      status: 503,
    });
  });

  it("gives its own answers (404, bad credentials) the request id as well", async () => {
    const notFound = await raw("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(notFound.status).toBe(404);
    expectErrorShape(notFound, "ROUTE_NOT_FOUND");
    const noKey = await raw("GET /complaints/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    expect(noKey.status).toBe(403);
    expectErrorShape(noKey, "INVALID_API_KEY");
  });
});

describe("the local sign-in", () => {
  const post = (body: string, host = "127.0.0.1", type = "application/json") =>
    raw(
      `POST /local/sign-in HTTP/1.1\r\nHost: ${host}\r\nContent-Type: ${type}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );

  it("serves a labelled form that says it is local only", async () => {
    const res = await raw(
      "GET /local/sign-in?next=/dashboard HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toContain('<label for="team">Team</label>');
    expect(res.body).toContain('<label for="role">Role</label>');
    expect(res.body).toContain('<button type="submit">Sign in</button>');
    expect(res.body).toContain("Local only.");
    expect(res.headers["content-security-policy"]).toMatch(/script-src 'sha256-/);
  });

  it("issues a token the gateway accepts, from the same signer as npm run token", async () => {
    const res = await post(JSON.stringify({ team: "cards,loans", role: "supervisor" }));
    expect(res.status).toBe(200);
    const { token, teams, role } = JSON.parse(res.body);
    expect({ teams, role }).toEqual({ teams: ["cards", "loans"], role: "supervisor" });
    expect(await verifyStaffToken(SECRET, token)).toMatchObject({
      "cognito:groups": "team:cards,team:loans,role:supervisor",
    });
  });

  it("refuses a Host that is not this machine's name (403), and bad requests in the error shape", async () => {
    expectErrorShape(await post('{"role":"manager"}', "evil.example"), "ACCESS_DENIED");
    const noTeam = await post('{"role":"agent"}');
    expect(noTeam.status).toBe(400);
    expect(expectErrorShape(noTeam, "VALIDATION_FAILED").details).toEqual([
      { path: "team", message: "is required unless the role is manager" },
    ]);
    expect((await post('{"role":"root"}')).status).toBe(400);
    expect((await post('{"role":"manager"}', "127.0.0.1", "text/plain")).status).toBe(415);
    const offSite = await raw(
      "GET /local/sign-in?next=//evil.example HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    expectErrorShape(offSite, "VALIDATION_FAILED");
  });

  it.each([
    ["/dashboard", "/dashboard"],
    ["/console/?tab=queue#top", "/console/?tab=queue#top"],
    ["", "/dashboard"],
    ["//evil.example/x", undefined],
    ["/\\evil.example", undefined],
    ["https://evil.example/", undefined],
    ["javascript:alert(1)", undefined],
    ["dashboard", undefined],
    ["/a\r\nLocation: x", undefined],
  ])("next=%j goes to %j", (next, expected) => {
    expect(sameOriginPath(next)).toBe(expected);
  });
});
