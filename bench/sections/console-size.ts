import { gzipSync } from "node:zlib";
import { buildConsole } from "../../console/build";
import { mdTable, type SectionResult, verdict } from "../lib/report";
import { fmt } from "../lib/stats";

/** Issue 14: the console's initial JavaScript, gzipped, at most 150 KB. */
const BUDGET_KB = 150;

/**
 * The staff workbench's initial download: the very build the embedded target serves (console/build.ts),
 * every file the page loads before it can be used, raw and gzipped (level 9, as a CDN would serve it).
 */
export const consoleSizeSection = async (): Promise<SectionResult> => {
  const files = await buildConsole();
  const rows = [...files].map(([name, f]) => ({
    name,
    raw: f.body.length,
    gzip: gzipSync(f.body, { level: 9 }).length,
  }));
  const js = rows.filter((r) => r.name.endsWith(".js"));
  const jsGzipKb = js.reduce((n, r) => n + r.gzip, 0) / 1024;
  return {
    id: "console",
    title: "Console size",
    figures: [
      {
        metric: "initial JavaScript, gzipped",
        value: `${fmt(jsGzipKb, 1)} KB`,
        target: `<= ${BUDGET_KB} KB`,
        ratio: `${fmt(jsGzipKb, 1)} KB`,
        verdict: verdict(jsGzipKb <= BUDGET_KB),
      },
    ],
    details: [
      "The files `/console/` loads (built by `console/build.ts`, as `npm start` serves them):",
      "",
      mdTable(
        ["file", "bytes", "gzipped bytes"],
        rows.map((r) => [r.name, r.raw, r.gzip]),
      ),
    ],
    data: { files: rows, jsGzipKb },
  };
};
