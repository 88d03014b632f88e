import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type BuildOptions, type BuildResult, build, buildSync } from "esbuild";

/**
 * Builds the staff workbench (console/src) with esbuild: one ES module and one stylesheet, minified, plus
 * the page that loads them. The embedded target builds it in memory when it starts (so `npm start` on a
 * fresh clone serves it, and every test stack has it); `npm run console:build` writes console/dist for the
 * AWS target's bucket. esbuild rather than Vite: it is already what bundles the Lambdas, builds the app in
 * well under a second, and keeps the build in-process without a dev server.
 */
const ROOT = dirname(new URL(import.meta.url).pathname);

export interface ConsoleFile {
  contentType: string;
  body: Uint8Array;
}

const OPTIONS: BuildOptions = {
  entryPoints: { app: join(ROOT, "src", "main.tsx"), style: join(ROOT, "src", "style.css") },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  write: false,
  outdir: join(ROOT, "dist", "assets"),
  entryNames: "[name]",
  legalComments: "none",
  logLevel: "silent",
};

const filesOf = (result: BuildResult<{ write: false }>): Map<string, ConsoleFile> => {
  const files = new Map<string, ConsoleFile>();
  for (const f of result.outputFiles) {
    const name = f.path.endsWith(".css") ? "assets/app.css" : "assets/app.js";
    files.set(name, {
      contentType: name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8",
      body: f.contents,
    });
  }
  files.set("index.html", {
    contentType: "text/html; charset=utf-8",
    body: new TextEncoder().encode(readFileSync(join(ROOT, "index.html"), "utf8")),
  });
  return files;
};

/** The built files by their path under /console/ (`index.html`, `assets/app.js`, `assets/app.css`). */
export const buildConsole = async (): Promise<Map<string, ConsoleFile>> =>
  filesOf((await build({ ...OPTIONS, write: false })) as BuildResult<{ write: false }>);

/**
 * Builds synchronously into a directory (what CDK uploads to the console bucket under `console/`): synth
 * stays one synchronous program and needs no build step run before it.
 */
export const writeConsoleSync = (outDir = join(ROOT, "dist")): string => {
  const files = filesOf(buildSync({ ...OPTIONS, write: false }) as BuildResult<{ write: false }>);
  for (const [name, file] of files) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), file.body);
  }
  return outDir;
};

/** Writes the build to console/dist (what the AWS target uploads to its bucket). */
export const writeConsole = async (outDir = join(ROOT, "dist")): Promise<string[]> => {
  const files = await buildConsole();
  for (const [name, file] of files) {
    await mkdir(dirname(join(outDir, name)), { recursive: true });
    await writeFile(join(outDir, name), file.body);
  }
  return [...files.keys()];
};

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, "/"))) {
  const names = await writeConsole();
  process.stdout.write(`wrote console/dist: ${names.join(", ")}\n`);
}
