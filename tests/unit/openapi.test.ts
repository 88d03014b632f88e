import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ERROR_CODES } from "../../functions/http/errors";
import {
  ERROR_DESCRIPTIONS,
  errorCodesOf,
  errorCodeTable,
  isMinimallyDocumented,
  openApiDocument,
  renderOpenApi,
} from "../../functions/http/openapi";
import { ROUTES, type Route } from "../../functions/http/routes";
import { API_DOC, OPENAPI_FILE, readBlock } from "../../scripts/doc-blocks";

type Json = Record<string, any>;

/** Every `$ref` in a document, with where it was found. */
const refsOf = (node: unknown, at = "#"): { ref: string; at: string }[] => {
  if (Array.isArray(node)) return node.flatMap((n, i) => refsOf(n, `${at}/${i}`));
  if (!node || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === "$ref" && typeof v === "string" ? [{ ref: v, at }] : refsOf(v, `${at}/${k}`),
  );
};

const resolvePointer = (doc: Json, ref: string): unknown =>
  ref
    .replace(/^#\//, "")
    .split("/")
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);

/** Structural checks any OpenAPI 3.1 consumer relies on. */
const expectWellFormed = (doc: Json, routes: readonly Route[]) => {
  expect(doc.openapi).toBe("3.1.0");
  for (const { ref, at } of refsOf(doc)) {
    expect(ref.startsWith("#/"), `${at}: ${ref} is not local`).toBe(true);
    expect(resolvePointer(doc, ref), `${at}: ${ref} does not resolve`).toBeDefined();
  }
  const operationIds = new Set<string>();
  for (const route of routes) {
    const op = doc.paths?.[route.path]?.[route.method.toLowerCase()];
    expect(op, `${route.method} ${route.path} is missing`).toBeDefined();
    expect(operationIds.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
    operationIds.add(op.operationId);
    expect(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))).toBe(true);
    const [scheme] = Object.keys(op.security[0]);
    expect(doc.components.securitySchemes[scheme!], `${route.path}: scheme ${scheme}`).toBeDefined();
    for (const param of route.path.match(/\{(\w+)\}/g) ?? []) {
      const name = param.slice(1, -1);
      expect(
        op.parameters.some((p: Json) => p.in === "path" && p.name === name && p.required),
        `${route.path}: path parameter ${name}`,
      ).toBe(true);
    }
    if (route.method === "POST") expect(op.requestBody.content["application/json"].schema).toBeDefined();
    for (const code of errorCodesOf(route)) {
      const response = op.responses[String(ERROR_CODES[code])];
      expect(response?.content["application/json"].examples[code], `${route.path}: ${code}`).toBeDefined();
    }
  }
  const documented = Object.values(doc.paths as Json).reduce((n, item) => n + Object.keys(item).length, 0);
  expect(documented).toBe(routes.length);
};

