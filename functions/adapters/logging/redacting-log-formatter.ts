import { LogFormatter, LogItem } from "@aws-lambda-powertools/logger";
import type { LogAttributes, UnformattedAttributes } from "@aws-lambda-powertools/logger/types";

/**
 * The one place personal data and secrets are kept out of the logs: every log line the shared Powertools
 * Logger writes passes through here, whatever a call site hands it (a whole complaint, an error whose
 * message quotes a request, a stack). Call sites log ids and references only; this is the safety net.
 * - values under personal or secret keys (name, phone, email, account/card numbers, free text written
 *   by or about the customer, tokens, credentials) are replaced outright;
 * - in every other string, e-mail addresses, phone numbers, account and card numbers, task tokens and
 *   JWTs are masked by pattern (complaint references and ISO timestamps are left readable).
 */
const PERSONAL_KEYS = new Set(
  [
    "name",
    "fullName",
    "customerName",
    "firstName",
    "lastName",
    "phone",
    "phoneNumber",
    "mobile",
    "email",
    "emailAddress",
    "address",
    "account",
    "accountNumber",
    "cardNumber",
    "pan",
    "iban",
    "description",
    "comment",
    "question",
    "note",
    "summary",
    "body",
  ].map((k) => k.toLowerCase()),
);
const SECRET_KEYS = new Set(
  ["token", "taskToken", "authorization", "apiKey", "x-api-key", "password", "secret", "cookie"].map((k) =>
    k.toLowerCase(),
  ),
);

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/lsfn1\.[A-Za-z0-9_-]+/g, "[task-token]"],
  [/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[jwt]"],
  [/cmp_[a-z_]+_[A-Za-z0-9_-]{20,}/g, "[api-key]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  // Card and account numbers: 12-19 digits, spaces or dashes between them.
  [/(?<![\w.:-])\d(?:[ -]?\d){11,18}(?![\w.:-])/g, "[account-number]"],
  // Phone numbers: 7 to 15 digits (E.164's most) with an optional + and the usual separators — not a
  // calendar date (2026-12-01) and not a longer run of digits (a stream sequence number).
  [/(?<![\w.:-])(?!\d{4}-\d{2}-\d{2}(?![\w.:-]))\+?\d(?:[ ()-]{0,2}\d){6,14}(?![\w.:-])/g, "[phone]"],
];

/** Masks what looks like personal data or a secret in a string. */
export const redactText = (text: string): string =>
  PATTERNS.reduce((out, [pattern, mask]) => out.replace(pattern, mask), text);

/** A copy of a log value with personal data and secrets removed (by key and by pattern). */
export const redact = (value: unknown, depth = 0): unknown => {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const k = key.toLowerCase();
    if (SECRET_KEYS.has(k)) out[key] = "[redacted]";
    else if (PERSONAL_KEYS.has(k) && v !== null && v !== undefined && typeof v !== "boolean")
      out[key] = "[personal-data]";
    else out[key] = redact(v, depth + 1);
  }
  return out;
};

/** The Powertools log layout, with every attribute and the message passed through `redact`. */
export class RedactingLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additionalLogAttributes: LogAttributes): LogItem {
    const base: LogAttributes = {
      level: attributes.logLevel,
      message: typeof attributes.message === "string" ? redactText(attributes.message) : attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: base }).addAttributes(redact(additionalLogAttributes) as LogAttributes);
  }
}
