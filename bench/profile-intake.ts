/**
 * Profiling aid for the intake figure: `node --import tsx --cpu-prof --cpu-prof-dir .local/prof bench/profile-intake.ts`
 * drives N sequential intakes against the embedded stack, then `tsx bench/profile-intake.ts --summary <file>`
 * prints self time by package / our modules.
 */
import { readFileSync } from "node:fs";
import { complaintBody, newKey, System } from "./lib/system";

const summaryOf = (file: string) => {
  const prof = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self: Record<string, number> = {};
  prof.samples.forEach((id, i) => {
    const n = byId.get(id);
    const url = n?.callFrame.url ?? "";
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const key = m
      ? m[1]!
      : url.includes("/functions/") || url.includes("/infra/")
        ? url.replace(/.*\/(functions|infra)\//, "$1/")
        : url
          ? url.replace(/^.*\//, "")
          : `(${n?.callFrame.functionName || "native"})`;
    self[key] = (self[key] ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000;
  });
  delete self["((idle))"];
  const total = Object.values(self)
    .filter(Number.isFinite)
    .reduce((a, b) => a + b, 0);
  for (const [k, ms] of Object.entries(self)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25))
    process.stdout.write(
      `${((ms / total) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${k}\n`,
    );
};

if (process.argv[2] === "--summary") summaryOf(process.argv[3]!);
else {
  const sys = await System.start({});
  const n = Number(process.argv[2] ?? 200);
  const t = performance.now();
  for (let i = 0; i < n; i++) await sys.submit("mobile_app", complaintBody(), newKey("prof"));
  process.stderr.write(`${n} intakes in ${(performance.now() - t).toFixed(0)} ms\n`);
  await sys.stop();
  process.exit(0);
}
