import { describe, expect, it } from "vitest";
import { deliveriesOf } from "../../../functions/app/outbox";
import {
  ATTACHMENT_CONTENT_TYPES,
  ATTACHMENT_TYPES,
  matchesDeclaredType,
  RETENTION_RULES,
  retainUntilOf,
} from "../../../functions/domain/attachments";
import type { Complaint } from "../../../functions/domain/complaint";
import { DomainError } from "../../../functions/domain/errors";
import { type Command, transition } from "../../../functions/domain/lifecycle";
import { agent, ctxAt, newComplaint, system } from "./fixtures";

const MIB = 1024 * 1024;
const SHA = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
const channel = { kind: "channel" as const, channel: "mobile_app" as const };
const NOW = "2026-12-02T02:00:00.000Z";

let n = 0;
const ask = (
  overrides: Partial<Extract<Command, { type: "request_attachment" }>["attachment"]> = {},
  actor: typeof agent | typeof channel = channel,
): Command => ({
  type: "request_attachment",
  actor,
  attachment: {
    id: `01KB3Q8Y9T6V1S5W2X4Z7N${String(++n).padStart(4, "0")}`,
    fileName: "statement.pdf",
    contentType: "application/pdf",
    size: 2048,
    sha256: SHA,
    requiredChecks: ["content", "malware"],
    uploadBy: "2026-12-02T02:10:00.000Z",
    ...overrides,
  },
});

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError).code;
  }
  throw new Error("expected a DomainError");
};

const requested = (c: Complaint = newComplaint(), cmd = ask()) => transition(c, cmd, ctxAt(NOW));

const verdict = (
  attachmentId: string,
  check: "content" | "malware",
  passed: boolean,
  extra = {},
): Command => ({
  type: "attachment_verdict",
  actor: system,
  attachmentId,
  check,
  passed,
  detail: "test",
  ...extra,
});

