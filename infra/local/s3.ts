import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listen } from "./listen";

/*
 * The embedded target's evidence store: s3rver (an S3-compatible server from npm) on loopback, with the
 * same bucket the functions are told about, so the unchanged `@aws-sdk/client-s3` adapter and presigner
 * talk to it (path-style). What s3rver 3.7.1 does and does not do, measured:
 * - it emits an S3 notification (`ObjectCreated:Put`) for every stored object: the stack turns it into
 *   the EventBridge `Object Created` event the AWS check function receives, and runs the same handler;
 * - it enforces a presigned URL's expiry (X-Amz-Date + X-Amz-Expires against its clock) but does not
 *   verify SigV4 signatures, so it does not enforce the signed Content-Length or `x-amz-checksum-sha256`
 *   (the check step verifies both itself) and keeps no checksums (HeadObject returns none);
 * - it has no versioning and no Object Lock (`?retention` answers 405). A small proxy in front of it
 *   keeps each object's retention (`PUT`/`GET ?retention`, persisted under `--data`) and refuses to
 *   delete an object still under retention, as S3 refuses to delete a locked version;
 * - it knows only its own access key (S3RVER): the stack's dummy credentials are registered with it.
 * No malware scanner runs here: files are checked for type, length and checksum only.
 */

export interface LocalEvidenceStore {
  /** The proxy's URL: `AWS_ENDPOINT_URL_S3` for the functions. */
  url: string;
  bucket: string;
  /** Each stored object's key, as s3rver announces it (the stack hands it to the check function). */
  onObjectCreated(listener: (key: string, size: number) => void): void;
  /** The retention recorded per key (tests). */
  retention(key: string): { mode: string; retainUntil: string } | undefined;
  stop(): Promise<void>;
}

interface S3rverLike {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  on(
    event: "event",
    listener: (e: {
      Records: { eventName: string; s3: { object: { key: string; size?: number } } }[];
    }) => void,
  ): void;
}

const require = createRequire(import.meta.url);

const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
  res.writeHead(status, { "Content-Type": "application/xml" });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
};

const readAll = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

/** Starts s3rver (under `dataDir/evidence`, or a temp dir removed on stop) and its Object Lock proxy. */
export const startLocalEvidenceStore = async (opts: {
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  dataDir?: string;
}): Promise<LocalEvidenceStore> => {
  const S3rver = require("s3rver") as new (options: object) => S3rverLike;
  const account = require("s3rver/lib/models/account") as {
    DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void };
  };
  account.DUMMY_ACCOUNT.createKeyPair(opts.accessKeyId, opts.secretAccessKey);
  const directory = opts.dataDir ? join(opts.dataDir, "evidence") : mkdtempSync(join(tmpdir(), "evidence-"));
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    directory,
    silent: true,
    configureBuckets: [{ name: opts.bucket }],
  });
  const { port } = await server.run();
  const upstream = `http://127.0.0.1:${port}`;
  const listeners: ((key: string, size: number) => void)[] = [];
  server.on("event", (e) => {
    for (const record of e.Records ?? []) {
      if (!record.eventName.startsWith("ObjectCreated:")) continue;
      for (const l of listeners) l(decodeURIComponent(record.s3.object.key), record.s3.object.size ?? 0);
    }
  });

  const retentionFile = opts.dataDir ? join(opts.dataDir, "evidence-retention.json") : undefined;
  const retention = new Map<string, { mode: string; retainUntil: string }>(
    retentionFile && existsSync(retentionFile)
      ? Object.entries(JSON.parse(readFileSync(retentionFile, "utf8")))
      : [],
  );
  const persist = () => {
    if (!retentionFile) return;
    writeFileSync(`${retentionFile}.tmp`, JSON.stringify(Object.fromEntries(retention)));
    renameSync(`${retentionFile}.tmp`, retentionFile);
  };

  const proxy = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://local");
      const key = decodeURIComponent(url.pathname.replace(/^\/[^/]+\//, ""));
      if (url.searchParams.has("retention")) {
        if (req.method === "PUT") {
          const xml = (await readAll(req)).toString("utf8");
          const mode = /<Mode>([^<]+)<\/Mode>/.exec(xml)?.[1];
          const until = /<RetainUntilDate>([^<]+)<\/RetainUntilDate>/.exec(xml)?.[1];
          if (!mode || !until)
            return xmlError(res, 400, "MalformedXML", "Retention needs Mode and RetainUntilDate");
          const current = retention.get(key);
          // Object Lock: a retention period can be extended, never shortened (without bypass, which we lack).
          if (current && Date.parse(until) < Date.parse(current.retainUntil))
            return xmlError(res, 403, "AccessDenied", "Access Denied");
          retention.set(key, { mode, retainUntil: new Date(until).toISOString() });
          persist();
          res.writeHead(200);
          return res.end();
        }
        const current = retention.get(key);
        if (!current)
          return xmlError(
            res,
            404,
            "NoSuchObjectLockConfiguration",
            "The specified object does not have a ObjectLock configuration",
          );
        res.writeHead(200, { "Content-Type": "application/xml" });
        return res.end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Retention xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Mode>${current.mode}</Mode><RetainUntilDate>${current.retainUntil}</RetainUntilDate></Retention>`,
        );
      }
      if (req.method === "DELETE") {
        const current = retention.get(key);
        if (current && Date.parse(current.retainUntil) > Date.now())
          return xmlError(res, 403, "AccessDenied", "Access Denied because object protected by object lock.");
      }
      const forward = httpRequest(
        `${upstream}${req.url ?? "/"}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on("error", () => xmlError(res, 502, "InternalError", "The local store is unavailable"));
      req.pipe(forward);
    } catch {
      xmlError(res, 500, "InternalError", "The local store failed");
    }
  });
  const listening = await listen(proxy, 0);

  return {
    url: listening.url,
    bucket: opts.bucket,
    onObjectCreated: (listener) => listeners.push(listener),
    retention: (key) => retention.get(key),
    stop: async () => {
      await listening.close();
      await server.close();
      if (!opts.dataDir) rmSync(directory, { recursive: true, force: true });
    },
  };
};
