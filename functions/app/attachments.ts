import { fileTypeFromBuffer } from "file-type";
import { type Attachment, matchesDeclaredType } from "../domain/attachments";
import type { Channel } from "../domain/codes";
import type { Actor, Complaint } from "../domain/complaint";
import { DomainError, IllegalTransitionError } from "../domain/errors";
import type { Command } from "../domain/lifecycle";
import type { AttachmentUploadRequest } from "../domain/schemas";
import { toAttachmentView } from "../domain/views";
import { commitChange } from "./commit";
import type { AttachmentDependencies, DeliveryDependencies, LookupDependencies } from "./dependencies";
import type { EvidenceObject } from "./ports";
import { assertTeamAccess, type StaffIdentity } from "./staff-actions";
import type { StreamMessage } from "./stream";

/**
 * Evidence attached to a complaint, end to end: a file is requested (the upload URL is issued; the bytes
 * go straight to the evidence store), checked when its object arrives (type by magic bytes, length,
 * SHA-256; on AWS also GuardDuty's malware scan), and only then served, through short-lived download URLs
 * that are each recorded in the trail. Every change goes through `commitChange`.
 */

/** Who is calling: the complaint's channel system, or a member of staff. */
export type Caller = { kind: "channel"; channel: Channel } | { kind: "staff"; staff: StaffIdentity };

const notFound = () => new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");
const noSuchAttachment = () => new DomainError("not_found", "ATTACHMENT_NOT_FOUND", "No such attachment");

/** Reads: the complaint's channel (another channel's complaint is as if absent), staff of its team, managers. */
const authorizeRead = (c: Complaint, caller: Caller): void => {
  if (caller.kind === "channel") {
    if (c.channel !== caller.channel) throw notFound();
  } else if (caller.staff.role !== "manager") assertTeamAccess(c, caller.staff);
};

/** Adding evidence: the complaint's channel, or staff of the team it is queued to. */
const authorizeWrite = (c: Complaint, caller: Caller): void => {
  if (caller.kind === "channel") authorizeRead(c, caller);
  else assertTeamAccess(c, caller.staff);
};

const actorOf = (caller: Caller): Extract<Actor, { kind: "channel" | "staff" }> =>
  caller.kind === "channel"
    ? { kind: "channel", channel: caller.channel }
    : { kind: "staff", subject: caller.staff.subject, role: caller.staff.role, teams: caller.staff.teams };

const objectOf = (complaintId: string, a: Attachment): EvidenceObject => ({
  complaintId,
  attachmentId: a.id,
  ...(a.versionId ? { versionId: a.versionId } : {}),
});

/** The lifecycle's refusals keep their own codes here (a status never refuses evidence). */
const commitEvidence = async (
  complaintId: string,
  plan: (c: Complaint) => Command,
  deps: AttachmentDependencies,
) => {
  try {
    return await commitChange(
      { complaintId, plan: ({ complaint }) => ({ kind: "apply", command: plan(complaint) }) },
      deps,
    );
  } catch (e) {
    if (e instanceof IllegalTransitionError)
      throw new DomainError("conflict", "ACTION_NOT_ALLOWED", e.message, { status: e.status });
    throw e;
  }
};

/**
 * Records a file to be attached and answers a presigned PUT for it. The rules (type, size, how many, a
 * closed complaint) are checked by the lifecycle before anything is stored; the URL is signed after.
 */
export const requestAttachment = async (
  input: { complaintId: string; caller: Caller; request: AttachmentUploadRequest },
  deps: AttachmentDependencies,
) => {
  const attachmentId = deps.newId();
  const { uploadUrlSeconds, requiredChecks } = deps.attachments;
  const uploadBy = new Date(deps.clock.now().getTime() + uploadUrlSeconds * 1000).toISOString();
  await commitEvidence(
    input.complaintId,
    (complaint) => {
      authorizeWrite(complaint, input.caller);
      return {
        type: "request_attachment",
        actor: actorOf(input.caller),
        attachment: { id: attachmentId, ...input.request, requiredChecks, uploadBy },
      };
    },
    deps,
  );
  const upload = await deps.evidence.presignUpload(
    { complaintId: input.complaintId, attachmentId },
    input.request,
    uploadUrlSeconds,
  );
  deps.log.info("attachment requested", { complaintId: input.complaintId, attachmentId });
  // The URL's own expiry (the store's clock); `uploadBy` is the domain's deadline for the file.
  return { attachmentId, uploadUrl: upload.url, uploadHeaders: upload.headers, expiresAt: upload.expiresAt };
};

/** The complaint's files as its reader may see them (no URLs: a download is asked for one by one). */
export const listAttachments = async (
  input: { complaintId: string; caller: Caller },
  deps: Pick<LookupDependencies, "complaints">,
) => {
  const stored = await deps.complaints.get(input.complaintId);
  if (!stored) throw notFound();
  authorizeRead(stored.complaint, input.caller);
  const c = stored.complaint;
  return { complaintId: c.id, items: (c.attachments ?? []).map((a) => toAttachmentView(c, a)) };
};

/**
 * A short-lived presigned GET of an available file. The download is recorded first (an audit-only
 * event: the complaint keeps its version), so no URL is ever handed out that the trail does not show.
 */
