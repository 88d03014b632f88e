import type { AttachmentSettings } from "../../app/dependencies";

/** The evidence store's configuration, read from the environment once and checked. */
export interface EvidenceConfig {
  bucketName: string;
  /** Object Lock mode of the retention set on available files (see docs/operations.md). */
  lockMode: "GOVERNANCE" | "COMPLIANCE";
  /** Path-style addressing (the embedded target's S3-compatible server on loopback). */
  pathStyle: boolean;
  settings: AttachmentSettings;
}

let cached: EvidenceConfig | undefined;

const seconds = (name: string, fallback: number, max: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be 1-${max} seconds`);
  return value;
};

/** The evidence configuration (memoized after the first call). */
export const evidenceConfig = (): EvidenceConfig => {
  if (cached) return cached;
  const bucketName = process.env.EVIDENCE_BUCKET;
  if (!bucketName) throw new Error("EVIDENCE_BUCKET is not set");
  const lockMode = process.env.EVIDENCE_LOCK_MODE ?? "GOVERNANCE";
  if (lockMode !== "GOVERNANCE" && lockMode !== "COMPLIANCE")
    throw new Error("EVIDENCE_LOCK_MODE must be GOVERNANCE or COMPLIANCE");
  const scan = process.env.EVIDENCE_MALWARE_SCAN ?? "guardduty";
  if (scan !== "guardduty" && scan !== "none")
    throw new Error("EVIDENCE_MALWARE_SCAN must be guardduty or none");
  cached = {
    bucketName,
    lockMode,
    pathStyle: process.env.EVIDENCE_PATH_STYLE === "true",
    settings: {
      // Minutes to upload a file (200 MiB over a slow line), one minute to start a download.
      uploadUrlSeconds: seconds("ATTACHMENT_UPLOAD_URL_SECONDS", 600, 3600),
      downloadUrlSeconds: seconds("ATTACHMENT_DOWNLOAD_URL_SECONDS", 60, 3600),
      requiredChecks: scan === "guardduty" ? ["content", "malware"] : ["content"],
    },
  };
  return cached;
};

/** Forgets the cached configuration (the embedded target and tests reconfigure between runs). */
export const resetEvidenceConfig = (): void => {
  cached = undefined;
};
