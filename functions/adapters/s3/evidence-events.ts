import type { EvidenceObject } from "../../app/ports";
import * as z from "../../domain/zod";
import { evidenceObjectOf } from "./keys";

/**
 * The two events the evidence bucket's checks start from, as EventBridge delivers them: S3's
 * `Object Created` (the bucket sends its events to EventBridge) and GuardDuty Malware Protection for S3's
 * `GuardDuty Malware Protection Object Scan Result`. Parsed, never trusted; only our own keys count.
 * The embedded target turns its S3-compatible server's notifications into the first shape.
 */

/** S3 `Object Created` on EventBridge (detail fields as the S3 user guide documents them). */
const objectCreatedSchema = /* @__PURE__ */ (() =>
  z.object({
    source: z.literal("aws.s3"),
    "detail-type": z.literal("Object Created"),
    detail: z.object({
      bucket: z.object({ name: z.string() }),
      object: z.object({
        key: z.string(),
        size: z.optional(z.int().check(z.nonnegative())),
        "version-id": z.optional(z.string()),
      }),
    }),
  }))();

/** GuardDuty Malware Protection for S3's scan result (fields as the GuardDuty user guide documents them). */
const scanResultSchema = /* @__PURE__ */ (() =>
  z.object({
    source: z.literal("aws.guardduty"),
    "detail-type": z.literal("GuardDuty Malware Protection Object Scan Result"),
    detail: z.object({
      scanStatus: z.string(),
      resourceType: z.optional(z.string()),
      s3ObjectDetails: z.object({
        bucketName: z.string(),
        objectKey: z.string(),
        versionId: z.nullable(z.optional(z.string())),
      }),
      scanResultDetails: z.looseObject({ scanResultStatus: z.nullable(z.optional(z.string())) }),
    }),
  }))();

/** The attachment an `Object Created` event is about (undefined: not one of our keys). */
export const createdObjectOf = (event: unknown): EvidenceObject | undefined => {
  const { detail } = objectCreatedSchema.parse(event);
  // EventBridge carries keys as stored; ours are ids and slashes only, so there is nothing to decode.
  return evidenceObjectOf(detail.object.key, detail.object["version-id"]);
};

/** A malware scan's result: the object, whether the scan completed, and what it found. */
export interface MalwareScanResult {
  object: EvidenceObject;
  scanStatus: string;
  /** NO_THREATS_FOUND, THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED or FAILED. */
  resultStatus: string;
}

/** A GuardDuty scan result about one of our attachments (undefined: not one of our keys). */
export const malwareScanResultOf = (event: unknown): MalwareScanResult | undefined => {
  const { detail } = scanResultSchema.parse(event);
  const object = evidenceObjectOf(
    detail.s3ObjectDetails.objectKey,
    detail.s3ObjectDetails.versionId ?? undefined,
  );
  if (!object) return undefined;
  return {
    object,
    scanStatus: detail.scanStatus,
    resultStatus: detail.scanResultDetails.scanResultStatus ?? "UNKNOWN",
  };
};
