import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";

/**
 * A fault-injecting HTTP proxy in front of DynamoDB Local (embedded target, tests and demos only). The
 * handlers are not touched: the stack points `AWS_ENDPOINT_URL_DYNAMODB` here and the real SDK talks
 * through it. A fault applies to requests whose `X-Amz-Target` operation matches (all when none given):
 * - `throttle`: answer with DynamoDB's own error (HTTP 400, `__type` ThrottlingException or
 *   ProvisionedThroughputExceededException), as the service does under load;
 * - `refuse`: hang up on the request before it reaches the store (the store is unreachable);
 * - `hangup_after`: forward it, let the store apply it, then hang up instead of answering — the write
 *   landed but the caller never hears so (a Lambda dying mid-step, a lost response).
 * `skip` lets that many matching requests through first; `count` faults that many, then passes again.
 */
export type FaultKind = "throttle" | "refuse" | "hangup_after";

export interface FaultRule {
  kind: FaultKind;
  /** DynamoDB operations (`GetItem`, `TransactWriteItems`, ...) the rule applies to; all when omitted. */
  operations?: string[];
  /**
   * Only requests whose body contains this text (e.g. `taskToken`: the workflow's task registration, not
   * the notice ledger's UpdateItem of a stream consumer).
   */
  bodyIncludes?: string;
  /** Matching requests to let through before faulting. */
  skip?: number;
  /** Matching requests to fault; unlimited when omitted. */
  count?: number;
  /** For `throttle`: which DynamoDB error to answer with. */
  error?: "ThrottlingException" | "ProvisionedThroughputExceededException";
}

export interface FaultProxy {
  url: string;
  /** Replaces the active rule. */
  set(rule: FaultRule): void;
  /** Back to a transparent proxy. */
  clear(): void;
  /** Faults injected since the last `set`, by operation. */
  injected(): Record<string, number>;
  close(): Promise<void>;
}

const ERROR_MESSAGES = {
  ThrottlingException: "Rate of requests exceeds the allowed throughput.",
  ProvisionedThroughputExceededException:
    "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
} as const;

const readAll = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/** Starts the proxy on a free loopback port, forwarding to `upstream` (DynamoDB Local's endpoint). */
export const startFaultProxy = async (upstream: string): Promise<FaultProxy> => {
  const target = new URL(upstream);
  let rule: FaultRule | undefined;
  let seen = 0;
  let faulted = 0;
  let injected: Record<string, number> = {};

  const decide = (operation: string, body: Buffer): FaultKind | undefined => {
    if (!rule) return undefined;
    if (rule.operations && !rule.operations.includes(operation)) return undefined;
    if (rule.bodyIncludes !== undefined && !body.toString("utf8").includes(rule.bodyIncludes))
      return undefined;
    seen++;
    if (seen <= (rule.skip ?? 0)) return undefined;
    if (rule.count !== undefined && faulted >= rule.count) return undefined;
    faulted++;
    injected[operation] = (injected[operation] ?? 0) + 1;
    return rule.kind;
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    const fault = decide(operation, body);
    if (fault === "refuse") {
      req.socket.destroy();
      return;
    }
    if (fault === "throttle") {
      const name = rule?.error ?? "ThrottlingException";
      const payload = JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${name}`,
        message: ERROR_MESSAGES[name],
      });
      res.writeHead(400, {
        "Content-Type": "application/x-amz-json-1.0",
        "Content-Length": Buffer.byteLength(payload),
        "x-amzn-RequestId": `FAULT${Date.now()}`,
      });
      res.end(payload);
      return;
    }
    const upstreamReq = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        void readAll(upstreamRes).then((answer) => {
          if (fault === "hangup_after") {
            // The store applied it; the caller only sees its connection drop.
            req.socket.destroy();
            return;
          }
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          res.end(answer);
        });
      },
    );
    upstreamReq.on("error", () => req.socket.destroy());
    upstreamReq.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (next) => {
      rule = next;
      seen = 0;
      faulted = 0;
      injected = {};
    },
    clear: () => {
      rule = undefined;
    },
    injected: () => ({ ...injected }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
