import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith(".ts") ? [path] : [];
  });

const importsOf = (source: string): string[] =>
  [
    ...source.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);

describe("the dependency rule", () => {
  const domain = filesUnder("functions/domain");

  it("finds the domain sources (so the rules below check something)", () => {
    expect(domain.length).toBeGreaterThan(5);
  });

  for (const file of domain) {
    it(`${file} stays pure`, () => {
      const source = readFileSync(file, "utf8");
      const imports = importsOf(source);
      // The domain knows only itself, zod, and node's pure helpers: no SDK, no adapters, no handlers.
      for (const spec of imports) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(
          /^@aws-sdk|^@aws-lambda-powertools|^@middy|^aws-cdk|adapters|handlers|\/http\//,
        );
        if (!spec.startsWith(".")) expect(["zod"], `${file} imports ${spec}`).toContain(spec);
      }
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
        /import\s+(?:type\s+)?\{[^}]*\}\s+from\s+["']zod["']/,
      );
    }
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
