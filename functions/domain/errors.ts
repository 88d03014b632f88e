/**
 * Typed domain errors. `code` is the stable, client-visible identifier; the HTTP layer maps the
 * error kind to a status. Messages never carry personal data or task tokens.
 */
/** One offending field of a request, as `VALIDATION_FAILED` details name them (a dotted path). */
export interface FieldIssue {
  path: string;
  message: string;
}

export type DomainErrorKind =
  | "validation"
  | "not_found"
  | "forbidden"
  | "conflict"
  | "unprocessable"
  /** A condition the caller set (`If-Match`) does not hold: `details.version` is the current one. */
  | "precondition";

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly details?: Record<string, unknown> | readonly FieldIssue[];

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    details?: Record<string, unknown> | readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DomainError";
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

/** A command that the complaint's current status does not allow. */
export class IllegalTransitionError extends DomainError {
  constructor(
    readonly status: string,
    command: string,
    readonly allowedActions: readonly string[],
  ) {
    super(
      "conflict",
      "ILLEGAL_TRANSITION",
      `Action '${command}' is not allowed while the complaint is '${status}'`,
      { status, action: command, allowedActions: [...allowedActions] },
    );
    this.name = "IllegalTransitionError";
  }
}

/** A request field the rules refuse (not the schema): `400 VALIDATION_FAILED` naming the field. */
export class FieldRuleError extends DomainError {
  constructor(path: string, message: string) {
    super("validation", "VALIDATION_FAILED", `The body is not valid: ${path} ${message}`, [
      { path, message },
    ]);
    this.name = "FieldRuleError";
  }
}
