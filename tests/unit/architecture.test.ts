import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The dependency rule, walked import by import. dependency-cruiser would be the tool for this, but it
 * cannot read this repository: 18.x runs on Node 22 only, and 17.x parses TypeScript through the
 * `typescript` package's compiler API, which TypeScript 7 (the native compiler) no longer ships.
 */

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });

/** Specifiers only (the older checks below look at package names). */
const importsOf = (source: string): string[] => parseImports(source).map((i) => i.spec);

interface Import {
  spec: string;
  /** `import type` / `export type`: erased from the bundle, but still a dependency of the source. */
  typeOnly: boolean;
}

/** Static imports and re-exports (type-only ones marked), side-effect imports and literal dynamic imports. */
const parseImports = (source: string): Import[] => {
  // Comments may quote code; strings spanning lines with "import" in them are rare enough to ignore.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: Import[] = [];
  for (const m of code.matchAll(/\b(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g))
    found.push({ spec: m[3] as string, typeOnly: m[2] !== undefined });
  for (const m of code.matchAll(/\bimport\s*["']([^"']+)["']/g))
    found.push({ spec: m[1] as string, typeOnly: false });
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g))
    found.push({ spec: m[1] as string, typeOnly: false });
  return found;
};

/** A relative import as a repository path (`functions/app/ports.ts`), or undefined when nothing is there. */
const resolve = (from: string, spec: string): string | undefined => {
  const base = normalize(join(dirname(from), spec));
  return [base, `${base}.ts`, join(base, "index.ts")].find((p) => existsSync(p) && statSync(p).isFile());
};

type Layer =
  | "domain"
  | "app"
  | "contract"
  | "adapters"
  | "http"
  | "stream"
  | "handlers"
  | "catalog"
  | "observability"
  | "workflows";

/** The layer a repository path belongs to; `outside:<dir>` for the tooling (infra, bench, cli, scripts, tests). */
const layerOf = (path: string): Layer | `outside:${string}` | undefined => {
  if (path === "functions/handlers/catalog.ts") return "catalog";
  if (path === "workflows/contract.ts") return "contract";
  const [top, second] = path.split("/");
  if (top === "workflows") return "workflows";
  if (top !== "functions") return `outside:${top}`;
  const layers: readonly string[] = [
    "domain",
    "app",
    "adapters",
    "http",
    "stream",
    "handlers",
    "observability",
  ];
  return second && layers.includes(second) ? (second as Layer) : undefined;
};

interface Rule {
  /** Layers whose modules this layer may import (its own included where listed). */
  layers: readonly Layer[];
  /** npm packages and node built-ins it may import. */
  packages: readonly RegExp[];
  /**
   * Narrower rules for one target layer: only these of its files; any of them type-only, if so marked;
   * any of them from the importing files listed in `anyFrom`.
   */
  only?: Partial<
    Record<Layer, { files: readonly string[]; typesFromAnyFile?: boolean; anyFrom?: readonly string[] }>
  >;
}

const pkg = (...names: string[]) => names.map((n) => new RegExp(`^${n.replace("/", "\\/")}(?:/|$)`));

/**
 * Who may import whom, read off the code on main: inner layers never know outer ones, and no runtime
 * code knows the tooling (infra, bench, cli, scripts, tests).
 */
