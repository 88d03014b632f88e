import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { type WorkflowEngine, WorkflowUnavailableError } from "../../app/ports";

/** Step Functions behind the workflow port; the embedded target serves the same API locally. */
export class StepFunctionsEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** The execution name: the complaint id, and `<id>-r<N>` for the Nth resume by an operator. */
  static executionName(complaintId: string, attempt?: number): string {
    return attempt ? `${complaintId}-r${attempt}` : complaintId;
  }

  async start(complaintId: string, attempt?: number): Promise<void> {
    try {
      // Same name and input as a running execution is accepted by Step Functions: replays are safe.
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: StepFunctionsEngine.executionName(complaintId, attempt),
          input: JSON.stringify({ complaintId }),
        }),
      );
    } catch (e) {
      // The execution exists (it ran, or runs with this input already): the complaint is in the workflow.
      if (e instanceof ExecutionAlreadyExists) return;
      throw new WorkflowUnavailableError("could not start the complaint's workflow", { cause: e });
    }
  }

  async resume(token: string, output: unknown): Promise<"resumed" | "stale"> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return "resumed";
    } catch (e) {
      if (e instanceof TaskTimedOut || e instanceof InvalidToken || e instanceof TaskDoesNotExist)
        return "stale";
      throw new WorkflowUnavailableError("could not resume the complaint's workflow", { cause: e });
    }
  }
}
