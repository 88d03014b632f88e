import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";

/** An entry put on the local bus, as a rule target would receive it (`detail` parsed). */
export interface BusEvent {
  /** Position on the local bus: the cursor of `GET /events`. */
  seq: number;
  id: string;
  source: string;
  detailType: string;
  eventBusName: string;
  time: string;
  detail: unknown;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

/**
 * A thin local EventBridge (AWS JSON 1.1, `AWSEvents.PutEvents` only) so the unchanged EventBridge adapter
 * works on the embedded target. Entries are kept in arrival order, numbered for cursors — in memory, and
 * appended to `file` (JSON lines) when given, so the local event stream survives a restart on `--data`.
 */
export const startEventBridgeApi = async (opts: {
  port: number;
  host?: string;
  limit?: number;
  file?: string;
}) => {
  const events: BusEvent[] =
    opts.file && existsSync(opts.file)
      ? readFileSync(opts.file, "utf8")
          .split("\n")
          .filter((line) => line.trim().length > 0)
          .flatMap((line) => {
            try {
              return [JSON.parse(line) as BusEvent];
            } catch {
              // A line cut short by a crash mid-write: the stream redelivers what it held.
              return [];
            }
          })
      : [];
  const limit = opts.limit ?? 20_000;
  let seq = events.at(-1)?.seq ?? 0;
  let down = false;
  const putEvents = (input: { Entries?: Record<string, unknown>[] }) => {
    const entries = input.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      return json(400, { __type: "ValidationException", message: "Entries must hold 1 to 10 entries" });
    }
    const results = entries.map((e) => {
      if (typeof e.Source !== "string" || typeof e.DetailType !== "string" || typeof e.Detail !== "string") {
        return { ErrorCode: "InvalidArgument", ErrorMessage: "Source, DetailType and Detail are required" };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(e.Detail);
      } catch {
        return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is not valid JSON" };
      }
      const id = randomUUID();
      const time = typeof e.Time === "number" ? new Date(e.Time * 1000) : new Date();
      const entry: BusEvent = {
        seq: ++seq,
        id,
        source: e.Source,
        detailType: e.DetailType,
        eventBusName: typeof e.EventBusName === "string" ? e.EventBusName : "default",
        time: time.toISOString(),
        detail,
      };
      events.push(entry);
      if (opts.file) appendFileSync(opts.file, `${JSON.stringify(entry)}\n`);
      return { EventId: id };
    });
    if (events.length > limit) events.splice(0, events.length - limit);
    return json(200, {
      FailedEntryCount: results.filter((r) => "ErrorCode" in r).length,
      Entries: results,
    });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      let out: { status: number; body: string };
      if (down) {
        out = json(500, { __type: "InternalException", message: "The local bus is down (a test's outage)" });
      } else if (target !== "AWSEvents.PutEvents") {
        out = json(400, { __type: "UnknownOperationException", message: `${target} is not served locally` });
      } else {
        try {
          out = putEvents(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
        } catch {
          out = json(400, { __type: "SerializationException", message: "The request body is not JSON" });
        }
      }
      res.writeHead(out.status, {
        "Content-Type": "application/x-amz-json-1.1",
        "x-amzn-RequestId": randomUUID(),
      });
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    /** Tests: while down, every call is answered 500 InternalException, as in an EventBridge outage. */
    setDown: (on: boolean) => {
      down = on;
    },
    /** Everything on the bus after a position, in order. */
    since: (after: number, detailTypes?: (t: string) => boolean) =>
      events.filter((e) => e.seq > after && (!detailTypes || detailTypes(e.detailType))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
