import { createHash } from "node:crypto";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evidenceKey } from "../../functions/adapters/s3/keys";
import { EVIDENCE_BUCKET } from "../../infra/local/stack";
import { complaintBody, type Harness, startHarness } from "./harness";

/*
 * Evidence end to end on the embedded target, as a client does it: ask for an upload URL, PUT the bytes to
 * the presigned URL with the headers it was given, wait for the check, ask for a download URL, GET it.
 * The local S3-compatible server does not enforce the signed length and checksum (S3 does), so the files
 * with a wrong length or checksum here are refused by our own check step — which is what proves it.
 */

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
// A 1x1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("base64");
const MIB = 1024 * 1024;

let h: Harness;
let s3: S3Client;
beforeAll(async () => {
  h = await startHarness();
  s3 = new S3Client({
    endpoint: h.stack.evidence.url,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  await h?.stop();
});

const channelHeaders = (channel: "mobile_app" | "wechat" = "mobile_app") => ({
  "x-api-key": h.apiKey(channel),
});

const newComplaint = async () => {
  const created = await h.submit("mobile_app", complaintBody());
  expect(created.status).toBe(201);
  return created.body.id as string;
};

const requestUpload = (complaintId: string, body: unknown, channel: "mobile_app" | "wechat" = "mobile_app") =>
  h.request("POST", `/complaints/${complaintId}/attachments`, { headers: channelHeaders(channel), body });

const fileOf = (bytes: Buffer, overrides: Record<string, unknown> = {}) => ({
  fileName: "statement-2026-11.pdf",
  contentType: "application/pdf",
  size: bytes.length,
  sha256: sha256(bytes),
  ...overrides,
});

/** PUTs the bytes as a client does: to the presigned URL, with the headers it was told to send. */
const put = (upload: { uploadUrl: string; uploadHeaders: Record<string, string> }, bytes: Buffer) => {
  const { "Content-Length": _length, ...headers } = upload.uploadHeaders;
  // fetch sets Content-Length from the body itself (a browser would too).
  return fetch(upload.uploadUrl, { method: "PUT", headers, body: bytes });
};

const listOf = (complaintId: string) =>
  h.request("GET", `/complaints/${complaintId}/attachments`, { headers: channelHeaders() });

const settled = async (complaintId: string, attachmentId: string) => {
  const list = await h.waitFor(
    () => listOf(complaintId),
    (r) => r.body.items?.find((a: { id: string }) => a.id === attachmentId)?.status !== "pending",
  );
  return list.body.items.find((a: { id: string }) => a.id === attachmentId);
};

const trailOf = async (complaintId: string, token: string) =>
  (await h.staff("GET", `/staff/complaints/${complaintId}`, token)).body;

const objectExists = async (complaintId: string, attachmentId: string) =>
  s3
    .send(new HeadObjectCommand({ Bucket: EVIDENCE_BUCKET, Key: evidenceKey({ complaintId, attachmentId }) }))
    .then(() => true)
    .catch((e: { name?: string }) => (e.name === "NotFound" ? false : Promise.reject(e)));

describe("a file attached by the channel", () => {
  it("goes up through its presigned PUT, is checked, downloads through a presigned GET, and every step is in the trail", async () => {
    const id = await newComplaint();
    const asked = await requestUpload(id, fileOf(PDF));
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      attachmentId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      uploadHeaders: {
        "Content-Type": "application/pdf",
        "Content-Length": String(PDF.length),
        "x-amz-checksum-sha256": sha256(PDF),
      },
    });
    // The key is made of ids: the file name goes nowhere near it.
    expect(asked.body.uploadUrl).toContain(
      `/${EVIDENCE_BUCKET}/complaints/${id}/${asked.body.attachmentId}?`,
    );
    expect(asked.body.uploadUrl).not.toContain("statement");
    expect(asked.body.uploadUrl).toMatch(
      /X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bx-amz-checksum-sha256/,
    );
    expect(Date.parse(asked.body.expiresAt)).toBeGreaterThan(Date.now() - 86_400_000);
    const { attachmentId } = asked.body;

    // Pending until checked: nobody can download it yet.
    const early = await h.request("GET", `/complaints/${id}/attachments/${attachmentId}`, {
      headers: channelHeaders(),
    });
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: "ATTACHMENT_NOT_AVAILABLE",
      details: { status: "pending" },
    });

    expect((await put(asked.body, PDF)).status).toBe(200);
    const checked = await settled(id, attachmentId);
    expect(checked).toMatchObject({
      id: attachmentId,
      fileName: "statement-2026-11.pdf",
      contentType: "application/pdf",
      size: PDF.length,
      sha256: sha256(PDF),
      uploadedBy: "channel",
      status: "available",
      checks: { content: "passed" },
    });
    // The list carries no URL of any kind.
    expect(JSON.stringify((await listOf(id)).body)).not.toMatch(/X-Amz|https?:/);

    const agent = await h.staffToken(["cards"], "agent", "agent-att");
    const before = await trailOf(id, agent);
    const download = await h.request("GET", `/complaints/${id}/attachments/${attachmentId}`, {
      headers: channelHeaders(),
    });
    expect(download.status).toBe(200);
    expect(download.body).toMatchObject({
      attachmentId,
      fileName: "statement-2026-11.pdf",
      sha256: sha256(PDF),
    });
    const got = await fetch(download.body.downloadUrl);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''statement-2026-11.pdf");

    // Staff of the team see it in the staff view, and download it too.
    const staffDownload = await h.staff("GET", `/staff/complaints/${id}/attachments/${attachmentId}`, agent);
    expect(staffDownload.status).toBe(200);
    expect(Buffer.from(await (await fetch(staffDownload.body.downloadUrl)).arrayBuffer()).equals(PDF)).toBe(
      true,
    );

    const after = await trailOf(id, agent);
    // A download is audit-only: the complaint keeps its version.
    expect(after.version).toBe(before.version);
    expect(after.attachments).toEqual([expect.objectContaining({ id: attachmentId, status: "available" })]);
    const evidence = after.audit.filter((e: { type: string }) => e.type.startsWith("Attachment"));
    expect(evidence.map((e: { type: string }) => e.type)).toEqual([
      "AttachmentRequested",
      "AttachmentUploaded",
      "AttachmentChecked",
      "AttachmentAvailable",
      "AttachmentDownloaded",
      "AttachmentDownloaded",
    ]);
    expect(evidence[0]).toMatchObject({
      actor: { kind: "channel", channel: "mobile_app" },
      data: { sha256: sha256(PDF) },
    });
    expect(evidence[1].data).toEqual({ attachmentId, size: PDF.length, sha256: sha256(PDF) });
    expect(evidence[2].data).toMatchObject({ check: "content", passed: true });
    expect(evidence[4]).toMatchObject({
      actor: { kind: "channel" },
      data: { attachmentId, sha256: sha256(PDF) },
    });
    expect(evidence[5]).toMatchObject({ actor: { kind: "staff", subject: "agent-att" } });
    // No file name in the trail: it is metadata on the attachment only.
    expect(JSON.stringify(after.audit)).not.toContain("statement-2026-11");
    expect((await h.staff("GET", `/staff/complaints/${id}/audit/verify`, agent)).body.valid).toBe(true);

    // Locked once available, for the CN period from now (the complaint is still open).
    const lock = await h.waitFor(
      async () => h.stack.evidence.retention(evidenceKey({ complaintId: id, attachmentId })),
      (r) => r !== undefined,
    );
    expect(lock).toEqual({ mode: "GOVERNANCE", retainUntil: checked.retainUntil });
    expect(Date.parse(checked.retainUntil) - Date.parse(checked.availableAt)).toBeGreaterThan(
      5 * 365 * 86_400_000,
    );
  });

  it("refuses downloads to another channel (as if absent) and to staff of another team", async () => {
    const id = await newComplaint();
    const asked = await requestUpload(id, fileOf(PDF));
    await put(asked.body, PDF);
    expect((await settled(id, asked.body.attachmentId)).status).toBe("available");
    const path = `/complaints/${id}/attachments/${asked.body.attachmentId}`;
    const other = await h.request("GET", path, { headers: channelHeaders("wechat") });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("COMPLAINT_NOT_FOUND");
    expect(
      (await h.request("GET", `/complaints/${id}/attachments`, { headers: channelHeaders("wechat") })).status,
    ).toBe(404);
    const loans = await h.staffToken(["loans"], "agent", "agent-loans");
    const foreign = await h.staff("GET", `/staff${path}`, loans);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("FORBIDDEN_TEAM");
    expect((await h.staff("POST", `/staff/complaints/${id}/attachments`, loans, fileOf(PDF))).status).toBe(
      403,
    );
    expect((await requestUpload(id, fileOf(PDF), "wechat")).status).toBe(404);
    const agent = await h.staffToken(["cards"], "agent");
    const downloads = (await trailOf(id, agent)).audit.filter(
      (e: { type: string }) => e.type === "AttachmentDownloaded",
    );
    expect(downloads).toEqual([]);
    expect(
      (
        await h.request("GET", `${path.replace(/[^/]+$/, "01KB3QA2C5D8E1F4G7H0J3K6M9")}`, {
          headers: channelHeaders(),
        })
      ).body.error.code,
    ).toBe("ATTACHMENT_NOT_FOUND");
  });
});

