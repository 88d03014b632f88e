import type { Jurisdiction } from "./codes";
import { DomainError } from "./errors";

/**
 * Evidence attached to a complaint (statements, leaflets, photos, call recordings): what may be attached,
 * how large, how many, which checks a file must pass before anyone may download it, and how long it is
 * kept. Pure rules and data; the lifecycle (`request_attachment`, `attachment_verdict`) applies them.
 */

const MIB = 1024 * 1024;

/** What each allowed content type is, its size limit, and what its magic bytes may be detected as. */
export const ATTACHMENT_TYPES = {
  "application/pdf": { format: "PDF", kind: "document", maxBytes: 25 * MIB, detectedAs: ["application/pdf"] },
  "image/jpeg": { format: "JPEG", kind: "image", maxBytes: 25 * MIB, detectedAs: ["image/jpeg"] },
  "image/png": { format: "PNG", kind: "image", maxBytes: 25 * MIB, detectedAs: ["image/png"] },
  // A HEIC photo is an HEIF container; some cameras write the generic `mif1` brand (detected as HEIF).
  "image/heic": {
    format: "HEIC",
    kind: "image",
    maxBytes: 25 * MIB,
    detectedAs: ["image/heic", "image/heif"],
  },
  "audio/mpeg": { format: "MP3", kind: "audio", maxBytes: 200 * MIB, detectedAs: ["audio/mpeg"] },
  // M4A is audio in an MP4 container: recorders that write the `mp42`/`isom` brands are detected as MP4.
  "audio/mp4": {
    format: "M4A",
    kind: "audio",
    maxBytes: 200 * MIB,
    detectedAs: ["audio/mp4", "audio/x-m4a", "video/mp4"],
  },
  "audio/wav": {
    format: "WAV",
    kind: "audio",
    maxBytes: 200 * MIB,
    detectedAs: ["audio/wav", "audio/x-wav"],
  },
  "video/mp4": { format: "MP4", kind: "video", maxBytes: 200 * MIB, detectedAs: ["video/mp4"] },
} as const satisfies Record<
  string,
  {
    format: string;
    kind: "document" | "image" | "audio" | "video";
    maxBytes: number;
    detectedAs: readonly string[];
  }
>;
export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;
export const ATTACHMENT_CONTENT_TYPES = Object.keys(ATTACHMENT_TYPES) as AttachmentContentType[];

/** The largest file of any type (audio and video). */
export const MAX_ATTACHMENT_BYTES = Math.max(...Object.values(ATTACHMENT_TYPES).map((t) => t.maxBytes));

/** Files per complaint: those available, and those requested whose upload window is still open. */
export const MAX_ATTACHMENTS = 20;

/** A requested upload still counts towards the limit this long after its URL expired (an upload in flight). */
export const UPLOAD_GRACE_MS = 15 * 60_000;

/** The checks a file passes before it can be downloaded: our own content check, and a malware scan (AWS). */
export const ATTACHMENT_CHECKS = ["content", "malware"] as const;
export type AttachmentCheck = (typeof ATTACHMENT_CHECKS)[number];

