import { execFile } from "node:child_process";
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { HANDLERS, type HandlerId } from "../../functions/handlers/catalog";
import { mdTable, type SectionResult, verdict } from "../lib/report";
import { fmt, median, progress } from "../lib/stats";

const run = promisify(execFile);

/**
 * The esbuild options `NodejsFunction` derives from `infra/constructs/handler-function.ts` (format ESM,
 * target node22, mainFields module/main, the createRequire banner, minify, source maps without sources,
 * keepNames, nothing external): the same bundle CDK uploads.
 */
export const cdkBundleOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  mainFields: ["module", "main"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);",
  },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  keepNames: true,
  metafile: true,
  logLevel: "silent",
});

const BASELINE_SOURCE = `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (event) => db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id, sk: "META" } }));
`;

/** Module-init time: a fresh Node process imports the bundle and reports how long the import took. */
const INIT_PROBE = `const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));`;

const ENV = {
  ...process.env,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "local",
  AWS_SECRET_ACCESS_KEY: "local",
  TABLE_NAME: "complaints",
  STATE_MACHINE_ARN: "arn:aws:states:us-east-1:000000000000:stateMachine:complaints",
  POWERTOOLS_SERVICE_NAME: "complaints",
  POWERTOOLS_METRICS_NAMESPACE: "ComplaintHandling",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  NODE_OPTIONS: "",
};

const initOnce = async (file: string): Promise<number> => {
  const { stdout } = await run(
    process.execPath,
    ["--input-type=module", "-e", INIT_PROBE, pathToFileURL(file).href],
    {
      env: ENV,
      timeout: 30_000,
    },
  );
  return Number(stdout.trim());
};

/** A bundle's output bytes by where they come from: the npm package, our `functions/`, or the file. */
const bytesByOrigin = (meta: Metafile, output: string): Record<string, number> => {
  const byOrigin: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(meta.outputs[output]?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : path.startsWith("functions/") ? "functions/ (ours)" : path;
    byOrigin[key] = (byOrigin[key] ?? 0) + bytesInOutput;
  }
  return byOrigin;
};

