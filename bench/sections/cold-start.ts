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

/** A minimal handler's use of each AWS SDK client: construct it once, send one command. */
const CLIENT_USE: Record<string, { imports: string; setup: string; call: string }> = {
  dynamodb: {
    imports:
      'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\nimport { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";',
    setup: "const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));",
    call: 'await db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id, sk: "META" } }));',
  },
  sfn: {
    imports: 'import { SFNClient, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";',
    setup: "const sfn = new SFNClient({});",
    call: 'await sfn.send(new SendTaskSuccessCommand({ taskToken: event.token, output: "{}" }));',
  },
  s3: {
    imports: 'import { S3Client, HeadObjectCommand } from "@aws-sdk/client-s3";',
    setup: "const s3 = new S3Client({});",
    call: "await s3.send(new HeadObjectCommand({ Bucket: event.bucket, Key: event.key }));",
  },
  eventbridge: {
    imports: 'import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";',
    setup: "const bus = new EventBridgeClient({});",
    call: "await bus.send(new PutEventsCommand({ Entries: [] }));",
  },
  sns: {
    imports: 'import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";',
    setup: "const sns = new SNSClient({});",
    call: 'await sns.send(new PublishCommand({ TopicArn: event.topic, Message: "m" }));',
  },
};

/** A minimal handler holding exactly these SDK clients (the measure a handler's bundle is judged by). */
const minimalSource = (clients: readonly string[]): string => {
  const uses = clients.map((c) => {
    const use = CLIENT_USE[c];
    if (!use) throw new Error(`no minimal use of the ${c} client`);
    return use;
  });
  return `${uses.map((u) => u.imports).join("\n")}
${uses.map((u) => u.setup).join("\n")}
export const handler = async (event) => { ${uses.map((u) => u.call).join(" ")} return "ok"; };
`;
};

