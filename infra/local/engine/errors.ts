/**
 * Errors of the local Step Functions API. `name` is the AWS error name (what the real service puts in
 * `__type`), so callers and the HTTP layer can map them exactly as the SDK's exception classes do.
 */
export type SfnErrorName =
  | "ExecutionAlreadyExists"
  | "ExecutionDoesNotExist"
  | "StateMachineDoesNotExist"
  | "InvalidArn"
  | "InvalidName"
  | "InvalidExecutionInput"
  | "InvalidOutput"
  | "InvalidToken"
  | "TaskDoesNotExist"
  | "TaskTimedOut"
  | "ValidationException"
  | "ExecutionNotRedrivable"
  | "ServiceUnavailable";

export class SfnError extends Error {
  override readonly name: SfnErrorName;

  constructor(name: SfnErrorName, message: string) {
    super(message);
    this.name = name;
  }
}

export const isSfnError = (e: unknown): e is SfnError => e instanceof SfnError;
