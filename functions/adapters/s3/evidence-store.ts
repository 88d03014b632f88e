import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { EvidenceObject, EvidenceStore } from "../../app/ports";
import { TransientStoreError } from "../../app/ports";
import { evidenceKey } from "./keys";

/** Headers the presigned PUT signs, so S3 refuses an upload of another type, length or content. */
const UPLOAD_SIGNED_HEADERS = new Set(["content-type", "content-length", "x-amz-checksum-sha256"]);

const NOT_FOUND = new Set(["NotFound", "NoSuchKey", "NoSuchVersion"]);
const NO_RETENTION = new Set(["NoSuchObjectLockConfiguration", "ObjectLockConfigurationNotFoundError"]);
const TRANSIENT = new Set([
  "SlowDown",
  "ServiceUnavailable",
  "InternalError",
  "RequestTimeout",
  "TimeoutError",
]);

const nameOf = (e: unknown) => (e as { name?: string } | undefined)?.name ?? "";

/** A throttled or unavailable store is worth retrying (the caller's retry policy), never the client's fault. */
const rethrow = (e: unknown): never => {
  if (TRANSIENT.has(nameOf(e)) || (e as { $retryable?: unknown })?.$retryable)
    throw new TransientStoreError("the evidence store is unavailable", { cause: e });
  throw e;
};

/** RFC 6266 / 5987: the file name as the browser saves it, whatever characters it has. */
const contentDisposition = (fileName: string) =>
  `attachment; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * The evidence store on S3 (or an S3-compatible server on loopback, with path-style addressing): keys
 * from ids (`keys.ts`), presigned URLs for the bytes, ranged reads for the content check, Object Lock
 * retention for what must be kept. The client is injected (one per container, built in the runtime).
 */
/**
 * When a presigned URL stops working, read from the URL itself: its signing time (`X-Amz-Date`, the
 * signer's wall clock) plus `X-Amz-Expires` — what S3 checks, whatever clock the caller's domain runs on.
 */
const expiryOf = (url: string): string => {
  const q = new URL(url).searchParams;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(q.get("X-Amz-Date") ?? "");
  const seconds = Number(q.get("X-Amz-Expires"));
  if (!m || !Number.isInteger(seconds))
    throw new Error("a presigned URL without X-Amz-Date and X-Amz-Expires");
  const signed = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return new Date(signed + seconds * 1000).toISOString();
};

export class S3EvidenceStore implements EvidenceStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly lockMode: "GOVERNANCE" | "COMPLIANCE",
  ) {}

  private target(o: EvidenceObject) {
    return { Bucket: this.bucket, Key: evidenceKey(o), ...(o.versionId ? { VersionId: o.versionId } : {}) };
  }

  async presignUpload(
    o: EvidenceObject,
    file: { contentType: string; size: number; sha256: string },
    expiresInSeconds: number,
  ) {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: evidenceKey(o),
      ContentType: file.contentType,
      ContentLength: file.size,
      ChecksumSHA256: file.sha256,
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: expiresInSeconds,
      signableHeaders: UPLOAD_SIGNED_HEADERS,
      // Kept a header (not hoisted into the query): S3 checks the body against it and refuses a mismatch.
      unhoistableHeaders: new Set(["x-amz-checksum-sha256"]),
    });
    return {
      url,
      expiresAt: expiryOf(url),
      headers: {
        "Content-Type": file.contentType,
        "Content-Length": String(file.size),
        "x-amz-checksum-sha256": file.sha256,
      },
    };
  }

  async presignDownload(
    o: EvidenceObject,
    file: { fileName: string; contentType: string },
    expiresInSeconds: number,
  ) {
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({
        ...this.target(o),
        ResponseContentType: file.contentType,
        ResponseContentDisposition: contentDisposition(file.fileName),
      }),
      { expiresIn: expiresInSeconds },
    );
    return { url, expiresAt: expiryOf(url) };
  }

  async describe(o: EvidenceObject) {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ ...this.target(o), ChecksumMode: "ENABLED" }));
      // A full-object checksum S3 verified on upload; a multipart upload's composite one ("...-N") is not it.
      const sha256 =
        head.ChecksumSHA256 && !head.ChecksumSHA256.includes("-") ? head.ChecksumSHA256 : undefined;
      return {
        size: head.ContentLength ?? 0,
        ...(sha256 ? { sha256 } : {}),
        ...(head.VersionId && head.VersionId !== "null" ? { versionId: head.VersionId } : {}),
      };
    } catch (e) {
      if (
        NOT_FOUND.has(nameOf(e)) ||
        (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        return undefined;
      return rethrow(e);
    }
  }

  async readStart(o: EvidenceObject, bytes: number) {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ ...this.target(o), Range: `bytes=0-${bytes - 1}` }),
      );
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (e) {
      return rethrow(e);
    }
  }

  async digest(o: EvidenceObject) {
    try {
      const out = await this.s3.send(new GetObjectCommand(this.target(o)));
      const hash = createHash("sha256");
      for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
      return hash.digest("base64");
    } catch (e) {
      return rethrow(e);
    }
  }

  async retain(o: EvidenceObject, until: Date) {
    try {
      // A lock is only ever extended: a redelivered, older instruction leaves a later date as it is.
      const current = await this.s3
        .send(new GetObjectRetentionCommand(this.target(o)))
        .then((r) => r.Retention?.RetainUntilDate)
        .catch((e: unknown) => (NO_RETENTION.has(nameOf(e)) ? undefined : Promise.reject(e)));
      if (current && new Date(current).getTime() >= until.getTime()) return;
      await this.s3.send(
        new PutObjectRetentionCommand({
          ...this.target(o),
          Retention: { Mode: this.lockMode, RetainUntilDate: until },
        }),
      );
    } catch (e) {
      rethrow(e);
    }
  }

  async remove(o: EvidenceObject) {
    try {
      await this.s3.send(new DeleteObjectCommand(this.target(o)));
    } catch (e) {
      if (NOT_FOUND.has(nameOf(e))) return;
      rethrow(e);
    }
  }
}
