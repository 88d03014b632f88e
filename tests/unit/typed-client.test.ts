import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../../functions/http/routes";

/**
 * The API document is something a typed client can be built from: openapi-typescript generates the types
 * from docs/openapi.json, and a client that calls every route (with the route's own example) and reads
 * the fields the console relies on must type-check in strict mode.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const OUT = join(ROOT, "test-artifacts", "typed-client");
const document = JSON.parse(readFileSync(join(ROOT, "docs", "openapi.json"), "utf8")) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
  components: { schemas: Record<string, Record<string, unknown>> };
};

const resolve = (schema: unknown): Record<string, unknown> => {
  const s = schema as Record<string, unknown>;
  const ref = typeof s.$ref === "string" ? s.$ref : undefined;
  return ref ? resolve(document.components.schemas[ref.split("/").pop() as string]) : s;
};

/** One call per route, from its first example: path, query, headers and body as the route documents them. */
const callOf = (route: (typeof ROUTES)[number], i: number): string => {
  const example = route.examples?.[0] ?? { name: "none" };
  const params: Record<string, unknown> = {};
  if (example.params) params.path = example.params;
  if (example.query) {
    params.query = example.query;
  }
  if (example.headers) params.header = example.headers;
  const init: Record<string, unknown> = { params };
  if (example.body !== undefined) init.body = example.body;
  return `  const r${i} = await client.${route.method}(${JSON.stringify(route.path)}, ${JSON.stringify(init)});\n  touch(r${i}.data, r${i}.error);\n`;
};

const CONSOLE_READS = `
import createClient from "openapi-fetch";
import type { paths, components } from "./api";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:3000" });
const touch = (..._values: unknown[]) => undefined;
type Status = components["schemas"]["ComplaintView"]["status"];
const statuses: Status[] = ["received", "in_progress", "awaiting_customer", "awaiting_feedback", "closed", "needs_attention"];

export async function everyRoute(): Promise<void> {
%CALLS%}

/** The fields the console reads: a missing or mistyped one is a compile error here. */
export async function consoleReads(): Promise<string[]> {
  const out: string[] = [...statuses];
  const view = (await client.GET("/staff/complaints/{id}", { params: { path: { id: "x" } } })).data;
  if (view) {
    const actions: ("claim" | "note" | "request_info" | "resolve" | "reassign" | "escalate" | "extend" | "resume" | "complete_remediation" | "start_appraisal" | "end_appraisal")[] = view.allowedActions;
    out.push(...actions, view.deadlines.timeZone, view.deadlines.resolveBy, view.customer.id, view.description);
    out.push(view.codes.channel, view.codes.businessType, view.codes.cause, String(view.version));
    if (view.resolution?.rootCause) out.push(view.resolution.rootCause, view.resolution.resolvedBy);
    if (view.extension) out.push(view.extension.level);
    out.push(...view.statutoryBreaches, ...view.deadlines.statutory.map((s) => s.rule + s.dueBy));
    for (const p of view.pauses) out.push(p.reason, p.start, p.end ?? "");
    for (const e of view.audit ?? []) out.push(e.type, e.at, e.actor.kind, e.prevHash, e.hash, String(e.seq));
  }
  const queue = (await client.GET("/queues/{team}", { params: { path: { team: "cards" }, query: {} } })).data;
  for (const row of queue?.items ?? []) {
    out.push(row.reference, row.slaPhase, row.segment, row.dueBy, row.statutoryDueBy ?? "", row.timeZone);
    out.push(String(row.businessMinutesLeft + row.tier));
  }
  out.push(queue?.nextCursor ?? "");
  const teams = (await client.GET("/teams")).data;
  for (const t of teams?.teams ?? []) out.push(t.team, String(t.member));
  const notices = (await client.GET("/staff/complaints/{id}/notices", { params: { path: { id: "x" } } })).data;
  for (const n of notices?.notices ?? []) out.push(n.kind, n.at, n.content.subject, n.satisfies?.rule ?? "");
  const history = (await client.GET("/customers/{id}/complaints", { params: { path: { id: "C-1" }, query: {} } })).data;
  for (const h of history?.items ?? []) out.push(h.reference, h.status, h.outcome ?? "");
  const sla = (await client.GET("/reports/sla", { params: { query: { from: "2026-12-01", to: "2027-01-01" } } })).data;
  out.push(String(sla?.total.attainmentPct ?? 0), ...(sla?.groups ?? []).map((g) => g.team ?? ""));
  const reg = (await client.GET("/reports/regulatory", { params: { query: { period: "2026-Q4" } } })).data;
  // JSON, or the CSV text with format=csv: the client tells them apart.
  if (typeof reg === "object") out.push(...reg.rows.map((r) => r.axis + r.code + r.overdue));
  const roots = (await client.GET("/reports/root-causes", { params: { query: { from: "2026-12-01", to: "2027-01-01" } } })).data;
  out.push(...(roots?.causes ?? []).map((c) => c.rootCause + c.trend));
  const verify = (await client.GET("/staff/complaints/{id}/audit/verify", { params: { path: { id: "x" } } })).data;
  out.push(String(verify?.valid), verify?.brokenAt?.reason ?? "");
  const error = (await client.GET("/staff/complaints/{id}", { params: { path: { id: "x" } } })).error;
  if (error) out.push(error.error.code, error.error.message);
  return out;
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023", "DOM"],
    module: "preserve",
    moduleResolution: "bundler",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  },
  files: ["client.ts"],
};

describe("the OpenAPI document, as a typed client sees it", () => {
  it("declares a body with its fields for every JSON 2xx answer (no bare objects)", () => {
    const bare: string[] = [];
    for (const [path, ops] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (!/^2/.test(status)) continue;
          const schema = response.content?.["application/json"]?.schema;
          const resolved = schema ? resolve(schema) : {};
          const props = resolved.properties as Record<string, unknown> | undefined;
          if (!props || Object.keys(props).length === 0)
            bare.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(bare).toEqual([]);
  });

  it("generates types with openapi-typescript that a strict client of every route compiles against", () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync(
      process.execPath,
      [
        join(ROOT, "console", "node_modules", "openapi-typescript", "bin", "cli.js"),
        join(ROOT, "docs", "openapi.json"),
        "-o",
        join(OUT, "api.ts"),
      ],
      { stdio: "pipe" },
    );
    // The console's types are these very types (regenerate with `npm run console:types`).
    expect(readFileSync(join(OUT, "api.ts"), "utf8")).toBe(
      readFileSync(join(ROOT, "console", "src", "api.ts"), "utf8"),
    );
    const calls = ROUTES.map(callOf).join("");
    expect(ROUTES.length).toBeGreaterThan(20);
    writeFileSync(join(OUT, "client.ts"), CONSOLE_READS.replace("%CALLS%", calls));
    writeFileSync(join(OUT, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    let output = "";
    try {
      execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", OUT], {
        stdio: "pipe",
      });
    } catch (e) {
      output = String((e as { stdout?: Buffer }).stdout ?? e);
    }
    expect(output).toBe("");
  }, 60_000);
});
