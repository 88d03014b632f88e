import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import type { SectionResult } from "./lib/report";
import { fmt, progress } from "./lib/stats";
import { System, WORKING_TUESDAY } from "./lib/system";
import { coldStartSection } from "./sections/cold-start";
import { consoleSizeSection } from "./sections/console-size";
import { intakeSection } from "./sections/intake";
import { loadSection } from "./sections/load";
import { reportsSection } from "./sections/reports";
import { scaleSection } from "./sections/scale";
import { throughputSection } from "./sections/throughput";
import { workflowCostSection } from "./sections/workflow-cost";

/*
 * npm run bench                      every section (under ten minutes on 2 cores), writes BENCHMARKS.md
 * npm run bench -- --only load       one section (intake | workflow | cold-start | scale | reports | throughput | load | console)
 * npm run bench -- --quick           small N everywhere (development; still writes BENCHMARKS.md unless --no-write)
 * npm run bench -- --load-n 2000     size of the load test (default 2000, in the full run too; 200 with --quick)
 */
/** Hand-written findings (causes of misses, fixes, before/after), appended to the generated report. */
const FINDINGS = "bench/findings.md";

const SECTIONS = [
  "intake",
  "throughput",
  "load",
  "workflow",
  "scale",
  "reports",
  "cold-start",
  "console",
] as const;
type SectionId = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    only: { type: "string", multiple: true },
    quick: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    "load-n": { type: "string" },
    "load-concurrency": { type: "string", default: "16" },
    out: { type: "string", default: "BENCHMARKS.md" },
  },
});

const only = (values.only ?? []).flatMap((o) => o.split(",")) as SectionId[];
for (const o of only)
  if (!SECTIONS.includes(o)) throw new Error(`unknown section '${o}'; one of ${SECTIONS.join(", ")}`);
const wanted = (id: SectionId) => only.length === 0 || only.includes(id);
const quick = values.quick ?? false;
const loadN = Number(values["load-n"] ?? (quick ? 200 : 2000));
const loadConcurrency = Number(values["load-concurrency"]);

const results: SectionResult[] = [];
const started = Date.now();
const section = async (id: SectionId, fn: () => Promise<SectionResult>) => {
  if (!wanted(id)) return;
  const t = Date.now();
  progress(`== ${id} ==`);
  const r = await fn();
  r.seconds = (Date.now() - t) / 1000;
  results.push(r);
  for (const f of r.figures)
    progress(`   ${f.metric}: ${f.value}${f.verdict && f.verdict !== "INFO" ? ` [${f.verdict}]` : ""}`);
};

// One embedded stack at the real clock for the HTTP-facing sections.
if (wanted("intake") || wanted("throughput") || wanted("load")) {
  progress("starting the embedded stack (real clock)");
  const sys = await System.start({});
  try {
    await section("intake", () => intakeSection(sys, { pairs: quick ? 40 : 300 }));
    await section("throughput", () =>
      throughputSection(sys, { counts: quick ? { 1: 8, 4: 16, 16: 32 } : { 1: 25, 4: 60, 16: 160 } }),
    );
    await section("load", () => loadSection(sys, { n: loadN, concurrency: loadConcurrency }));
  } finally {
    await sys.stop();
  }
}

if (wanted("workflow")) {
  progress("starting the embedded stack (clock x100,000: a simulated day in 0.86 s)");
  const sys = await System.start({ timeScale: 100_000, startAt: WORKING_TUESDAY, reconcileEveryMs: 1e9 });
  try {
    await section("workflow", () => workflowCostSection(sys, { longDays: quick ? 20 : 60 }));
  } finally {
    await sys.stop();
  }
}

if (wanted("scale")) {
  progress("starting the embedded stack (fresh table)");
  const sys = await System.start({ reconcileEveryMs: 1e9 });
  try {
    await section("scale", () =>
      scaleSection(sys, { small: 1000, large: quick ? 5000 : 50_000, requests: quick ? 30 : 100 }),
    );
  } finally {
    await sys.stop();
  }
}

