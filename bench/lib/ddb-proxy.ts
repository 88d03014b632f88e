import http from "node:http";

/**
 * A counting proxy in front of DynamoDB Local: every call the handlers make passes through it. It asks
 * DynamoDB for `ReturnConsumedCapacity: "INDEXES"` (DynamoDB Local computes and reports capacity units the
 * way DynamoDB does: item size rounded up per KB for writes / 4 KB for reads, x2 in transactions, plus
 * each GSI's write) and sums what comes back, by operation, without changing what the caller sees
 * (the handlers never ask for capacity, and ignore the extra field).
 */

const CAPACITY_OPS = new Set([
  "GetItem",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "Query",
  "Scan",
  "BatchGetItem",
  "BatchWriteItem",
  "TransactGetItems",
  "TransactWriteItems",
]);
const WRITE_OPS = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"]);

export interface DynamoCounts {
  calls: Record<string, number>;
  /** Write request units (on-demand billing unit), table + indexes. */
  wru: number;
  /** Read request units. */
  rru: number;
  /** Calls per complaint id (`COMPLAINT#<id>` in the request), for attribution. */
  byComplaint: Record<string, { calls: number; wru: number; rru: number }>;
}

const emptyCounts = (): DynamoCounts => ({ calls: {}, wru: 0, rru: 0, byComplaint: {} });

const unitsOf = (consumed: unknown): number => {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce(
    (sum: number, c) => sum + Number((c as { CapacityUnits?: number }).CapacityUnits ?? 0),
    0,
  );
};

export interface DynamoProxy {
  endpoint: string;
  counts(): DynamoCounts;
  reset(): void;
  close(): Promise<void>;
}

export const startDynamoProxy = async (target: string): Promise<DynamoProxy> => {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let counts = emptyCounts();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      const op = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "unknown";
      let complaintIds: string[] = [];
      if (CAPACITY_OPS.has(op)) {
        try {
          const parsed = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
          parsed.ReturnConsumedCapacity = "INDEXES";
          const text = JSON.stringify(parsed);
          complaintIds = [
            ...new Set([...text.matchAll(/COMPLAINT#([0-9A-HJKMNP-TV-Z]{26})/g)].map((m) => m[1]!)),
          ];
          body = Buffer.from(text);
        } catch {
          // Not JSON: forward as is.
        }
      }
      const headers = { ...req.headers, "content-length": String(body.length), host: upstream.host };
      const up = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on("data", (c: Buffer) => out.push(c));
          upRes.on("end", () => {
            const payload = Buffer.concat(out);
            counts.calls[op] = (counts.calls[op] ?? 0) + 1;
            let units = 0;
            try {
              units = unitsOf(
                (JSON.parse(payload.toString("utf8")) as { ConsumedCapacity?: unknown }).ConsumedCapacity,
              );
            } catch {
              // Errors carry no capacity.
            }
            if (WRITE_OPS.has(op)) counts.wru += units;
            else counts.rru += units;
            for (const id of complaintIds) {
              counts.byComplaint[id] ??= { calls: 0, wru: 0, rru: 0 };
              const c = counts.byComplaint[id];
              c.calls += 1 / complaintIds.length;
              if (WRITE_OPS.has(op)) c.wru += units / complaintIds.length;
              else c.rru += units / complaintIds.length;
            }
            res.writeHead(upRes.statusCode ?? 500, upRes.headers);
            res.end(payload);
          });
        },
      );
      up.on("error", (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts: () => structuredClone(counts),
    reset: () => {
      counts = emptyCounts();
    },
    close: () =>
      new Promise<void>((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
};