const RULES: Record<Layer, Rule> = {
  // The domain: zod and itself. No SDK, no node built-ins, no other layer.
  domain: { layers: ["domain"], packages: pkg("zod") },
  // Use cases: the domain, themselves and the workflow's contract (state names, task shapes); hashing
  // from node:crypto. No SDK, adapters, http, handlers or infra: the adapters come in through ports.
  // file-type: which format a file's first bytes are (a pure function of the bytes, no I/O).
  app: { layers: ["domain", "app", "contract"], packages: pkg("zod", "node:crypto", "file-type") },
  // Adapters implement the app's ports with SDKs. From the app they take the ports (and, type-only, the
  // shapes those ports speak); only the composition root (runtime.ts) builds app services.
  adapters: {
    layers: ["domain", "app", "adapters"],
    packages: [
      /^@aws-sdk\//,
      ...pkg("@aws-lambda-powertools/logger", "@aws-lambda-powertools/metrics", "aws-lambda", "ulid", "zod"),
      /^node:/,
    ],
    only: {
      app: {
        files: ["functions/app/ports.ts"],
        typesFromAnyFile: true,
        anyFrom: ["functions/adapters/runtime.ts"],
      },
    },
  },
  // The HTTP edge: middy, the runtime wiring of the adapters, the app and the domain, and the handler
  // catalog (a route names the handler it goes to).
  // The Lambda edge: middy, Powertools' request context, the workflow's error names (contract).
  http: {
    layers: ["domain", "app", "http", "adapters", "catalog", "contract"],
    packages: pkg(
      "@aws-lambda-powertools/logger/middleware",
      "@middy/core",
      "@middy/http-header-normalizer",
      "@middy/http-json-body-parser",
      "aws-lambda",
      "zod",
    ),
    only: { adapters: { files: ["functions/adapters/runtime.ts"] } },
  },
  // The stream edge: the runtime wiring of the adapters, the app and the domain.
  stream: {
    layers: ["domain", "app", "stream", "adapters"],
    packages: pkg("aws-lambda"),
    only: { adapters: { files: ["functions/adapters/runtime.ts"] } },
  },
  // Handlers wire the layers above together (and are checked to be thin below).
  handlers: {
    layers: ["domain", "app", "contract", "adapters", "http", "stream", "handlers", "catalog"],
    packages: pkg("aws-lambda"),
  },
  // The list of handlers: data, imported by the workflow, the routes and infra.
  catalog: { layers: [], packages: [] },
  // Dashboard widgets, one definition for CloudWatch and the local page: the domain's names only.
  observability: { layers: ["domain", "observability"], packages: [] },
  // The workflow's contract with the app: plain names and shapes.
  contract: { layers: ["contract"], packages: [] },
  // The state machine: CDK, its contract, and the handler catalog.
  workflows: { layers: ["workflows", "contract", "catalog"], packages: pkg("aws-cdk-lib", "constructs") },
};

/**
 * Imports that break a rule above and are known: each one is reported, and must still exist (so one
 * fixed leaves this list). Fix the import rather than adding to this list.
 */
const KNOWN_BREAKS: readonly { from: string; to: string; why: string }[] = [
  {
    from: "functions/stream/consumer.ts",
    to: "functions/adapters/dynamodb/stream-records.ts",
    why: "decodes DynamoDB stream records itself instead of getting the decoder from the runtime wiring",
  },
  {
    from: "functions/adapters/dynamodb/complaint-repository.ts",
    to: "functions/app/audit-chain.ts",
    why: "computes the audit hash chain with the app's chainHash instead of through a port",
  },
];

/** What one file's imports break, as `file imports spec: why` lines. */
const violations = (file: string, imports: readonly Import[]): string[] => {
  const from = layerOf(file);
  if (from === undefined || from.startsWith("outside:")) return [`${file} is in no layer: give it a rule`];
  const rule = RULES[from as Layer];
  const broken: string[] = [];
  for (const { spec, typeOnly } of imports) {
    const say = (why: string) => broken.push(`${file} imports ${spec}: ${why}`);
    if (!spec.startsWith(".")) {
      if (!rule.packages.some((p) => p.test(spec))) say(`${from} may not import the package ${spec}`);
      continue;
    }
    const target = resolve(file, spec);
    if (!target) {
      say("does not resolve (the walker must see every import)");
      continue;
    }
    const to = layerOf(target);
    if (to === undefined) say(`${target} is in no layer`);
    else if (to.startsWith("outside:")) say(`runtime code may not import ${to.slice(8)}/`);
    else if (!rule.layers.includes(to as Layer)) say(`${from} may not import ${to}`);
    else {
      const narrower = rule.only?.[to as Layer];
      if (
        narrower &&
        !narrower.files.includes(target) &&
        !(narrower.typesFromAnyFile && typeOnly) &&
        !narrower.anyFrom?.includes(file) &&
        !KNOWN_BREAKS.some((k) => k.from === file && k.to === target)
      )
        say(`${from} may import from ${to} only ${narrower.files.join(", ")}`);
    }
  }
  return broken;
};

