import { DomainError, type DomainErrorKind } from "../domain/errors";
import * as z from "../domain/zod";

/** An error with an HTTP status and a stable code, answered as `{ error: { code, message, details } }`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  unprocessable: 422,
  precondition: 412,
};

/** A complaint version as an HTTP entity tag: strong, quoted (`"7"`). */
export const etagOf = (version: number): string => `"${version}"`;

/** Every error code the API can answer with, and its status: documented in docs/api.md and the OpenAPI file. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_ENCODING: 400,
  MISSING_IDEMPOTENCY_KEY: 400,
  INVALID_CURSOR: 400,
  SAME_TEAM: 400,
  UNKNOWN_TEAM: 400,
  INVALID_STATUTORY_INPUT: 400,
  UNAUTHORIZED: 401,
  INVALID_API_KEY: 403,
  FORBIDDEN_TEAM: 403,
  FORBIDDEN_ROLE: 403,
  ACCESS_DENIED: 403,
  COMPLAINT_NOT_FOUND: 404,
  CALENDAR_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ACTION_NOT_ALLOWED: 409,
  TASK_BUSY: 409,
  ALREADY_CLAIMED: 409,
  COMPLAINT_CHANGED: 409,
  ALREADY_TOP_TIER: 409,
  NO_REMEDIATION: 409,
  REMEDIATION_ALREADY_COMPLETED: 409,
  APPRAISAL_ALREADY_OPEN: 409,
  NO_OPEN_APPRAISAL: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  EXTENSION_NOT_APPLICABLE: 422,
  EXTENSION_APPROVAL_REQUIRED: 422,
  EXTENSION_LIMIT_EXCEEDED: 422,
  APPRAISAL_NOT_APPLICABLE: 422,
  PERIOD_IN_FUTURE: 422,
  ATTACHMENT_TYPE_NOT_ALLOWED: 400,
  ATTACHMENT_TOO_LARGE: 400,
  ATTACHMENT_NOT_FOUND: 404,
  COMPLAINT_CLOSED: 409,
  ATTACHMENT_LIMIT_REACHED: 409,
  ATTACHMENT_NOT_AVAILABLE: 409,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Field-level details of a schema violation: a dotted path and what is wrong there. */
export const validationDetails = (error: z.core.$ZodError, prefix?: string) =>
  error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(root)",
    message: issue.message,
  }));

/** Parses with a schema or throws a 400 that names every offending field. */
export const parseOrThrow = <T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  where: string,
): z.infer<T> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(
      400,
      "VALIDATION_FAILED",
      `The ${where} is not valid`,
      validationDetails(result.error, where === "body" ? undefined : where),
    );
  }
  return result.data;
};

/** Maps anything thrown to the response a client sees; only 4xx reasons are ever disclosed. */
export const toHttpError = (error: unknown): HttpError => {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) {
    // A failed precondition says which version the complaint is at now, as the reads do: its ETag.
    const version = (error.details as { version?: unknown } | undefined)?.version;
    const headers: Record<string, string> =
      error.kind === "precondition" && typeof version === "number" ? { ETag: etagOf(version) } : {};
    return new HttpError(STATUS[error.kind], error.code, error.message, error.details, headers);
  }
  if (error instanceof z.$ZodError)
    return new HttpError(400, "VALIDATION_FAILED", "The request is not valid", validationDetails(error));
  const name = (error as Error | undefined)?.name;
  // TimeoutError: the function ran out of time waiting on a dependency (middy's early timeout, or an SDK
  // socket timeout). Every change is one transaction, so it landed whole or not at all: retry it.
  if (name === "TransientStoreError" || name === "WorkflowUnavailableError" || name === "TimeoutError") {
    return new HttpError(
      503,
      "SERVICE_UNAVAILABLE",
      "The service is briefly unavailable; retry with the same request",
      undefined,
      {
        "Retry-After": "2",
      },
    );
  }
  if (name === "InvalidCursorError")
    return new HttpError(400, "INVALID_CURSOR", "The pagination cursor is not valid");
  return new HttpError(500, "INTERNAL_ERROR", "Something went wrong on our side; it has been logged");
};

/**
 * The JSON body of an error response. `requestId` is API Gateway's id of the request (the one in the logs
 * and in API Gateway's own error answers), so a client can quote it.
 */
export const errorBody = (e: HttpError, requestId?: string) =>
  JSON.stringify({
    error: {
      code: e.code,
      message: e.message,
      ...(e.details !== undefined ? { details: e.details } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    },
  });
