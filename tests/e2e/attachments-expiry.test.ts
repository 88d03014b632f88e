import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyFor } from "../../infra/local/auth";
import { type LocalStack, startLocalStack } from "../../infra/local/stack";
import { complaintBody } from "./harness";

/*
 * Presigned URLs are short-lived: a stack whose upload and download URLs last seconds, to see the
 * store refuse them once expired (the local S3-compatible server checks X-Amz-Date + X-Amz-Expires as S3
 * does). Its own file: a stack's configuration is process-wide.
 */

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("base64");
const fileOf = (bytes: Buffer) => ({
  fileName: "statement.pdf",
  contentType: "application/pdf",
  size: bytes.length,
  sha256: sha256(bytes),
});
const put = (upload: { uploadUrl: string; uploadHeaders: Record<string, string> }, bytes: Buffer) => {
  const { "Content-Length": _length, ...headers } = upload.uploadHeaders;
  return fetch(upload.uploadUrl, { method: "PUT", headers, body: bytes });
};

describe("expired URLs", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({
      port: 0,
      logLevel: "ERROR",
      attachmentUrlSeconds: { upload: 3, download: 2 },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses an upload after its URL expired, and a download after its URL expired", async () => {
    const key = apiKeyFor(stack.secret, "mobile_app");
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${stack.url}${path}`, {
        method,
        headers: {
          "x-api-key": key,
          "content-type": "application/json",
          "idempotency-key": `att-${Date.now()}-${Math.random()}`,
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const id = (await call("POST", "/complaints", complaintBody())).body.id as string;
    const late = (await call("POST", `/complaints/${id}/attachments`, fileOf(PDF))).body;
    await new Promise((r) => setTimeout(r, 4000));
    const refusedPut = await put(late, PDF);
    expect(refusedPut.status).toBe(403);
    expect(await refusedPut.text()).toContain("Request has expired");
    await stack.checksDrained();
    const list = await call("GET", `/complaints/${id}/attachments`);
    expect(list.body.items[0]).toMatchObject({ id: late.attachmentId, status: "pending" });

    const fresh = (await call("POST", `/complaints/${id}/attachments`, fileOf(PDF))).body;
    expect((await put(fresh, PDF)).status).toBe(200);
    const deadline = Date.now() + 15_000;
    let download: { status: number; body: any } | undefined;
    while (Date.now() < deadline) {
      download = await call("GET", `/complaints/${id}/attachments/${fresh.attachmentId}`);
      if (download.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(download?.status).toBe(200);
    await new Promise((r) => setTimeout(r, 4000));
    const expired = await fetch(download?.body.downloadUrl);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("Request has expired");
  });
});