export const ATTACHMENT_STATUSES = ["pending", "available", "rejected"] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** Why a file was rejected (a code; the audit trail has the details). */
export const REJECTION_REASONS = [
  "size_mismatch",
  "type_mismatch",
  "checksum_mismatch",
  "malware_found",
  "malware_scan_incomplete",
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** A file attached to a complaint. Its object key is built from ids only; the file name is metadata. */
export interface Attachment {
  id: string;
  /** The name the uploader gave the file: shown to people, never used as a key or a path. */
  fileName: string;
  contentType: AttachmentContentType;
  /** Declared size in bytes; the upload must be exactly this long. */
  size: number;
  /** Declared SHA-256 of the content, base64 (as `x-amz-checksum-sha256` carries it). */
  sha256: string;
  uploadedBy: "channel" | "staff";
  status: AttachmentStatus;
  reason?: RejectionReason;
  /** The checks this file must pass (fixed when it was requested: the malware scan runs on AWS only). */
  requiredChecks: AttachmentCheck[];
  /** The checks done so far and their outcome. */
  checks: Partial<Record<AttachmentCheck, "passed" | "failed">>;
  requestedAt: string;
  /** When the upload URL expires. */
  uploadBy: string;
  uploadedAt?: string;
  /** The stored object's version (a versioned bucket): downloads and locks name exactly what was checked. */
  versionId?: string;
  availableAt?: string;
  rejectedAt?: string;
}

/**
 * How long evidence is kept, per jurisdiction, counted from the complaint's closure (data, with its source).
 * `confirmed: false` marks a period we could not confirm from the rule's text: it is the bank's records
 * policy until compliance confirms it.
 */
export const RETENTION_RULES: Record<
  Jurisdiction,
  { years: number; source: string; confirmed: boolean; note: string }
> = {
  GB: {
    years: 3,
    source: "FCA Handbook DISP 1.9.1R (complaints record rule)",
    confirmed: true,
    note:
      "DISP 1.9.1R: keep a record of each complaint received and the measures taken for its resolution for " +
      "three years (five for collective portfolio management services for a UCITS scheme) from the date the " +
      "complaint was received. Counting from closure keeps every record at least that long.",
  },
  CN: {
    years: 5,
    source: "银行业保险业消费投诉处理管理办法 (CBIRC Order 2020 No. 3), art. 7",
    confirmed: false,
    note:
      "Art. 7 requires recording and keeping the handling of complaints (录音录像等设备记录并保存消费投诉接待处理过程); " +
      "the text we could read states no period. Five years is a placeholder for the bank's records policy, " +
      "not a figure from the Measures: confirm with compliance.",
  },
  US: {
    years: 3,
    source: "none confirmed",
    confirmed: false,
    note:
      "No complaint-record period for US banks was confirmed from a rule's text; three years is a placeholder " +
      "for the bank's records policy.",
  },
  EU: {
    years: 5,
    source: "none confirmed (national implementations of PSD2 and the ESAs' complaints-handling guidelines)",
    confirmed: false,
    note:
      "No EU-wide period was confirmed; five years is a placeholder for the bank's records policy and the " +
      "member state's rule.",
  },
};

const addYears = (instant: Date, years: number): Date => {
  const d = new Date(instant.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
};

/**
 * Until when a file is kept: the jurisdiction's period from the complaint's closure, or — while it is
 * still open — from now, the earliest its closure can be (the lock set then is only ever extended).
 */
export const retainUntilOf = (
  complaint: { jurisdiction: Jurisdiction; closedAt?: string },
  now: Date,
): Date => {
  const from = complaint.closedAt ? new Date(complaint.closedAt) : now;
  return addYears(from, RETENTION_RULES[complaint.jurisdiction].years);
};

/** The files that count towards the per-complaint limit at an instant. */
export const countingAttachments = (attachments: readonly Attachment[], now: Date): Attachment[] =>
  attachments.filter(
    (a) =>
      a.status === "available" ||
      (a.status === "pending" && Date.parse(a.uploadBy) + UPLOAD_GRACE_MS > now.getTime()),
  );

/** What is asked to be attached (already shaped by the request schema). */
export interface AttachmentRequest {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** The type and size rules: a typed error naming the field for anything the limits refuse. */
export const checkAttachmentRequest = (request: AttachmentRequest): AttachmentContentType => {
  const spec = (ATTACHMENT_TYPES as Record<string, (typeof ATTACHMENT_TYPES)[AttachmentContentType]>)[
    request.contentType
  ];
  if (!spec) {
    throw new DomainError(
      "validation",
      "ATTACHMENT_TYPE_NOT_ALLOWED",
      `Files of type '${request.contentType}' cannot be attached`,
      [{ path: "contentType", message: `must be one of ${ATTACHMENT_CONTENT_TYPES.join(", ")}` }],
    );
  }
  if (request.size > spec.maxBytes) {
    throw new DomainError(
      "validation",
      "ATTACHMENT_TOO_LARGE",
      `A ${spec.format} file may be at most ${spec.maxBytes / MIB} MiB`,
      [{ path: "size", message: `must be at most ${spec.maxBytes} bytes for ${request.contentType}` }],
    );
  }
  return request.contentType as AttachmentContentType;
};

/** Whether content detected from its magic bytes is what was declared. */
export const matchesDeclaredType = (declared: AttachmentContentType, detected: string | undefined): boolean =>
  detected !== undefined && (ATTACHMENT_TYPES[declared].detectedAs as readonly string[]).includes(detected);