if (wanted("reports")) {
  progress("starting the embedded stack (fresh table) for the reports");
  const sys = await System.start({ reconcileEveryMs: 1e9 });
  try {
    await section("reports", () =>
      reportsSection(sys, {
        small: 1000,
        large: quick ? 5000 : 50_000,
        requests: quick ? 10 : 30,
        million: quick ? 100_000 : 1_000_000,
      }),
    );
  } finally {
    await sys.stop();
  }
}

await section("cold-start", () => coldStartSection({ runs: quick ? 3 : 15 }));
await section("console", () => consoleSizeSection());

const totalSeconds = (Date.now() - started) / 1000;
const git = (() => {
  try {
    return execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
})();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
const cpu = os.cpus()[0]?.model ?? "unknown";
const load = os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(" / ");

const summary = results.flatMap((r) =>
  r.figures
    .filter((f) => f.target || f.verdict === "INFO")
    .map(
      (f) =>
        `| ${r.title} | ${f.metric} | ${f.value} | ${f.target ?? "-"} | ${f.ratio ?? "-"} | ${f.verdict ?? "-"} |`,
    ),
);
const md = [
  "# Benchmarks",
  "",
  "Every figure below was produced by one run of the command shown, against the embedded target (DynamoDB Local,",
  "the embedded Step Functions engine and the local HTTP gateway, all on loopback). The machine is shared and noisy,",
  "so targets are judged on ratios measured side by side in the same run, never on absolute times.",
  "",
  `- command: \`${command}\``,
  `- date: ${new Date().toISOString()} (git ${git}, working tree as it was)`,
  `- machine: ${os.cpus().length} cores (${cpu}), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}; load average at the end ${load}`,
  `- duration: ${fmt(totalSeconds, 0)} s`,
  ...(wanted("load") ? [`- load test: N = ${loadN} complaints, concurrency ${loadConcurrency}`] : []),
  "",
  "## Summary",
  "",
  "| section | figure | measured | target | judged on | verdict |",
  "|---|---|---|---|---|---|",
  ...summary,
  "",
  ...results.flatMap((r) => [
    `## ${r.title}`,
    "",
    `(${fmt(r.seconds ?? 0, 0)} s)`,
    "",
    ...r.details.flatMap((d) => [d, ""]),
  ]),
  // What the misses are made of and what was changed, with before/after figures: written by hand from
  // A/B runs of this command, kept beside the code so a regenerated file keeps it.
  ...(existsSync(FINDINGS) ? [readFileSync(FINDINGS, "utf8").trim(), ""] : []),
  "## Prices used",
  "",
  "AWS list prices, us-east-1, as published on these pages (checked when this benchmark was written, 2026):",
  "",
  "- Step Functions Standard: $0.025 per 1,000 state transitions, retries included — https://aws.amazon.com/step-functions/pricing/",
  "- Lambda, Arm (arm64): $0.0000133334 per GB-second (first 7.5 billion GB-s a month), $0.20 per 1M requests — https://aws.amazon.com/lambda/pricing/",
  "- DynamoDB on-demand, Standard table class: $0.625 per million write request units, $0.125 per million read request units",
  "  (after the November 2024 price cut) — https://aws.amazon.com/dynamodb/pricing/on-demand/",
  "",
  "Free tiers are ignored. API Gateway, SNS, CloudWatch and storage are not included in the per-complaint cost.",
  "",
];

if (!values["no-write"]) {
  writeFileSync(values.out!, md.join("\n"));
  mkdirSync(".local", { recursive: true });
  writeFileSync(
    ".local/bench-latest.json",
    JSON.stringify({ command, date: new Date().toISOString(), results }, null, 2),
  );
  progress(`wrote ${values.out} (and .local/bench-latest.json) in ${fmt(totalSeconds, 0)} s`);
} else process.stdout.write(md.join("\n"));
process.exit(0);
