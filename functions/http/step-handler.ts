import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { ERROR } from "../../workflows/contract";
import { logger } from "../adapters/runtime";
import { complaintIdSchema } from "../domain/schemas";
import * as z from "../domain/zod";
import { eventKind } from "./event-kind";

/**
 * The Lambdas that are not behind API Gateway (workflow steps, the scheduled reconciler) get the same
 * request-scoped logging as the HTTP ones: Powertools' `injectLambdaContext` (request id, cold start,
 * function name on every line) and, for a step, the complaint's id, all reset after the invocation.
 */

/** Thrown when a step is given input it cannot work on; the state machine sees `InvalidStepInput`. */
export class InvalidStepInputError extends Error {
  constructor(
    step: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`${step} was invoked with input of the wrong shape: ${issues.map((i) => i.path).join(", ")}`);
    this.name = ERROR.invalidStepInput;
  }
}

/** What every step reads: the complaint the execution is about (the state carries more, passed through). */
export const complaintStepInput = /* @__PURE__ */ (() => z.looseObject({ complaintId: complaintIdSchema }))();

/** What a callback stage passes: the task token (server side only) and the stage it waits in. */
export const registerTaskInput = /* @__PURE__ */ (() =>
  z.extend(complaintStepInput, {
    taskToken: z.string().check(z.minLength(1)),
    stage: z.enum(["staff", "customer", "feedback"]),
  }))();

/** What the catch-all hands over: the state, and the caught error under `$.error`. */
export const needsAttentionInput = /* @__PURE__ */ (() =>
  z.extend(complaintStepInput, {
    error: z.optional(z.looseObject({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })),
  }))();

/** The complaint id of an event, when it has a well-formed one (nothing else about it is logged). */
const complaintIdOf = (event: unknown): string | undefined => {
  const id = (event as { complaintId?: unknown } | null)?.complaintId;
  return complaintIdSchema.safeParse(id).success ? (id as string) : undefined;
};

/**
 * A workflow step's handler: the input is checked against `schema` first, so a direct invoke or a console
 * test event without a `complaintId` gets a named error (and a log line saying what it was), not a
 * TypeError from deep inside. Other errors propagate by name to the state machine's Retry/Catch.
 */
export const stepHandler = <S extends z.ZodMiniType, R>(
  step: string,
  schema: S,
  fn: (input: z.infer<S>) => Promise<R>,
) =>
  // No early timeout: a step that runs out of time must fail as Lambda's own Sandbox.Timedout, which the
  // state machine retries, not as middy's TimeoutError, which it would not.
  middy<unknown, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: ({ event }) => {
        const complaintId = complaintIdOf(event);
        if (complaintId) logger.appendKeys({ complaintId });
      },
    })
    .handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({
          path: i.path.map(String).join(".") || "(root)",
          message: i.message,
        }));
        logger.error("workflow step input of the wrong shape", { step, received: eventKind(event), issues });
        throw new InvalidStepInputError(step, issues);
      }
      return fn(parsed.data);
    });

/** A scheduled Lambda's handler (the event, a schedule's, is not read). */
export const scheduledHandler = <R>(fn: () => Promise<R>) =>
  middy<unknown, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async () => fn());

/** An invoked job's handler: its input (the invocation payload) goes to `fn`, which validates it. */
export const invokedHandler = <R>(fn: (input: unknown) => Promise<R>) =>
  middy<unknown, R, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event) => fn(event));
