/** What a benchmark section hands back to the runner, which writes BENCHMARKS.md from it. */
export interface Figure {
  metric: string;
  value: string;
  /** The target in words, e.g. "<= 3x bare put". */
  target?: string;
  /** The measured ratio or count the target is judged on. */
  ratio?: string;
  verdict?: "PASS" | "MISS" | "INFO";
}

export interface SectionResult {
  id: string;
  title: string;
  figures: Figure[];
  /** Extra markdown (tables, method, findings). */
  details: string[];
  /** Machine-readable figures (written to bench/results/latest.json). */
  data: Record<string, unknown>;
  seconds?: number;
}

export const verdict = (ok: boolean): "PASS" | "MISS" => (ok ? "PASS" : "MISS");

export const mdTable = (header: string[], rows: (string | number)[][]): string =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
