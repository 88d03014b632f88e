import {
  ExecutionAlreadyExists,
  ExecutionNotRedrivable,
  InvalidToken,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import {
  type ExecutionRedriver,
  type FailedExecution,
  type WorkflowEngine,
  WorkflowUnavailableError,
} from "../../app/ports";

/** Step Functions redrives an execution within 14 days of its stop. */
const REDRIVE_WINDOW_MS = 14 * 86_400_000;
/** Pages of 100 failed executions read per run, newest first. */
const MAX_PAGES = 10;

/** Step Functions behind the workflow port; the embedded target serves the same API locally. */
export class StepFunctionsEngine implements WorkflowEngine, ExecutionRedriver {
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

  /** The complaint and attempt an execution name stands for (`<id>`, `<id>-r<N>`). */
  static parseName(name: string): { complaintId: string; attempt: number } {
    const m = /^(.+)-r(\d+)$/.exec(name);
    return m ? { complaintId: m[1] as string, attempt: Number(m[2]) } : { complaintId: name, attempt: 0 };
  }

  async failedExecutions(): Promise<FailedExecution[]> {
    const since = Date.now() - REDRIVE_WINDOW_MS;
    const found: FailedExecution[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await this.sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: this.stateMachineArn,
          statusFilter: "FAILED",
          maxResults: 100,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
      for (const e of out.executions ?? []) {
        if (!e.executionArn || !e.name) continue;
        if (e.stopDate && e.stopDate.getTime() < since) return found;
        found.push({
          executionArn: e.executionArn,
          ...StepFunctionsEngine.parseName(e.name),
          redriveCount: e.redriveCount ?? 0,
          ...(e.stopDate ? { stoppedAt: e.stopDate } : {}),
        });
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return found;
  }

  async redrive(executionArn: string): Promise<"redriven" | "not_redrivable"> {
    try {
      await this.sfn.send(new RedriveExecutionCommand({ executionArn }));
      return "redriven";
    } catch (e) {
      if (e instanceof ExecutionNotRedrivable) return "not_redrivable";
      throw new WorkflowUnavailableError("could not redrive the complaint's workflow", { cause: e });
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
