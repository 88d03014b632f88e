import { HttpError } from "./errors";
import { MAX_BODY_BYTES } from "./limits";

/**
 * The rules a JSON request body must meet, as pure functions over the parts of a request, so the Lambda
 * middleware (what runs on AWS) and the embedded target's own endpoints apply the very same ones:
 * - not compressed (`Content-Encoding` absent or `identity`), else 415;
 * - `application/json` (or `application/<x>+json`), compared case-insensitively as RFC 9110 says, with no
 *   charset or `charset=utf-8`, else 415 (a body declared latin1 or UTF-16 is not what we would read);
 * - bytes that are UTF-8, else 400 INVALID_ENCODING. On AWS, API Gateway (no binary media types
 *   configured) hands the Lambda a string it decoded itself; bytes it could not decode arrive as U+FFFD,
 *   which every text field refuses. A base64 body (`isBase64Encoded`) is decoded strictly here: the
 *   alphabet and padding exactly, then UTF-8 with no replacement;
 * - JSON, else 400 MALFORMED_JSON.
 */

/** A media type split into its parts, names lower-cased; undefined when it breaks RFC 9110's grammar. */
export interface MediaType {
  type: string;
  subtype: string;
  parameters: [name: string, value: string][];
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const PARAMETER = `(${TOKEN})=(${TOKEN}|${QUOTED})`;
const MEDIA_TYPE = new RegExp(
  `^[ \\t]*(${TOKEN})/(${TOKEN})((?:[ \\t]*;[ \\t]*(?:${TOKEN}=(?:${TOKEN}|${QUOTED}))?)*)[ \\t]*$`,
);

/** Parses a `Content-Type` value (one media type; a list such as `a/b, c/d` is not one). */
export const parseMediaType = (value: string): MediaType | undefined => {
  const m = MEDIA_TYPE.exec(value);
  if (!m) return undefined;
  const parameters: [string, string][] = [];
  for (const p of (m[3] ?? "").matchAll(new RegExp(PARAMETER, "g"))) {
    const raw = p[2] as string;
    const unquoted = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
    parameters.push([(p[1] as string).toLowerCase(), unquoted]);
  }
  return { type: (m[1] as string).toLowerCase(), subtype: (m[2] as string).toLowerCase(), parameters };
};

const UTF8_LABELS = new Set(["utf-8", "utf8"]);

const unsupported = (message: string) => new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", message);
const invalidEncoding = (message: string) => new HttpError(400, "INVALID_ENCODING", message);

/** Throws the 415 a body with this `Content-Type` gets, if any. */
export const checkContentType = (contentType: string | undefined): void => {
  const media = contentType === undefined ? undefined : parseMediaType(contentType);
  const json = media?.type === "application" && (media.subtype === "json" || media.subtype.endsWith("+json"));
  if (!media || !json) throw unsupported("Send the body as application/json");
  const charsets = media.parameters.filter(([name]) => name === "charset");
  if (charsets.length > 1 || charsets.some(([, value]) => !UTF8_LABELS.has(value.toLowerCase()))) {
    throw unsupported("Send the body as UTF-8 (application/json; charset=utf-8, or no charset)");
  }
};

/** Throws the 415 a body sent with this `Content-Encoding` gets, if any (only `identity` is read). */
export const checkContentEncoding = (contentEncoding: string | undefined): void => {
  const codings = (contentEncoding ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter(Boolean);
  if (codings.some((c) => c !== "identity")) {
    throw unsupported("Send the body uncompressed (no Content-Encoding, or identity)");
  }
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// ignoreBOM keeps a leading U+FEFF in the text, where JSON.parse refuses it like API Gateway's string would.
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The size in bytes of a body as the client sent it. */
export const bodyBytes = (body: string, isBase64Encoded: boolean): number =>
  isBase64Encoded ? Buffer.byteLength(body, "base64") : Buffer.byteLength(body, "utf8");

/** Bytes as UTF-8 text, or the 400 INVALID_ENCODING they get. */
export const decodeUtf8 = (bytes: Uint8Array): string => {
  try {
    return utf8.decode(bytes);
  } catch {
    throw invalidEncoding("The body is not valid UTF-8");
  }
};

/** The body's text: a string as it is, a base64 body decoded strictly. */
export const bodyText = (body: string, isBase64Encoded: boolean): string => {
  if (!isBase64Encoded) return body;
  if (!BASE64.test(body)) throw invalidEncoding("The body is not valid base64");
  return decodeUtf8(Buffer.from(body, "base64"));
};

/** The parts of a request a JSON body is judged by (header names lower-case). */
export interface BodyRequest {
  headers: Readonly<Record<string, string | undefined>>;
  body: string | null | undefined;
  isBase64Encoded?: boolean | undefined;
}

/**
 * Applies every rule above, in the order a client can act on (size, compression, media type, bytes,
 * syntax), and answers the parsed JSON value.
 */
export const parseJsonBody = (request: BodyRequest, maxBytes = MAX_BODY_BYTES): unknown => {
  const body = request.body ?? "";
  const base64 = request.isBase64Encoded === true;
  if (bodyBytes(body, base64) > maxBytes) {
    throw new HttpError(413, "PAYLOAD_TOO_LARGE", `The request body exceeds ${maxBytes} bytes`);
  }
  if (body.length === 0) throw new HttpError(400, "VALIDATION_FAILED", "A JSON request body is required");
  checkContentEncoding(request.headers["content-encoding"]);
  checkContentType(request.headers["content-type"]);
  const text = bodyText(body, base64);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "MALFORMED_JSON", "The request body is not valid JSON");
  }
};