/** The AWS SDK clients a bundle carries (from esbuild's metafile), DynamoDB always. */
const clientsOf = (meta: Metafile, output: string): string[] => {
  const clients = new Set(["dynamodb"]);
  for (const [path, { bytesInOutput }] of Object.entries(meta.outputs[output]?.inputs ?? {})) {
    const m = /node_modules\/@aws-sdk\/client-([a-z0-9-]+)\//.exec(path);
    if (m && bytesInOutput > 0) clients.add(m[1] as string);
  }
  return [...clients].sort();
};

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
  progress(`cold start: bundling ${ids.length} handlers with the CDK construct's esbuild options`);
  const bundleOne = async (id: string, entry: string, i: number) => {
    const outfile = join(dir, `${i}-${id.replace(/\W+/g, "_")}`, "index.mjs");
    const result = await build({ ...cdkBundleOptions(entry, outfile), absWorkingDir: process.cwd() });
    const out = Object.keys(result.metafile?.outputs ?? {}).find((o) => o.endsWith("index.mjs")) ?? "";
    const meta = result.metafile as Metafile;
    return {
      id,
      outfile,
      bytes: statSync(outfile).size,
      sdkBytes: sdkBytesOf(meta, out),
      top: topPackages(meta, out),
      clients: clientsOf(meta, out),
    };
  };
  const handlers = await Promise.all(ids.map((id, i) => bundleOne(id, resolve(HANDLERS[id].entry), i)));
  // One minimal handler per set of clients the handlers carry: each handler is judged against the one
  // holding the same clients (same esbuild options), as issue 17 asks.
  const sets = [...new Set(handlers.map((h) => h.clients.join("+")))].sort();
  progress(`cold start: ${sets.length} minimal handlers (${sets.join(", ")})`);
  const minimals = await Promise.all(
    sets.map((set, i) => {
      const entry = join(dir, `minimal-${i}.mjs`);
      writeFileSync(entry, minimalSource(set.split("+")));
      return bundleOne(`minimal: ${set}`, entry, ids.length + i);
    }),
  );
  const minimalOf = (clients: readonly string[]) =>
    minimals.find((m) => m.id === `minimal: ${clients.join("+")}`) as (typeof minimals)[number];
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
    for (const b of [...handlers, ...minimals, ...whatIfs]) {
      const ms = await initOnce(b.outfile);
      // The first round warms the OS file cache and is dropped.
      if (r > 0) {
        times[b.id] ??= [];
        times[b.id]!.push(ms);
      }
    }
    progress(`cold start: round ${r + 1}/${opts.runs + 1}`);
  }
  const initOf = (id: string) => median(times[id] ?? []);
  const judged = handlers.map((h) => {
    const m = minimalOf(h.clients);
    return { ...h, minimal: m, bytesRatio: h.bytes / m.bytes, initRatio: initOf(h.id) / initOf(m.id) };
  });
  const rows = judged.map((b) => [
    b.id,
    b.clients.join(", "),
    fmt(b.bytes / 1024, 1),
    fmt(b.minimal.bytes / 1024, 1),
    `${fmt(b.bytesRatio)}x`,
    verdict(b.bytesRatio <= 1.25),
    fmt(initOf(b.id), 1),
    `${fmt(b.initRatio)}x`,
    verdict(b.initRatio <= 1.3),
    b.top,
  ]);
  const worstBytes = Math.max(...judged.map((b) => b.bytesRatio));
  const worstInit = Math.max(...judged.map((b) => b.initRatio));
  const sizeMisses = judged.filter((b) => b.bytesRatio > 1.25).map((b) => b.id);
  const initMisses = judged.filter((b) => b.initRatio > 1.3).map((b) => b.id);
  const largest = Math.max(...handlers.map((b) => b.bytes / 1024));
  const largestOwn = Math.max(...handlers.map((b) => (b.bytes - b.sdkBytes) / 1024));
  const dynamoOnly = minimalOf(["dynamodb"]);
  return {
    id: "cold-start",
    title: "Cold start: bundle size and module init",
    figures: [
      {
        metric: "bundle bytes, worst handler / minimal handler with the same SDK clients",
        value: fmt(worstBytes),
        target: "<= 1.25x each",
        ratio: `${judged.length - sizeMisses.length}/${judged.length} within`,
        verdict: verdict(sizeMisses.length === 0),
      },
      {
        metric: "module init, worst handler / minimal handler with the same SDK clients (median)",
        value: `${fmt(worstInit)}x`,
        target: "<= 1.3x each",
        ratio: `${judged.length - initMisses.length}/${judged.length} within`,
        verdict: verdict(initMisses.length === 0),
      },
      {
        metric: "largest handler bundle (KB) / without the AWS SDK (ours + zod + Powertools + middy)",
        value: `${fmt(largest, 1)} / ${fmt(largestOwn, 1)}`,
        target: "-",
        ratio: `minimal DynamoDB handler: ${fmt(dynamoOnly.bytes / 1024, 0)} KB`,
        verdict: "INFO",
      },
    ],
    details: [
      "Bundled with esbuild using the options of `infra/constructs/handler-function.ts` (ESM, node22, minify, keepNames, " +
        "source map kept outside the bundle, the createRequire banner, nothing external). Size = the minified `index.mjs`. " +
        `Init = time of \`await import(bundle)\` in a fresh \`node\` process (${process.version}; Lambda runs Node 22), median of ${opts.runs} runs, ` +
        "bundles measured round-robin so machine noise spreads evenly. Each handler is judged against a minimal handler " +
        "that constructs the same AWS SDK clients (read from the handler's metafile) and sends one command with each, " +
        "bundled with the same options.",
      mdTable(
        [
          "bundle",
          "SDK clients",
          "KB",
          "minimal KB",
          "x minimal",
          "<= 1.25x",
          "init ms (median)",
          "x minimal",
          "<= 1.3x",
          "largest inputs (KB in output)",
        ],
        rows,
      ),
      mdTable(
        ["minimal handler", "KB", "of which AWS SDK", "init ms (median)"],
        minimals.map((m) => [m.id, fmt(m.bytes / 1024, 1), fmt(m.sdkBytes / 1024, 0), fmt(initOf(m.id), 1)]),
      ),
      "The other way to ship the SDK, timed in the same rounds (same options otherwise):",
      mdTable(
        ["bundle", "KB", "init ms (median)", "x minimal DynamoDB handler", "x intake as built"],
        whatIfs.map((w) => {
          const init = initOf(w.id);
          return [
            w.id,
            fmt(w.bytes / 1024, 1),
            fmt(init, 1),
            fmt(init / initOf(dynamoOnly.id)),
            fmt(init / initOf("intake")),
          ];
        }),
      ),
      ...(sizeMisses.length ? [`Over 1.25x in bytes: ${sizeMisses.join(", ")}.`] : []),
      ...(initMisses.length ? [`Over 1.3x in init: ${initMisses.join(", ")}.`] : []),
    ],
    data: {
      runs: opts.runs,
      bundles: judged.map((b) => ({
        id: b.id,
        clients: b.clients,
        bytes: b.bytes,
        sdkBytes: b.sdkBytes,
        minimalBytes: b.minimal.bytes,
        medianInitMs: initOf(b.id),
        minimalInitMs: initOf(b.minimal.id),
      })),
    },
  };
};
