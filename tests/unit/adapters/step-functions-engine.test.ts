import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { StepFunctionsEngine } from "../../../functions/adapters/sfn/step-functions-engine";
import { WorkflowUnavailableError } from "../../../functions/app/ports";

const sfn = mockClient(SFNClient);
const engine = new StepFunctionsEngine(
  new SFNClient({ region: "us-east-1" }),
  "arn:aws:states:us-east-1:1:stateMachine:c",
);
afterEach(() => sfn.reset());

describe("StepFunctionsEngine", () => {
  it("starts one execution named by the complaint id, and treats an existing one as started", async () => {
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: "x", startDate: new Date() })
      .rejects(new ExecutionAlreadyExists({ message: "exists", $metadata: {} }));
    await engine.start("01J000");
    await engine.start("01J000");
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: "01J000",
      input: JSON.stringify({ complaintId: "01J000" }),
    });
  });

  it("names an operator's resume execution <id>-r<N>, one name per attempt", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: "x", startDate: new Date() });
    await engine.start("01J000", 2);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      name: "01J000-r2",
      input: JSON.stringify({ complaintId: "01J000" }),
    });
  });

  it("reports a timed-out token as stale and an outage as WorkflowUnavailableError", async () => {
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(new TaskTimedOut({ message: "late", $metadata: {} }))
      .rejects(new Error("connect ECONNREFUSED"));
    expect(await engine.resume("tok", { next: "close" })).toBe("stale");
    await expect(engine.resume("tok", { next: "close" })).rejects.toBeInstanceOf(WorkflowUnavailableError);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: "tok",
      output: '{"next":"close"}',
    });
  });
});