describe("requesting an attachment", () => {
  it("records a pending file and an AttachmentRequested event with the declared hash (no file name)", () => {
    const { complaint, events } = requested();
    expect(complaint.attachments).toEqual([
      expect.objectContaining({ status: "pending", uploadedBy: "channel", checks: {}, requestedAt: NOW }),
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        type: "AttachmentRequested",
        data: {
          attachmentId: complaint.attachments?.[0]?.id,
          contentType: "application/pdf",
          size: 2048,
          sha256: SHA,
          uploadedBy: "channel",
        },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain("statement.pdf");
  });

  // Expected outcomes stated per row, not derived from the table under test.
  it.each([
    ["application/pdf", 25 * MIB, "ok"],
    ["application/pdf", 25 * MIB + 1, "ATTACHMENT_TOO_LARGE"],
    ["image/jpeg", 25 * MIB + 1, "ATTACHMENT_TOO_LARGE"],
    ["image/png", 25 * MIB, "ok"],
    ["image/heic", 25 * MIB, "ok"],
    ["audio/mpeg", 200 * MIB, "ok"],
    ["audio/mp4", 200 * MIB + 1, "ATTACHMENT_TOO_LARGE"],
    ["audio/wav", 100 * MIB, "ok"],
    ["video/mp4", 200 * MIB, "ok"],
    ["video/quicktime", 1024, "ATTACHMENT_TYPE_NOT_ALLOWED"],
    ["application/zip", 1024, "ATTACHMENT_TYPE_NOT_ALLOWED"],
  ] as const)("%s of %d bytes: %s", (contentType, size, expected) => {
    const run = () => requested(newComplaint(), ask({ contentType, size }));
    if (expected === "ok") expect(run().complaint.attachments).toHaveLength(1);
    else expect(codeOf(run)).toBe(expected);
  });

  it("names the offending field in the error's details", () => {
    try {
      requested(newComplaint(), ask({ contentType: "text/html" }));
    } catch (e) {
      expect((e as DomainError).details).toEqual([
        { path: "contentType", message: expect.stringContaining("application/pdf") },
      ]);
    }
    expect.assertions(1);
  });

  it("takes at most 20 files; a request whose upload window closed long ago no longer counts", () => {
    let c = newComplaint();
    for (let i = 0; i < 20; i++) c = requested(c).complaint;
    expect(codeOf(() => requested(c))).toBe("ATTACHMENT_LIMIT_REACHED");
    // An hour later every one of those upload windows (and their grace) has closed.
    const later = transition(
      c,
      ask({ uploadBy: "2026-12-02T03:10:00.000Z" }),
      ctxAt("2026-12-02T03:00:00.000Z"),
    );
    expect(later.complaint.attachments).toHaveLength(21);
  });

  it("refuses the channel on a closed complaint but lets staff add evidence", () => {
    const closed: Complaint = { ...newComplaint(), status: "closed", closedAt: "2026-12-10T00:00:00.000Z" };
    expect(codeOf(() => requested(closed, ask()))).toBe("COMPLAINT_CLOSED");
    expect(requested(closed, ask({}, agent)).complaint.attachments?.[0]?.uploadedBy).toBe("staff");
  });
});

describe("verdicts", () => {
  const pending = () => {
    const { complaint } = requested();
    return { complaint, id: complaint.attachments?.[0]?.id as string };
  };

  it("needs every required check: content first leaves it pending, the malware scan then makes it available", () => {
    const { complaint, id } = pending();
    const content = transition(
      complaint,
      verdict(id, "content", true, { upload: { size: 2048, sha256: SHA, versionId: "v1" } }),
      ctxAt("2026-12-02T02:01:00.000Z"),
    );
    expect(content.complaint.attachments?.[0]).toMatchObject({
      status: "pending",
      versionId: "v1",
      checks: { content: "passed" },
    });
    expect(content.events.map((e) => e.type)).toEqual(["AttachmentUploaded", "AttachmentChecked"]);
    const scanned = transition(
      content.complaint,
      verdict(id, "malware", true),
      ctxAt("2026-12-02T02:02:00.000Z"),
    );
    expect(scanned.complaint.attachments?.[0]).toMatchObject({
      status: "available",
      availableAt: "2026-12-02T02:02:00.000Z",
    });
    // CN: five years (a placeholder period, not confirmed) from now, the complaint being open.
    expect(scanned.events.at(-1)).toMatchObject({
      type: "AttachmentAvailable",
      data: { attachmentId: id, sha256: SHA, retainUntil: "2031-12-02T02:02:00.000Z" },
    });
    // Delivered from the stream: a lock for exactly the checked version.
    expect(deliveriesOf(scanned.complaint, scanned.events).at(-1)?.evidence).toEqual([
      { action: "retain", attachmentId: id, versionId: "v1", retainUntil: "2031-12-02T02:02:00.000Z" },
    ]);
  });

  it("rejects on the first failed check, asks the store to delete the file, and ignores later verdicts", () => {
    const { complaint, id } = pending();
    const failed = transition(
      complaint,
      verdict(id, "malware", false, { reason: "malware_found" }),
      ctxAt("2026-12-02T02:01:00.000Z"),
    );
    expect(failed.complaint.attachments?.[0]).toMatchObject({ status: "rejected", reason: "malware_found" });
    expect(failed.events.map((e) => e.type)).toEqual(["AttachmentChecked", "AttachmentRejected"]);
    expect(deliveriesOf(failed.complaint, failed.events).at(-1)?.evidence).toEqual([
      { action: "remove", attachmentId: id },
    ]);
    const late = transition(
      failed.complaint,
      verdict(id, "content", true),
      ctxAt("2026-12-02T02:02:00.000Z"),
    );
    expect(late.events).toEqual([]);
    expect(late.complaint).toBe(failed.complaint);
  });

  it("records a duplicate verdict, or one about an unknown file, as nothing", () => {
    const { complaint, id } = pending();
    const once = transition(complaint, verdict(id, "content", true), ctxAt(NOW)).complaint;
    expect(transition(once, verdict(id, "content", false), ctxAt(NOW)).events).toEqual([]);
    expect(
      transition(once, verdict("01KB3Q8Y9T6V1S5W2X4Z7N9999", "content", true), ctxAt(NOW)).events,
    ).toEqual([]);
  });
});

describe("retention", () => {
  it("counts from closure: at Closed every available file's lock is extended to closure + the period", () => {
    const base = newComplaint({ jurisdiction: "GB" });
    const withFiles: Complaint = {
      ...base,
      status: "closed",
      closedAt: "2027-01-15T10:00:00.000Z",
      attachments: [
        { ...requested(base).complaint.attachments![0]!, status: "available", availableAt: NOW },
        {
          ...requested(base).complaint.attachments![0]!,
          id: "01KB3Q8Y9T6V1S5W2X4Z7N8888",
          status: "rejected",
        },
      ],
    };
    const closed = {
      type: "Closed" as const,
      at: "2027-01-15T10:00:00.000Z",
      actor: system,
      statusAfter: "closed" as const,
      data: { outcome: "upheld" as const, reason: "accepted" as const },
    };
    // GB: DISP 1.9.1R's three years.
    expect(deliveriesOf(withFiles, [closed])[0]?.evidence).toEqual([
      {
        action: "retain",
        attachmentId: withFiles.attachments![0]!.id,
        retainUntil: "2030-01-15T10:00:00.000Z",
      },
    ]);
  });

  it("keeps the FCA's three years as confirmed and marks every period it could not confirm", () => {
    expect(RETENTION_RULES.GB).toMatchObject({
      years: 3,
      confirmed: true,
      source: expect.stringContaining("DISP 1.9.1R"),
    });
    expect(RETENTION_RULES.CN).toMatchObject({ confirmed: false, source: expect.stringContaining("art. 7") });
    for (const rule of Object.values(RETENTION_RULES))
      if (!rule.confirmed) expect(rule.note).toMatch(/placeholder/);
    expect(retainUntilOf({ jurisdiction: "GB" }, new Date("2028-02-29T00:00:00.000Z")).toISOString()).toBe(
      "2031-03-01T00:00:00.000Z",
    );
  });
});

describe("type by magic bytes", () => {
  it.each([
    ["application/pdf", "application/pdf", true],
    ["application/pdf", "image/png", false],
    ["image/heic", "image/heif", true],
    ["audio/mp4", "audio/x-m4a", true],
    ["audio/mp4", "video/mp4", true],
    ["video/mp4", "audio/x-m4a", false],
    ["audio/wav", "audio/wav", true],
    ["image/jpeg", undefined, false],
  ] as const)("declared %s, detected %s: %s", (declared, detected, expected) => {
    expect(matchesDeclaredType(declared, detected)).toBe(expected);
  });

  it("allows exactly the formats of the issue", () => {
    expect(ATTACHMENT_CONTENT_TYPES.map((t) => ATTACHMENT_TYPES[t].format).sort()).toEqual(
      ["HEIC", "JPEG", "M4A", "MP3", "MP4", "PDF", "PNG", "WAV"].sort(),
    );
  });
});
