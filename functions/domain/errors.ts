/**
 * Typed domain errors. `code` is the stable, client-visible identifier; the HTTP layer maps the
 * error kind to a status. Messages never carry personal data or task tokens.
 */
export type DomainErrorKind = "validation" | "not_found" | "forbidden" | "conflict" | "unprocessable";

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly details?: Record<string, unknown>;

  constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    details?: Record<string, unknown>,
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
  constructor(status: string, command: string, allowed: readonly string[]) {
    super(
      "conflict",
      "ILLEGAL_TRANSITION",
      `Action '${command}' is not allowed while the complaint is '${status}'`,
      { status, action: command, allowedActions: [...allowed] },
    );
    this.name = "IllegalTransitionError";
  }
}