/** The largest inputs of a bundle (for the report: what the kilobytes are made of). */
const topPackages = (meta: Metafile, output: string, n = 4): string =>
  Object.entries(bytesByOrigin(meta, output))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${fmt(v / 1024, 0)}`)
    .join(", ");

/** Packages that come with the AWS SDK (the clients, Smithy, their own dependencies). */
const SDK_PACKAGE = /^(@aws-sdk|@smithy|@aws-crypto)\/|^(fast-xml-parser|strnum|bowser|tslib|uuid)$/;

/** Bytes of a bundle's output that come from the AWS SDK. */
const sdkBytesOf = (meta: Metafile, output: string): number =>
  Object.entries(bytesByOrigin(meta, output))
    .filter(([origin]) => SDK_PACKAGE.test(origin))
    .reduce((sum, [, bytes]) => sum + bytes, 0);

/**
 * The intake handler under the other way to ship the SDK: external, resolved at run time from the
 * runtime's copy (here: from node_modules, unbundled, as the runtime holds it).
 */
const WHAT_IF: [string, Partial<BuildOptions>][] = [
  ["AWS SDK from the Lambda runtime (external, unbundled)", { external: ["@aws-sdk/*", "@smithy/*"] }],
];

export const coldStartSection = async (opts: { runs: number }): Promise<SectionResult> => {
  const dir = resolve(".local/bench-bundles");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ids = Object.keys(HANDLERS) as HandlerId[];
  progress(
    `cold start: bundling ${ids.length} handlers + the baseline with the CDK construct's esbuild options`,
  );
  const baselineEntry = join(dir, "baseline-entry.mjs");
  writeFileSync(baselineEntry, BASELINE_SOURCE);
  const targets = [
    ...ids.map((id) => ({ id: id as string, entry: resolve(HANDLERS[id].entry) })),
    { id: "baseline (DynamoDB document client only)", entry: baselineEntry },
  ];
  const bundles = await Promise.all(
    targets.map(async (t, i) => {
      const outfile = join(dir, `${i}-${t.id.replace(/\W+/g, "_")}`, "index.mjs");
      const result = await build({ ...cdkBundleOptions(t.entry, outfile), absWorkingDir: process.cwd() });
      const out = Object.keys(result.metafile?.outputs ?? {}).find((o) => o.endsWith("index.mjs")) ?? "";
      return {
        ...t,
        outfile,
        bytes: statSync(outfile).size,
        sdkBytes: result.metafile ? sdkBytesOf(result.metafile, out) : 0,
        top: result.metafile ? topPackages(result.metafile, out) : "",
      };
    }),
  );
  // The what-if builds are timed in the same rounds, so their init compares with the bundles above.
  const whatIfs = await Promise.all(
    WHAT_IF.map(async ([name, extra], i) => {
      const outfile = join(dir, `whatif-${i}`, "index.mjs");
      await build({
        ...cdkBundleOptions(resolve(HANDLERS.intake.entry), outfile),
        ...extra,
        absWorkingDir: process.cwd(),
      });
      return { id: `intake, ${name}`, outfile, bytes: statSync(outfile).size };
    }),
  );

  progress(`cold start: module init, ${opts.runs} fresh processes per bundle (round-robin)`);
  const times: Record<string, number[]> = {};
  for (let r = 0; r < opts.runs + 1; r++) {
    for (const b of [...bundles, ...whatIfs]) {
      const ms = await initOnce(b.outfile);
      // The first round warms the OS file cache and is dropped.
      if (r > 0) {
        times[b.id] ??= [];
        times[b.id]!.push(ms);
      }
    }
    progress(`cold start: round ${r + 1}/${opts.runs + 1}`);
  }
  const baseline = bundles[bundles.length - 1]!;
  const baseInit = median(times[baseline.id] ?? []);
  const handlersOnly = bundles.slice(0, -1);
  const rows = bundles.map((b) => {
    const init = median(times[b.id] ?? []);
    const kb = b.bytes / 1024;
    const isBase = b === baseline;
    return [
      b.id,
      fmt(kb, 1),
      isBase ? "-" : verdict(kb <= 250),
      fmt(b.sdkBytes / 1024, 0),
      fmt((b.bytes - b.sdkBytes) / 1024, 0),
      fmt(init, 1),
      isBase ? "1.00" : fmt(init / baseInit),
      isBase ? "-" : verdict(init <= 1.5 * baseInit),
      b.top,
    ];
  });
  const largest = Math.max(...handlersOnly.map((b) => b.bytes / 1024));
  const largestOwn = Math.max(...handlersOnly.map((b) => (b.bytes - b.sdkBytes) / 1024));
  const worstRatio = Math.max(...handlersOnly.map((b) => median(times[b.id] ?? []) / baseInit));
  const sizeMisses = handlersOnly.filter((b) => b.bytes / 1024 > 250).map((b) => b.id);
  const initMisses = handlersOnly.filter((b) => median(times[b.id] ?? []) > 1.5 * baseInit).map((b) => b.id);
  return {
    id: "cold-start",
    title: "Cold start: bundle size and module init",
    figures: [
      {
        metric: "largest handler bundle (minified, KB)",
        value: fmt(largest, 1),
        target: "<= 250 KB each",
        ratio: `${handlersOnly.length - sizeMisses.length}/${handlersOnly.length} within`,
        verdict: verdict(sizeMisses.length === 0),
      },
      {
        metric: "largest handler bundle without the AWS SDK (ours + zod + Powertools + middy, KB)",
        value: fmt(largestOwn, 1),
        target: "-",
        ratio: `baseline's SDK alone: ${fmt(baseline.sdkBytes / 1024, 0)} KB`,
        verdict: "INFO",
      },
      {
        metric: "module init, worst handler / minimal bundle (median)",
        value: `${fmt(worstRatio)}x (baseline ${fmt(baseInit, 1)} ms)`,
        target: "<= 1.5x",
        ratio: `${handlersOnly.length - initMisses.length}/${handlersOnly.length} within`,
        verdict: verdict(initMisses.length === 0),
      },
    ],
    details: [
      "Bundled with esbuild using the options of `infra/constructs/handler-function.ts` (ESM, node22, minify, keepNames, " +
        "source map kept outside the bundle, the createRequire banner, nothing external). Size = the minified `index.mjs`. " +
        `Init = time of \`await import(bundle)\` in a fresh \`node\` process (${process.version}; Lambda runs Node 22), median of ${opts.runs} runs, ` +
        "bundles measured round-robin so machine noise spreads evenly. Baseline: a bundle holding only the DynamoDB document client.",
      mdTable(
        [
          "bundle",
          "KB",
          "<= 250 KB",
          "of which AWS SDK",
          "without the SDK",
          "init ms (median)",
          "x baseline",
          "<= 1.5x",
          "largest inputs (KB in output)",
        ],
        rows,
      ),
      "The other way to ship the SDK, timed in the same rounds (same options otherwise):",
      mdTable(
        ["bundle", "KB", "init ms (median)", "x baseline", "x intake as built"],
        whatIfs.map((w) => {
          const init = median(times[w.id] ?? []);
          const intakeInit = median(times.intake ?? []);
          return [w.id, fmt(w.bytes / 1024, 1), fmt(init, 1), fmt(init / baseInit), fmt(init / intakeInit)];
        }),
      ),
      ...(sizeMisses.length ? [`Over 250 KB: ${sizeMisses.join(", ")}.`] : []),
      ...(initMisses.length ? [`Init over 1.5x: ${initMisses.join(", ")}.`] : []),
    ],
    data: {
      runs: opts.runs,
      baselineInitMs: baseInit,
      bundles: bundles.map((b) => ({
        id: b.id,
        bytes: b.bytes,
        sdkBytes: b.sdkBytes,
        initMs: times[b.id],
        medianInitMs: median(times[b.id] ?? []),
      })),
    },
  };
};
