import { afterEach, describe, expect, it } from "vitest";
import { EmfMetricsSink } from "../../functions/adapters/metrics/emf-metrics-sink";
import { metricsOf } from "../../functions/domain/metrics";
import { captureEmf, EmfStore, metricKey } from "../../infra/local/dashboard/emf-store";
import { eventOf, newComplaint } from "./domain/fixtures";

const at = "2026-12-01T03:00:00.000Z";

/** Collects what reaches the underlying stream, the way a terminal would see it. */
const sinkStream = () => {
  const written: string[] = [];
  const stream = {
    write: (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { stream, written };
};

describe("EmfMetricsSink (Powertools Metrics) read back as CloudWatch would", () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it("prints one EMF line per dimension set, stamped with the event's time and no other dimensions", () => {
    const store = new EmfStore();
    const lines: string[] = [];
    const original = process.stdout.write;
    // Keep the raw lines too, to check their shape.
    restore = captureEmf(store);
    const capturing = process.stdout.write;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      return (capturing as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      new EmfMetricsSink().emit(
        metricsOf(newComplaint(), [
          eventOf("SlaBreached", { resolveBy: at }, { at }),
          eventOf("Escalated", { fromTier: 0, toTier: 1, reason: "breach", tierDueBy: null }, { at }),
        ]),
      );
    } finally {
      process.stdout.write = capturing;
    }
    restore();
    restore = undefined;
    expect(process.stdout.write).toBe(original);

    const docs = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(docs).toHaveLength(6 + 7);
    for (const doc of docs) {
      expect(doc._aws.Timestamp).toBe(Date.parse(at));
      expect(doc._aws.CloudWatchMetrics[0].Namespace).toBe("ComplaintHandling");
      expect(doc).not.toHaveProperty("service");
    }
    expect(docs[0]).toEqual({
      _aws: {
        Timestamp: Date.parse(at),
        CloudWatchMetrics: [
          {
            Namespace: "ComplaintHandling",
            Dimensions: [[]],
            Metrics: [{ Name: "SlaBreached", Unit: "Count" }],
          },
        ],
      },
      SlaBreached: 1,
    });
    expect(docs[1]).toMatchObject({ Team: "cards", SlaBreached: 1 });
    expect(docs[1]?._aws.CloudWatchMetrics[0].Dimensions).toEqual([["Team"]]);
    expect(docs.at(-1)).toMatchObject({ Tier: "1", Escalations: 1 });

    // The store keeps each dimension set as a metric of its own, as CloudWatch extracts them.
    const range = [0, Date.parse(at) + 60_000] as const;
    expect(store.stat(metricKey("ComplaintHandling", "SlaBreached", {}), "Sum", ...range)).toBe(1);
    expect(store.stat(metricKey("ComplaintHandling", "Escalations", { Tier: "1" }), "Sum", ...range)).toBe(1);
    expect(
      store.stat(metricKey("ComplaintHandling", "Escalations", { Team: "loans" }), "Sum", ...range),
    ).toBeNull();
    expect(store.lines).toBe(13);
  });
});

describe("captureEmf: the log stream reader", () => {
  it("takes EMF documents out of the stream and writes every other line through", () => {
    const store = new EmfStore();
    const { stream, written } = sinkStream();
    const restore = captureEmf(store, stream);
    const emf = JSON.stringify({
      _aws: {
        Timestamp: 1,
        CloudWatchMetrics: [{ Namespace: "N", Dimensions: [["Team"]], Metrics: [{ Name: "M" }] }],
      },
      Team: "cards",
      M: [2, 3],
    });
    stream.write(`plain log line\n${emf}\n{"level":"INFO","message":"json log"}\n`);
    // A document split across two writes is still read whole.
    stream.write(emf.slice(0, 20));
    stream.write(`${emf.slice(20)}\npartial`);
    restore();
    expect(written.join("")).toBe('plain log line\n{"level":"INFO","message":"json log"}\npartial');
    expect(store.lines).toBe(2);
    expect(store.stat(metricKey("N", "M", { Team: "cards" }), "Sum", 0, 60_000)).toBe(10);
    expect(store.stat(metricKey("N", "M", { Team: "cards" }), "SampleCount", 0, 60_000)).toBe(4);
  });

  it("ignores documents that are not valid EMF, as CloudWatch does", () => {
    const store = new EmfStore();
    expect(store.ingestLine('{"_aws": {"Timestamp": "soon"}}')).toBe(false);
    expect(store.ingestLine('{"_aws": ')).toBe(false);
    expect(store.rejected).toBe(2);
    expect(store.keys()).toEqual([]);
  });
});
