import {
  DeleteObjectCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutObjectRetentionCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { createdObjectOf, malwareScanResultOf } from "../../../functions/adapters/s3/evidence-events";
import { S3EvidenceStore } from "../../../functions/adapters/s3/evidence-store";
import { evidenceKey, evidenceObjectOf } from "../../../functions/adapters/s3/keys";

const s3 = mockClient(S3Client);
const client = new S3Client({
  region: "eu-west-1",
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
  requestChecksumCalculation: "WHEN_REQUIRED",
});
const store = new S3EvidenceStore(client, "complaints-evidence-test", "GOVERNANCE");
const object = { complaintId: "01KB3Q8Y9T6V1S5W2X4Z7N0M3P", attachmentId: "01KB3QA2C5D8E1F4G7H0J3K6M9" };
const key = "complaints/01KB3Q8Y9T6V1S5W2X4Z7N0M3P/01KB3QA2C5D8E1F4G7H0J3K6M9";
const SHA = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: "client", $metadata: { httpStatusCode: status } });

describe("evidence keys", () => {
  it("are ids only, and only our own keys parse back", () => {
    expect(evidenceKey(object)).toBe(key);
    expect(evidenceObjectOf(key, "v1")).toEqual({ ...object, versionId: "v1" });
    for (const other of [
      "malware-protection-resource-validation-object",
      `${key}/x`,
      "complaints/../x",
      `${key}.pdf`,
    ])
      expect(evidenceObjectOf(other)).toBeUndefined();
  });
});

describe("S3EvidenceStore", () => {
  beforeEach(() => s3.reset());

  it("signs an upload bound to its type, length and SHA-256 (the checksum a header, not a query value)", async () => {
    const upload = await store.presignUpload(
      object,
      { contentType: "application/pdf", size: 2048, sha256: SHA },
      600,
    );
    const url = new URL(upload.url);
    expect(url.pathname).toBe(`/${key}`);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("600");
    // Its expiry, from the signing time the URL carries.
    const signed = (url.searchParams.get("X-Amz-Date") as string).replace(
      /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
      "$1-$2-$3T$4:$5:$6.000Z",
    );
    expect(Date.parse(upload.expiresAt) - Date.parse(signed)).toBe(600_000);
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe(
      "content-length;content-type;host;x-amz-checksum-sha256",
    );
    expect(url.searchParams.has("x-amz-checksum-sha256")).toBe(false);
    expect(upload.headers).toEqual({
      "Content-Type": "application/pdf",
      "Content-Length": "2048",
      "x-amz-checksum-sha256": SHA,
    });
  });

  it("signs a download of exactly the checked version, served under its file name", async () => {
    const download = await store.presignDownload(
      { ...object, versionId: "v7" },
      { fileName: "Nov statement.pdf", contentType: "application/pdf" },
      60,
    );
    const url = new URL(download.url);
    expect(Math.abs(Date.parse(download.expiresAt) - (Date.now() + 60_000))).toBeLessThan(5_000);
    expect(url.searchParams.get("versionId")).toBe("v7");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("60");
    expect(url.searchParams.get("response-content-disposition")).toBe(
      "attachment; filename*=UTF-8''Nov%20statement.pdf",
    );
  });

  it("describes an object with the full-object SHA-256 S3 verified, never a multipart composite", async () => {
    s3.on(HeadObjectCommand)
      .resolvesOnce({ ContentLength: 2048, ChecksumSHA256: SHA, VersionId: "v1" })
      .resolvesOnce({
        ContentLength: 2048,
        ChecksumSHA256: `${SHA}-3`,
      });
    expect(await store.describe(object)).toEqual({ size: 2048, sha256: SHA, versionId: "v1" });
    expect(await store.describe(object)).toEqual({ size: 2048 });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: "complaints-evidence-test",
      Key: key,
      ChecksumMode: "ENABLED",
    });
  });

  it("answers undefined for an object that is not there", async () => {
    s3.on(HeadObjectCommand).rejects(s3Error("NotFound", 404));
    expect(await store.describe(object)).toBeUndefined();
  });

  it("locks a version in the configured mode, and only ever extends a lock", async () => {
    s3.on(GetObjectRetentionCommand).rejectsOnce(s3Error("NoSuchObjectLockConfiguration", 404));
    s3.on(PutObjectRetentionCommand).resolves({});
    const until = new Date("2031-12-02T00:00:00.000Z");
    await store.retain({ ...object, versionId: "v1" }, until);
    expect(s3).toHaveReceivedCommandWith(PutObjectRetentionCommand, {
      Key: key,
      VersionId: "v1",
      Retention: { Mode: "GOVERNANCE", RetainUntilDate: until },
    });
    s3.on(GetObjectRetentionCommand).resolves({
      Retention: { Mode: "GOVERNANCE", RetainUntilDate: new Date("2032-01-01T00:00:00Z") },
    });
    await store.retain(object, until);
    expect(s3).toHaveReceivedCommandTimes(PutObjectRetentionCommand, 1);
  });

  it("deletes a rejected version; one already gone is fine; a throttled store is a transient error", async () => {
    s3.on(DeleteObjectCommand)
      .resolvesOnce({})
      .rejectsOnce(s3Error("NoSuchKey", 404))
      .rejectsOnce(s3Error("SlowDown", 503));
    await store.remove({ ...object, versionId: "v2" });
    expect(s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Key: key, VersionId: "v2" });
    await store.remove(object);
    await expect(store.remove(object)).rejects.toMatchObject({ name: "TransientStoreError" });
  });
});

describe("evidence events", () => {
  it("reads S3's Object Created event for one of our keys, with its version", () => {
    const event = {
      version: "0",
      source: "aws.s3",
      "detail-type": "Object Created",
      detail: {
        bucket: { name: "b" },
        object: { key, size: 2048, "version-id": "v3", etag: "e" },
        reason: "PutObject",
      },
    };
    expect(createdObjectOf(event)).toEqual({ ...object, versionId: "v3" });
    expect(
      createdObjectOf({ ...event, detail: { ...event.detail, object: { key: "other/x" } } }),
    ).toBeUndefined();
    expect(() => createdObjectOf({ ...event, source: "aws.ec2" })).toThrow(z.core.$ZodError);
  });

  it("reads GuardDuty's scan result", () => {
    const event = {
      source: "aws.guardduty",
      "detail-type": "GuardDuty Malware Protection Object Scan Result",
      detail: {
        schemaVersion: "1.0",
        scanStatus: "COMPLETED",
        resourceType: "S3_OBJECT",
        s3ObjectDetails: { bucketName: "b", objectKey: key, eTag: "e", versionId: "v3", s3Throttled: false },
        scanResultDetails: { scanResultStatus: "THREATS_FOUND", threats: [{ name: "EICAR-Test-File" }] },
      },
    };
    expect(malwareScanResultOf(event)).toEqual({
      object: { ...object, versionId: "v3" },
      scanStatus: "COMPLETED",
      resultStatus: "THREATS_FOUND",
    });
  });
});
