import { mdTable, type SectionResult } from "../lib/report";
import { fmt, percentile, pool, progress } from "../lib/stats";
import { fullLifecycle, type System } from "../lib/system";

/**
 * Full lifecycles per second (intake -> resolve -> feedback accept -> closed), each one a chain of HTTP
 * calls plus the workflow steps between them, at concurrency 1, 4 and 16.
 */
export const throughputSection = async (
  sys: System,
  opts: { counts: Record<number, number> },
): Promise<SectionResult> => {
  const rows: (string | number)[][] = [];
  const data: Record<string, unknown> = {};
  for (const [c, count] of Object.entries(opts.counts).map(([k, v]) => [Number(k), v] as const)) {
    progress(`throughput: concurrency ${c}, ${count} lifecycles`);
    const errorsBefore = sys.serverErrors.length;
    const start = performance.now();
    const results = await pool(count, c, async () => {
      const t0 = performance.now();
      const r = await fullLifecycle(sys);
      return { ...r, ms: performance.now() - t0 };
    });
    const seconds = (performance.now() - start) / 1000;
    const closed = results.filter((r) => r.closed).length;
    const lat = results.map((r) => r.ms);
    const rate = closed / seconds;
    rows.push([
      c,
      count,
      closed,
      fmt(seconds),
      fmt(rate),
      fmt(percentile(lat, 50)),
      fmt(percentile(lat, 99)),
      sys.serverErrors.length - errorsBefore,
    ]);
    data[`c${c}`] = {
      count,
      closed,
      seconds,
      perSecond: rate,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
    };
  }
  return {
    id: "throughput",
    title: "Throughput",
    figures: rows.map((r) => ({
      metric: `full lifecycles/s at concurrency ${r[0]}`,
      value: String(r[4]),
      verdict: "INFO" as const,
    })),
    details: [
      mdTable(
        [
          "concurrency",
          "lifecycles",
          "closed",
          "seconds",
          "lifecycles/s",
          "lifecycle p50 (ms)",
          "lifecycle p99 (ms)",
          "5xx",
        ],
        rows,
      ),
      "A lifecycle: POST /complaints, POST staff resolve (retrying TASK_BUSY until the workflow waits for staff), " +
        "POST feedback accept (retrying TASK_BUSY until it asks for feedback), then GET until `closed`. " +
        "Everything (HTTP edge, handlers, engine) shares this machine's cores with DynamoDB Local's JVM.",
    ],
    data,
  };
};
