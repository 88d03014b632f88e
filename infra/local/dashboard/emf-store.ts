import { percentile } from "../../../functions/domain/metrics";
import type { Stat } from "../../../functions/observability/widgets";

/**
 * CloudWatch's side of Embedded Metric Format, in memory: reads EMF log lines and keeps every metric per
 * namespace, name, dimension set and one-minute bucket of the line's own timestamp, as CloudWatch
 * extracts them (each dimension set of a line is a metric of its own).
 */

interface Bucket {
  sum: number;
  count: number;
  max: number;
  values: number[];
}

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit?: string }[];
}

const BUCKET_MS = 60_000;

/** The key of one CloudWatch metric: namespace, name and the dimension values of its set, sorted. */
export const metricKey = (namespace: string, name: string, dimensions: Record<string, string>): string =>
  `${namespace}|${name}|${Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",")}`;

export class EmfStore {
  private readonly metrics = new Map<string, Map<number, Bucket>>();
  /** EMF lines read, and lines that looked like EMF but were not valid. */
  lines = 0;
  rejected = 0;
  first?: number;
  last?: number;

  /** Reads one log line; anything that is not an EMF document is ignored (false). */
  ingestLine(line: string): boolean {
    if (!line.startsWith("{") || !line.includes('"_aws"')) return false;
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.rejected++;
      return false;
    }
    const aws = doc._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
    if (!aws || typeof aws.Timestamp !== "number" || !Array.isArray(aws.CloudWatchMetrics)) {
      this.rejected++;
      return false;
    }
    const at = aws.Timestamp;
    for (const directive of aws.CloudWatchMetrics as EmfDirective[]) {
      for (const set of directive.Dimensions ?? []) {
        const dims: Record<string, string> = {};
        // CloudWatch drops a dimension set whose members are missing from the document.
        if (!set.every((d) => typeof doc[d] === "string")) continue;
        for (const d of set) dims[d] = doc[d] as string;
        for (const m of directive.Metrics ?? []) {
          const raw = doc[m.Name];
          const values = (Array.isArray(raw) ? raw : [raw]).filter(
            (v): v is number => typeof v === "number" && Number.isFinite(v),
          );
          for (const v of values) this.add(metricKey(directive.Namespace, m.Name, dims), at, v);
        }
      }
    }
    this.lines++;
    this.first = Math.min(this.first ?? at, at);
    this.last = Math.max(this.last ?? at, at);
    return true;
  }

  private add(key: string, at: number, value: number) {
    let buckets = this.metrics.get(key);
    if (!buckets) {
      buckets = new Map();
      this.metrics.set(key, buckets);
    }
    const start = Math.floor(at / BUCKET_MS) * BUCKET_MS;
    const b = buckets.get(start) ?? { sum: 0, count: 0, max: Number.NEGATIVE_INFINITY, values: [] };
    b.sum += value;
    b.count += 1;
    b.max = Math.max(b.max, value);
    b.values.push(value);
    buckets.set(start, b);
  }

  /** A statistic of one metric over [from, to), or null when it has no data there (as CloudWatch shows it). */
  stat(key: string, stat: Stat, from: number, to: number): number | null {
    const buckets = this.metrics.get(key);
    if (!buckets) return null;
    let sum = 0;
    let count = 0;
    let max = Number.NEGATIVE_INFINITY;
    let latest: { start: number; value: number } | undefined;
    const values: number[] = [];
    for (const [start, b] of buckets) {
      if (start < from || start >= to) continue;
      sum += b.sum;
      count += b.count;
      max = Math.max(max, b.max);
      // Values arrive in time order within a bucket: its last is the latest of that bucket.
      if (!latest || start >= latest.start) latest = { start, value: b.values.at(-1) as number };
      if (stat === "p50" || stat === "p90") values.push(...b.values);
    }
    if (count === 0) return null;
    switch (stat) {
      case "Sum":
        return sum;
      case "Average":
        return sum / count;
      case "SampleCount":
        return count;
      case "Maximum":
        return max;
      case "Latest":
        return latest?.value ?? null;
      case "p50":
        return percentile(values, 50);
      case "p90":
        return percentile(values, 90);
    }
  }

  /** Every metric key held (for the data endpoint and tests). */
  keys(): string[] {
    return [...this.metrics.keys()].sort();
  }

  clear(): void {
    this.metrics.clear();
    this.lines = 0;
    this.rejected = 0;
    this.first = undefined;
    this.last = undefined;
  }
}

/**
 * Reads the process's stdout the way the Lambda log agent and CloudWatch read a log stream: every write
 * is split into lines, EMF documents go to the store, everything else is written through unchanged.
 * Returns the function that restores the original `write`.
 */
export const captureEmf = (store: EmfStore, stream: NodeJS.WriteStream = process.stdout): (() => void) => {
  const original = stream.write;
  let pending = "";
  const wrapped = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text =
      typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : undefined;
    if (text === undefined) return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    const all = pending + text;
    const lines = all.split("\n");
    // Hold back only an unfinished EMF document; any other partial text is written straight away.
    const tail = lines.pop() ?? "";
    pending = tail.startsWith("{") ? tail : "";
    let through = lines
      .filter((l) => !store.ingestLine(l.trimEnd()))
      .map((l) => `${l}\n`)
      .join("");
    if (!pending) through += tail;
    if (through.length === 0) {
      callback?.();
      return true;
    }
    return (original as (...a: unknown[]) => boolean).call(this, through, ...rest);
  };
  stream.write = wrapped as typeof stream.write;
  return () => {
    if (stream.write === (wrapped as typeof stream.write)) stream.write = original;
  };
};