describe("the OpenAPI document", () => {
  const doc = openApiDocument() as Json;

  it("is committed up to date in docs/openapi.json (run `npm run openapi` after changing routes or schemas)", () => {
    expect(readFileSync(OPENAPI_FILE, "utf8")).toBe(renderOpenApi());
  });

  it("documents every route, with resolvable $refs, security, path parameters and error responses", () => {
    expectWellFormed(doc, ROUTES);
  });

  it("uses the API key for channel routes and the staff JWT for staff routes", () => {
    expect(doc.components.securitySchemes).toMatchObject({
      channelApiKey: { type: "apiKey", in: "header", name: "x-api-key" },
      staffJwt: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    });
    for (const route of ROUTES) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.security).toEqual([{ [route.auth === "channel" ? "channelApiKey" : "staffJwt"]: [] }]);
    }
  });

  it("requires the Idempotency-Key header on intake", () => {
    const intake = doc.paths["/complaints"].post;
    expect(intake.parameters).toContainEqual(
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: true }),
    );
    expect(Object.keys(intake.responses)).toEqual(expect.arrayContaining(["200", "201", "400", "422"]));
  });

  it("describes every error code once, with its status, the shared error schema and an example", () => {
    const codes = Object.keys(ERROR_CODES);
    expect(doc.components.schemas.ErrorCode.enum).toEqual(codes);
    expect(Object.keys(ERROR_DESCRIPTIONS).sort()).toEqual([...codes].sort());
    expect(Object.keys(doc.components.examples).sort()).toEqual([...codes].sort());
    expect(doc.components.schemas.Error).toMatchObject({
      type: "object",
      required: ["error"],
      properties: { error: { required: ["code", "message"] } },
    });
    for (const code of codes) {
      expect(doc.components.examples[code].value.error.code).toBe(code);
    }
  });

  it("carries request examples that the route's own schemas accept", () => {
    for (const route of ROUTES.filter((r) => !isMinimallyDocumented(r))) {
      expect(route.examples?.length, `${route.path} has no example`).toBeGreaterThan(0);
      for (const example of route.examples ?? []) {
        const where = `${route.method} ${route.path} example ${example.name}`;
        const { body, query, params, headers } = route.request ?? {};
        if (body) expect(body.safeParse(example.body).error, where).toBeUndefined();
        if (query) expect(query.safeParse(example.query ?? {}).error, where).toBeUndefined();
        if (params) expect(params.safeParse(example.params).error, where).toBeUndefined();
        if (headers) expect(headers.safeParse(example.headers ?? {}).error, where).toBeUndefined();
      }
    }
  });

  it("still documents a route added without schemas, minimally", () => {
    const bare: Route = {
      method: "POST",
      path: "/complaints/{id}/notices",
      handler: "getComplaint",
      auth: "channel",
      summary: "A route someone added without schemas",
    };
    const routes = [...ROUTES, bare];
    const withBare = openApiDocument(routes) as Json;
    expectWellFormed(withBare, routes);
    expect(withBare.paths["/complaints/{id}/notices"].post).toMatchObject({
      "x-documentation": "minimal",
      requestBody: { content: { "application/json": { schema: { type: "object" } } } },
      responses: { 200: { description: expect.any(String) } },
    });
  });

  it("lists the routes documented minimally (give them request/responses in ROUTES)", () => {
    // Not a failure: a reminder in the test output of which routes still want schemas.
    const minimal = ROUTES.filter(isMinimallyDocumented).map((r) => `${r.method} ${r.path}`);
    if (minimal.length) console.info(`documented minimally: ${minimal.join(", ")}`);
    expect(Array.isArray(minimal)).toBe(true);
  });
});

describe("error codes", () => {
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
    });

  it("thrown anywhere in functions/ are all in ERROR_CODES (and so documented)", () => {
    const thrown = new Set<string>();
    for (const file of filesUnder("functions")) {
      const source = readFileSync(file, "utf8");
      // `new DomainError(kind, CODE`, `new HttpError(status, CODE`, a subclass's `super(kind, CODE`, `conflict(_, CODE`.
      const pattern =
        /(?:new (?:DomainError|HttpError)|super)\(\s*(?:"[a-z_]+"|\d+),\s*"([A-Z][A-Z_]+)"|conflict\([^,]+,\s*"([A-Z][A-Z_]+)"/g;
      for (const m of source.matchAll(pattern)) thrown.add((m[1] ?? m[2]) as string);
    }
    expect(thrown.size).toBeGreaterThan(5);
    // ILLEGAL_TRANSITION never reaches a client: applyDecision answers it as ACTION_NOT_ALLOWED.
    thrown.delete("ILLEGAL_TRANSITION");
    expect([...thrown].filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });

  it("are tabled in docs/api.md as generated (run `npm run openapi`)", () => {
    expect(readBlock(readFileSync(API_DOC, "utf8"), "error-codes")).toBe(errorCodeTable());
  });
});

describe("the example schemas", () => {
  it("are the handlers' own (intake parses the body with intakeRequestSchema)", () => {
    const intake = ROUTES.find((r) => r.handler === "intake")!;
    const source = readFileSync("functions/handlers/intake.ts", "utf8");
    expect(source).toMatch(/parseOrThrow\(intakeRequestSchema/);
    expect(intake.request?.body).toBeInstanceOf(z.core.$ZodType);
  });
});