export const downloadAttachment = async (
  input: { complaintId: string; attachmentId: string; caller: Caller },
  deps: AttachmentDependencies,
) => {
  let found: Attachment | undefined;
  await commitChange(
    {
      complaintId: input.complaintId,
      plan: ({ complaint }) => {
        authorizeRead(complaint, input.caller);
        const a = complaint.attachments?.find((x) => x.id === input.attachmentId);
        if (!a) throw noSuchAttachment();
        if (a.status !== "available") {
          throw new DomainError(
            "conflict",
            "ATTACHMENT_NOT_AVAILABLE",
            `The file is ${a.status}: it cannot be downloaded`,
            {
              status: a.status,
              ...(a.reason ? { reason: a.reason } : {}),
            },
          );
        }
        found = a;
        const actor = actorOf(input.caller);
        return {
          kind: "record",
          events: (c, now) => [
            {
              type: "AttachmentDownloaded",
              at: now.toISOString(),
              actor,
              statusAfter: c.status,
              data: { attachmentId: a.id, sha256: a.sha256 },
            },
          ],
        };
      },
    },
    deps,
  );
  const a = found as Attachment;
  const seconds = deps.attachments.downloadUrlSeconds;
  const download = await deps.evidence.presignDownload(objectOf(input.complaintId, a), a, seconds);
  return {
    attachmentId: a.id,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    downloadUrl: download.url,
    expiresAt: download.expiresAt,
  };
};

/** Bytes file-type needs to recognise every allowed format (its own sample size). */
const SNIFF_BYTES = 4100;

const CHECKER: Actor = { kind: "system", component: "attachment-check" };

/**
 * The content check, run when an object lands (S3 `Object Created` on AWS; the local server's own event
 * on the embedded target): its length must be the declared one, its magic bytes the declared type, its
 * SHA-256 the declared one — taken from S3, which verified it on upload, or computed by reading the
 * object through where the store keeps no checksum (the embedded target). The verdict, with what the
 * object measured, goes into the trail; a duplicate event changes nothing.
 */
export const checkUploadedObject = async (
  object: EvidenceObject,
  deps: AttachmentDependencies,
): Promise<void> => {
  const stored = await deps.complaints.get(object.complaintId);
  const attachment = stored?.complaint.attachments?.find((a) => a.id === object.attachmentId);
  if (attachment?.status !== "pending" || attachment.checks.content !== undefined) {
    deps.log.info("uploaded object needs no check", { ...object, known: attachment !== undefined });
    return;
  }
  const found = await deps.evidence.describe(object);
  if (!found) {
    deps.log.warn("uploaded object is gone before its check", { ...object });
    return;
  }
  const target = { ...object, ...(found.versionId ? { versionId: found.versionId } : {}) };
  const { sha256, ...verdict } = await judge(attachment, target, found, deps);
  await commitEvidence(
    object.complaintId,
    () => ({
      type: "attachment_verdict",
      actor: CHECKER,
      attachmentId: attachment.id,
      check: "content",
      ...verdict,
      upload: {
        size: found.size,
        sha256,
        ...(found.versionId ? { versionId: found.versionId } : {}),
      },
    }),
    deps,
  );
  deps.log.info("attachment checked", { ...object, passed: verdict.passed, reason: verdict.reason });
};

const judge = async (
  a: Attachment,
  target: EvidenceObject,
  found: { size: number; sha256?: string },
  deps: AttachmentDependencies,
) => {
  // A file of the wrong length is not read at all (it may be far larger than any allowed).
  if (found.size !== a.size)
    return {
      passed: false,
      reason: "size_mismatch" as const,
      detail: `${found.size} bytes stored, ${a.size} declared`,
      sha256: null,
    };
  const detected = (await fileTypeFromBuffer(await deps.evidence.readStart(target, SNIFF_BYTES)))?.mime;
  const sha256 = found.sha256 ?? (await deps.evidence.digest(target));
  if (!matchesDeclaredType(a.contentType, detected))
    return {
      passed: false,
      reason: "type_mismatch" as const,
      detail: `content is ${detected ?? "of no recognised type"}, declared ${a.contentType}`,
      sha256,
    };
  if (sha256 !== a.sha256)
    return {
      passed: false,
      reason: "checksum_mismatch" as const,
      detail: "SHA-256 differs from the declared",
      sha256,
    };
  return { passed: true, detail: `${detected}, ${found.size} bytes, SHA-256 as declared`, sha256 };
};

/**
 * GuardDuty's malware scan result (AWS): only `NO_THREATS_FOUND` passes. A scan that could not complete
 * (unsupported, access denied, failed) cannot vouch for the file, so it is refused as well.
 */
export const recordMalwareScan = async (
  input: { object: EvidenceObject; scanStatus: string; resultStatus: string },
  deps: AttachmentDependencies,
): Promise<void> => {
  const passed = input.resultStatus === "NO_THREATS_FOUND";
  await commitEvidence(
    input.object.complaintId,
    () => ({
      type: "attachment_verdict",
      actor: { kind: "system", component: "guardduty-malware-protection" },
      attachmentId: input.object.attachmentId,
      check: "malware",
      passed,
      detail: `${input.scanStatus}: ${input.resultStatus}`,
      ...(passed
        ? {}
        : { reason: input.resultStatus === "THREATS_FOUND" ? "malware_found" : "malware_scan_incomplete" }),
    }),
    deps,
  );
  deps.log.info("malware scan recorded", { ...input.object, result: input.resultStatus });
};

/**
 * The stream consumer holding the evidence store: locks a file that became available, deletes a rejected
 * one, extends the locks at closure. Each instruction is idempotent (a lock is only extended; deleting a
 * deleted object is a no-op), so a redelivered record does no harm.
 */
export const applyEvidenceInstructions =
  (deps: Pick<DeliveryDependencies, "evidence" | "log">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind !== "event") return;
    for (const instruction of m.deliveries.evidence ?? []) {
      const object: EvidenceObject = {
        complaintId: m.complaintId,
        attachmentId: instruction.attachmentId,
        ...(instruction.versionId ? { versionId: instruction.versionId } : {}),
      };
      if (instruction.action === "retain")
        await deps.evidence.retain(object, new Date(instruction.retainUntil));
      else await deps.evidence.remove(object);
    }
  };
