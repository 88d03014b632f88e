/**
 * The contract between the Lambdas and the state machine: state names (they read as sentences and show
 * in the console, the audit trail and the cost benchmark), error names (`ErrorEquals` matches an error's
 * `name`, so handlers throw these and the definition catches them), and the shape of the data passed.
 */

export const STATE = {
  startHandling: "Start handling",
  waitForStaff: "Wait for staff",
  waitForCustomer: "Wait for customer",
  askForFeedback: "Ask for feedback",
  checkSlaClock: "Check SLA clock",
  whatNext: "What happens next?",
  closeComplaint: "Close complaint",
  complaintClosed: "Complaint closed",
  markNeedsAttention: "Mark needs attention",
  handlingFailed: "Handling failed",
} as const;
export type StateName = (typeof STATE)[keyof typeof STATE];

/**
 * Errors the workflow retries: the Lambda service's own transient failures, a crashed invocation, and our
 * store's throttling. Anything else is caught and the complaint is marked needs_attention.
 */
export const TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
  "TransientStoreError",
  // A crashed or timed-out invocation: every step is idempotent, so running it again is safe.
  "Sandbox.Timedout",
  "Runtime.ExitError",
] as const;

/** Error names our handlers throw on purpose. */
export const ERROR = {
  transientStore: "TransientStoreError",
  complaintNotFound: "ComplaintNotFound",
  staleTask: "StaleTask",
  /** A step invoked with input of the wrong shape (no complaintId, a console test event): not retried. */
  invalidStepInput: "InvalidStepInput",
} as const;

/** Where a step sends the complaint next; the Choice state reads it from `$.next`. */
export const NEXT = {
  waitForStaff: "wait_for_staff",
  waitForCustomer: "wait_for_customer",
  askForFeedback: "ask_for_feedback",
  close: "close",
  /** Anything the Choice does not know leads to "Mark needs attention": used on purpose for stuck complaints. */
  needsAttention: "needs_attention",
} as const;
export type NextStep = (typeof NEXT)[keyof typeof NEXT];

/** What every workflow step returns and every staff callback sends: the state the workflow carries. */
export interface WorkflowState {
  complaintId: string;
  next: NextStep;
  /** Seconds until the stage's time box ends (SLA checkpoint, reply window, feedback window). */
  timeoutSeconds: number;
}

/** Payload of the callback task that registers a task token. */
export interface RegisterTaskInput {
  complaintId: string;
  taskToken: string;
  stage: "staff" | "customer" | "feedback";
}

export interface ExecutionInput {
  complaintId: string;
}
