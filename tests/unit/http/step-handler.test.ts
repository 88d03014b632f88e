import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { logger } from "../../../functions/adapters/runtime";
import { handler as checkSlaClock } from "../../../functions/handlers/workflow/check-sla-clock";
import { handler as registerTask } from "../../../functions/handlers/workflow/register-task";
import { handler as startHandling } from "../../../functions/handlers/workflow/start-handling";
import { complaintStepInput, InvalidStepInputError, stepHandler } from "../../../functions/http/step-handler";
import { ERROR, TRANSIENT_ERRORS } from "../../../workflows/contract";
import { captureLogs } from "./logs";

// A workflow step invoked with the wrong input (a direct invoke, a console test event) answers a named
// error and logs what it was given, never a TypeError; a step's log lines carry its complaint and
// Lambda context, and nothing of the previous invocation.

const ID = "01KB3Q8Y9T6V1S5W2X4Z7N0M3P";
const context = (awsRequestId: string, functionName = "complaints-startHandling") =>
  ({
    awsRequestId,
    functionName,
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:1:function:${functionName}`,
  }) as Context;

const failureOf = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the step to fail");
};

describe("a workflow step given input of the wrong shape", () => {
  it.each([
    ["{} (a console test event)", {}, "complaintId"],
    ["a complaintId that is not one", { complaintId: "42" }, "complaintId"],
    ["an API Gateway event", { httpMethod: "GET", requestContext: {} }, "complaintId"],
    ["null", null, "(root)"],
  ])("throws InvalidStepInput for %s, and logs its type", async (_, event, path) => {
    const { result: error, lines } = await captureLogs(() =>
      failureOf(() => startHandling(event as never, context("req-bad"))),
    );
    expect(error).toBeInstanceOf(InvalidStepInputError);
    expect(error.name).toBe(ERROR.invalidStepInput);
    expect((error as InvalidStepInputError).issues.map((i) => i.path)).toEqual([path]);
    const line = lines.find((l) => l.message === "workflow step input of the wrong shape");
    expect(line).toMatchObject({ level: "ERROR", step: "startHandling", function_request_id: "req-bad" });
    expect(typeof line?.received).toBe("string");
  });

  it("names every missing field of a callback stage, never echoing the values", async () => {
    const error = await failureOf(() =>
      registerTask({ complaintId: ID, stage: "lunch", secret: "tok-123" } as never, context("req-rt")),
    );
    expect(error.name).toBe("InvalidStepInput");
    expect((error as InvalidStepInputError).issues.map((i) => i.path).sort()).toEqual(["stage", "taskToken"]);
    expect(error.message).not.toContain("tok-123");
  });

  it("is not one the state machine retries (it goes to the catch-all)", () => {
    expect(TRANSIENT_ERRORS as readonly string[]).not.toContain(ERROR.invalidStepInput);
  });

  it("fails the same way in every step", async () => {
    const error = await failureOf(() =>
      checkSlaClock({} as never, context("req-sla", "complaints-checkSlaClock")),
    );
    expect(error.name).toBe("InvalidStepInput");
  });
});

describe("a step's log lines", () => {
  const step = stepHandler("probe", complaintStepInput, async (input) => {
    logger.info("probing", { step: "probe" });
    return input.complaintId;
  });

  it("carry the complaint id and the invocation's context, and lose them afterwards", async () => {
    const first = await captureLogs(() =>
      step({ complaintId: ID, next: "wait_for_staff" }, context("req-1")),
    );
    expect(first.result).toBe(ID);
    expect(first.lines.find((l) => l.message === "probing")).toMatchObject({
      complaintId: ID,
      function_request_id: "req-1",
      function_name: "complaints-startHandling",
    });
    const second = await captureLogs(async () => {
      await failureOf(() => step({}, context("req-2")));
      logger.info("between invocations");
      return undefined;
    });
    expect(second.lines.find((l) => l.message === "workflow step input of the wrong shape")).toMatchObject({
      function_request_id: "req-2",
    });
    for (const line of second.lines) expect(line).not.toHaveProperty("complaintId");
  });
});