describe("the check step", () => {
  const rejected = async (bytes: Buffer, declared: Record<string, unknown>, reason: string) => {
    const id = await newComplaint();
    const asked = await requestUpload(id, fileOf(bytes, declared));
    expect(asked.status).toBe(201);
    expect((await put(asked.body, bytes)).status).toBe(200);
    const a = await settled(id, asked.body.attachmentId);
    expect(a).toMatchObject({ status: "rejected", reason, checks: { content: "failed" } });
    const download = await h.request("GET", `/complaints/${id}/attachments/${a.id}`, {
      headers: channelHeaders(),
    });
    expect(download.status).toBe(409);
    expect(download.body.error).toMatchObject({
      code: "ATTACHMENT_NOT_AVAILABLE",
      details: { status: "rejected", reason },
    });
    // Rejected files are deleted, never locked.
    await h.waitFor(
      () => objectExists(id, a.id),
      (exists) => exists === false,
    );
    expect(h.stack.evidence.retention(evidenceKey({ complaintId: id, attachmentId: a.id }))).toBeUndefined();
    const agent = await h.staffToken(["cards"], "agent");
    const trail = (await trailOf(id, agent)).audit.filter((e: { type: string }) =>
      e.type.startsWith("Attachment"),
    );
    expect(trail.map((e: { type: string }) => e.type)).toEqual([
      "AttachmentRequested",
      "AttachmentUploaded",
      "AttachmentChecked",
      "AttachmentRejected",
    ]);
    return trail;
  };

  it("rejects content whose SHA-256 is not the declared one", async () => {
    const trail = await rejected(PDF, { sha256: sha256(Buffer.from("another file")) }, "checksum_mismatch");
    // The trail has the hash of what was actually stored.
    expect(trail[1].data.sha256).toBe(sha256(PDF));
    expect(trail[3].data).toMatchObject({ reason: "checksum_mismatch", sha256: sha256(PDF) });
  });

  it("rejects an upload longer than declared, without reading it", async () => {
    const longer = Buffer.concat([PDF, Buffer.alloc(64, 0x20)]);
    const trail = await rejected(longer, { size: PDF.length, sha256: sha256(longer) }, "size_mismatch");
    expect(trail[1].data).toEqual({
      attachmentId: trail[0].data.attachmentId,
      size: longer.length,
      sha256: null,
    });
  });

  it("rejects a PNG declared as a PDF (magic bytes)", async () => {
    const trail = await rejected(PNG, {}, "type_mismatch");
    expect(trail[2].data.detail).toBe("content is image/png, declared application/pdf");
  });

  it("accepts a PNG declared as a PNG", async () => {
    const id = await newComplaint();
    const asked = await requestUpload(id, fileOf(PNG, { fileName: "receipt.png", contentType: "image/png" }));
    await put(asked.body, PNG);
    expect((await settled(id, asked.body.attachmentId)).status).toBe("available");
  });
});

