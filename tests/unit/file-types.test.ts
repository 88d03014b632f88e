import { fileTypeFromBuffer } from "file-type";
import { describe, expect, it } from "vitest";
import { type AttachmentContentType, matchesDeclaredType } from "../../functions/domain/attachments";

/** The first bytes of each allowed format, as a real file starts (enough for the magic-byte check). */
const pad = (head: Buffer) => Buffer.concat([head, Buffer.alloc(4096 - head.length)]);
const ftyp = (brand: string) =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from(`ftyp${brand}`),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from(`${brand}mp41`),
  ]);
const SAMPLES: Record<AttachmentContentType, Buffer> = {
  "application/pdf": Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1"),
  "image/jpeg": pad(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01])),
  "image/png": Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  ),
  "image/heic": pad(ftyp("heic")),
  // An ID3v2.4 tag (empty) and an MPEG-1 Layer III frame header.
  "audio/mpeg": pad(Buffer.from([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64])),
  "audio/mp4": pad(ftyp("M4A ")),
  "audio/wav": pad(
    Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x24, 0, 0, 0]), Buffer.from("WAVEfmt ")]),
  ),
  "video/mp4": pad(ftyp("isom")),
};

describe("the magic-byte check (file-type, as the check step runs it)", () => {
  for (const [declared, bytes] of Object.entries(SAMPLES) as [AttachmentContentType, Buffer][]) {
    it(`recognises ${declared}`, async () => {
      const detected = (await fileTypeFromBuffer(bytes))?.mime;
      expect(matchesDeclaredType(declared, detected), `detected ${detected}`).toBe(true);
    });
  }

  it("recognises an MP3 whose ID3 tag (cover art) runs past the bytes the check reads", async () => {
    // Tag size 60000 (syncsafe), only the first 4100 bytes read: the check must not refuse a real recording.
    const tagged = pad(Buffer.from([0x49, 0x44, 0x33, 0x04, 0, 0, 0x03, 0x52, 0x7f, 0x60]));
    expect((await fileTypeFromBuffer(tagged))?.mime).toBe("audio/mpeg");
  });

  it("tells a PNG from a PDF, and text from anything allowed", async () => {
    expect(
      matchesDeclaredType("application/pdf", (await fileTypeFromBuffer(SAMPLES["image/png"]))?.mime),
    ).toBe(false);
    expect(await fileTypeFromBuffer(Buffer.from("<html><script>alert(1)</script></html>"))).toBeUndefined();
  });
});