const runtimeSources = [...filesUnder("functions"), ...filesUnder("workflows")];

describe("the dependency rule", () => {
  const domain = filesUnder("functions/domain");

  it("finds the sources of every layer (so the rules below check something)", () => {
    const seen = new Set(runtimeSources.map(layerOf));
    for (const layer of Object.keys(RULES)) expect(seen, layer).toContain(layer);
    expect(domain.length).toBeGreaterThan(5);
  });

  it("catches a broken rule (the check itself can fail)", () => {
    const parsed = parseImports(
      [
        'import * as z from "zod";',
        'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
        'import type { Dependencies } from "../app/dependencies";',
        "// import { ignored } from '../adapters/runtime';",
        'const later = () => import("../../infra/local/auth");',
        'export { HANDLERS } from "../handlers/catalog";',
      ].join("\n"),
    );
    expect(parsed).toEqual([
      { spec: "zod", typeOnly: false },
      { spec: "@aws-sdk/client-dynamodb", typeOnly: false },
      { spec: "../app/dependencies", typeOnly: true },
      { spec: "../handlers/catalog", typeOnly: false },
      { spec: "../../infra/local/auth", typeOnly: false },
    ]);
    expect(violations("functions/domain/complaint.ts", parsed)).toEqual([
      "functions/domain/complaint.ts imports @aws-sdk/client-dynamodb: domain may not import the package @aws-sdk/client-dynamodb",
      "functions/domain/complaint.ts imports ../app/dependencies: domain may not import app",
      "functions/domain/complaint.ts imports ../handlers/catalog: domain may not import catalog",
      "functions/domain/complaint.ts imports ../../infra/local/auth: runtime code may not import infra/",
    ]);
    expect(
      violations("functions/app/intake.ts", [
        { spec: "../../infra/local/auth", typeOnly: true },
        { spec: "../adapters/runtime", typeOnly: false },
      ]),
    ).toEqual([
      "functions/app/intake.ts imports ../../infra/local/auth: runtime code may not import infra/",
      "functions/app/intake.ts imports ../adapters/runtime: app may not import adapters",
    ]);
    expect(violations("functions/app/intake.ts", [{ spec: "./nowhere", typeOnly: false }])).toEqual([
      "functions/app/intake.ts imports ./nowhere: does not resolve (the walker must see every import)",
    ]);
    expect(
      violations("functions/http/routes.ts", [{ spec: "../adapters/dynamodb/read-models", typeOnly: false }]),
    ).toEqual([
      "functions/http/routes.ts imports ../adapters/dynamodb/read-models: http may import from adapters only functions/adapters/runtime.ts",
    ]);
  });

  it("holds for every import of functions/ and workflows/, each layer importing only what its rule lists", () => {
    const broken = runtimeSources.flatMap((file) =>
      violations(file, parseImports(readFileSync(file, "utf8"))),
    );
    expect(broken).toEqual([]);
  });

  it("lists only known breaks that still exist", () => {
    for (const k of KNOWN_BREAKS) {
      const targets = parseImports(readFileSync(k.from, "utf8"))
        .filter((i) => i.spec.startsWith("."))
        .map((i) => resolve(k.from, i.spec));
      expect(targets, `${k.from} no longer imports ${k.to}: drop it from KNOWN_BREAKS`).toContain(k.to);
    }
  });

  it("keeps infra, bench, cli, scripts and tests out of functions/ and the workflow contract", () => {
    const runtime = [...filesUnder("functions"), "workflows/contract.ts"];
    for (const file of runtime) {
      for (const { spec } of parseImports(readFileSync(file, "utf8"))) {
        const target = spec.startsWith(".") ? resolve(file, spec) : undefined;
        expect(target ? layerOf(target) : "package", `${file} imports ${spec}`).not.toMatch(/^outside:/);
      }
    }
  });

  for (const file of domain) {
    it(`${file} stays pure`, () => {
      const source = readFileSync(file, "utf8");
      expect(source, `${file} reads the environment`).not.toMatch(/process\.env/);
      expect(source, `${file} reads the wall clock`).not.toMatch(/Date\.now\(\)|new Date\(\)/);
    });
  }

  it("keeps handlers thin: wiring only, no SDK clients", () => {
    const handlers = filesUnder("functions/handlers").filter((f) => !f.endsWith("catalog.ts"));
    expect(handlers.length).toBeGreaterThan(5);
    for (const file of handlers) {
      const source = readFileSync(file, "utf8");
      expect(source.split("\n").length, `${file} is not thin`).toBeLessThanOrEqual(25);
      expect(
        importsOf(source).some((s) => s.startsWith("@aws-sdk")),
        `${file} builds its own SDK client`,
      ).toBe(false);
    }
  });

  it("imports zod as a namespace, so bundles keep only the parts they use", () => {
    const sources = [...filesUnder("functions"), ...filesUnder("workflows"), ...filesUnder("infra")];
    for (const file of sources) {
      expect(readFileSync(file, "utf8"), `${file}: use \`import * as z from "zod"\``).not.toMatch(
        /import\s+(?:type\s+)?\{[^}]*\bz\b[^}]*\}\s+from\s+["']zod(?:\/mini)?["']/,
      );
    }
  });

  it("builds module-level schemas in pure-annotated calls, so bundles that never reach them drop them", () => {
    const unwrapped = (source: string) =>
      source.split("\n").filter((line) => /^(?:export )?const \w+(?::[^=]+)? = z\s*(?:\.|$)/.test(line));
    const found = filesUnder("functions").flatMap((file) =>
      unwrapped(readFileSync(file, "utf8")).map((line) => `${file}: ${line}`),
    );
    expect(found).toEqual([]);
    // The check can fail.
    expect(unwrapped("export const fooSchema = z.strictObject({ a: z.string() });")).toHaveLength(1);
    expect(unwrapped("export const fooSchema = /* @__PURE__ */ (() => z.string())();")).toHaveLength(0);
  });

  it("takes zod in functions/ from functions/domain/zod.ts alone: zod/mini, with its English messages", () => {
    const ZOD = "functions/domain/zod.ts";
    const direct = filesUnder("functions")
      .filter((file) => file !== ZOD)
      .flatMap((file) =>
        importsOf(readFileSync(file, "utf8"))
          .filter((spec) => /^zod(?:\/|$)/.test(spec))
          .map((spec) => `${file} imports ${spec}`),
      );
    expect(direct).toEqual([]);
    const through = filesUnder("functions").filter((file) =>
      importsOf(readFileSync(file, "utf8")).some((spec) => /(?:^|\/)domain\/zod$|^\.\.?\/zod$/.test(spec)),
    );
    // The check sees the schema modules at all.
    expect(through).toContain("functions/domain/schemas.ts");
    expect(importsOf(readFileSync(ZOD, "utf8"))).toEqual([
      "zod/mini",
      "zod/v4/locales/en.js",
      "zod/mini",
      "zod/v4/core",
    ]);
  });

  it("keeps the holiday libraries out of functions/: bundles carry the generated calendar data", () => {
    const sources = filesUnder("functions");
    expect(sources.some((f) => f.includes("calendar"))).toBe(true);
    for (const file of sources) {
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(
          /^(?:date-holidays|chinese-days|lunar-javascript)(?:\/|$)/,
        );
      }
    }
  });

  it("keeps table keys inside the DynamoDB adapter", () => {
    const outside = [...filesUnder("functions"), ...filesUnder("workflows")].filter(
      (f) => !f.includes("adapters/dynamodb"),
    );
    for (const file of outside) {
      expect(readFileSync(file, "utf8"), `${file} builds table keys`).not.toMatch(
        /`COMPLAINT#|"COMPLAINT#|QUEUE#/,
      );
    }
  });
});