describe("bad input", () => {
  const refused = async (body: unknown, status: number, code: string, path?: string) => {
    const id = await newComplaint();
    const answer = await requestUpload(id, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.body.error.code).toBe(code);
    if (path)
      expect(answer.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    // Nothing stored: no attachment, and the complaint's trail has no attachment event.
    expect((await listOf(id)).body.items).toEqual([]);
    const agent = await h.staffToken(["cards"], "agent");
    const trail = await trailOf(id, agent);
    expect(trail.audit.some((e: { type: string }) => e.type.startsWith("Attachment"))).toBe(false);
  };

  it("refuses an unknown content type", () =>
    refused(
      fileOf(PDF, { contentType: "application/x-msdownload" }),
      400,
      "ATTACHMENT_TYPE_NOT_ALLOWED",
      "contentType",
    ));
  it("refuses a size of 0", () => refused(fileOf(PDF, { size: 0 }), 400, "VALIDATION_FAILED", "size"));
  it("refuses a document over 25 MiB", () =>
    refused(fileOf(PDF, { size: 25 * MIB + 1 }), 400, "ATTACHMENT_TOO_LARGE", "size"));
  it("refuses a recording over 200 MiB (and takes one of 30 MiB)", async () => {
    await refused(
      fileOf(PDF, { contentType: "audio/mpeg", size: 200 * MIB + 1 }),
      400,
      "ATTACHMENT_TOO_LARGE",
      "size",
    );
    const id = await newComplaint();
    expect((await requestUpload(id, fileOf(PDF, { contentType: "audio/mpeg", size: 30 * MIB }))).status).toBe(
      201,
    );
  });
  it("refuses a checksum that is not a base64 SHA-256 (a hex digest, say)", () =>
    refused(
      fileOf(PDF, { sha256: createHash("sha256").update(PDF).digest("hex") }),
      400,
      "VALIDATION_FAILED",
      "sha256",
    ));
  it("refuses a path in the file name", async () => {
    await refused(fileOf(PDF, { fileName: "../../etc/passwd" }), 400, "VALIDATION_FAILED", "fileName");
    await refused(fileOf(PDF, { fileName: "C:\\statements\\nov.pdf" }), 400, "VALIDATION_FAILED", "fileName");
  });
  it("refuses fields it does not know", () =>
    refused({ ...fileOf(PDF), key: "x" }, 400, "VALIDATION_FAILED"));

  it("refuses a channel upload to a closed complaint, while staff of its team may still add evidence", async () => {
    const id = await newComplaint();
    const agent = await h.staffToken(["cards"], "agent", "agent-close");
    // A file attached while open, available before closure.
    const early = await requestUpload(id, fileOf(PDF));
    await put(early.body, PDF);
    const open = await settled(id, early.body.attachmentId);
    await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${id}`, agent),
      (r) => r.body.status === "in_progress",
    );
    const resolved = await h.staff("POST", `/staff/complaints/${id}/actions`, agent, {
      type: "resolve",
      resolution: { outcome: "upheld", summary: "Refunded", rootCause: "system_defect" },
    });
    expect(resolved.status).toBe(200);
    await h.waitFor(
      () =>
        h.request("POST", `/complaints/${id}/feedback`, {
          headers: channelHeaders(),
          body: { satisfaction: 5, outcome: "accept" },
        }),
      (r) => r.status === 200,
    );
    const closed = await h.waitFor(
      () => h.staff("GET", `/staff/complaints/${id}`, agent),
      (r) => r.body.status === "closed",
    );
    const versionBefore = closed.body.version;
    const channel = await requestUpload(id, fileOf(PDF));
    expect(channel.status).toBe(409);
    expect(channel.body.error).toMatchObject({ code: "COMPLAINT_CLOSED", details: { status: "closed" } });
    expect((await h.staff("GET", `/staff/complaints/${id}`, agent)).body.version).toBe(versionBefore);

    const staff = await h.staff(
      "POST",
      `/staff/complaints/${id}/attachments`,
      agent,
      fileOf(PNG, { contentType: "image/png", fileName: "proof.png" }),
    );
    expect(staff.status).toBe(201);
    await put(staff.body, PNG);
    const late = await settled(id, staff.body.attachmentId);
    expect(late).toMatchObject({ status: "available", uploadedBy: "staff" });

    // Retention counts from closure: the early file's lock is extended to closure + the CN period, and the
    // late one is locked to the same date.
    const closedAt = closed.body.closedAt as string;
    const expected = new Date(closedAt);
    expected.setUTCFullYear(expected.getUTCFullYear() + 5);
    expect(late.retainUntil).toBe(expected.toISOString());
    const extended = await h.waitFor(
      async () => h.stack.evidence.retention(evidenceKey({ complaintId: id, attachmentId: open.id })),
      (r) => r?.retainUntil === expected.toISOString(),
    );
    expect(extended?.mode).toBe("GOVERNANCE");
    expect(Date.parse(open.retainUntil)).toBeLessThan(expected.getTime());
    // A locked file cannot be deleted.
    await expect(
      s3.send(
        new (await import("@aws-sdk/client-s3")).DeleteObjectCommand({
          Bucket: EVIDENCE_BUCKET,
          Key: evidenceKey({ complaintId: id, attachmentId: open.id }),
        }),
      ),
    ).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("refuses the 21st file of a complaint", async () => {
    const id = await newComplaint();
    for (let i = 0; i < 20; i++) expect((await requestUpload(id, fileOf(PDF))).status).toBe(201);
    const over = await requestUpload(id, fileOf(PDF));
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: "ATTACHMENT_LIMIT_REACHED", details: { limit: 20 } });
    expect((await listOf(id)).body.items).toHaveLength(20);
  });
});
