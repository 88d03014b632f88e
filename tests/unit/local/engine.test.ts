import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from "@aws-sdk/client-sfn";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DefinitionError, prepareDefinition } from "../../../infra/local/engine/definition";
import { LocalStepFunctions } from "../../../infra/local/engine/local-step-functions";
import { type SfnApi, startSfnApi } from "../../../infra/local/engine/sfn-api";
import { armTimer, MAX_TIMER_SLICE_MS } from "../../../infra/local/engine/timers";

const SM_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:engine-test";
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const DAY = 86_400;

/**
 * Fixture: a plain Lambda task with a Retry on a named error and a Catch on another, then a callback task
 * whose timeout comes from the state input, caught on States.Timeout (a States.TaskFailed catcher listed
 * first must NOT catch the timeout, as on AWS), then a Choice to Succeed / Fail.
 */
const definition = {
  Comment: "engine test fixture",
  StartAt: "Load complaint",
  States: {
    "Load complaint": {
      Type: "Task",
      Resource: fnArn("load"),
      Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 360, MaxAttempts: 2, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["ComplaintNotFound"], ResultPath: "$.error", Next: "Not found" }],
      Next: "Wait for staff",
    },
    "Wait for staff": {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: {
        FunctionName: fnArn("register"),
        Payload: {
          "complaintId.$": "$.complaintId",
          "taskToken.$": "$$.Task.Token",
          "executionId.$": "$$.Execution.Id",
        },
      },
      TimeoutSecondsPath: "$.timeoutSeconds",
      Catch: [
        { ErrorEquals: ["States.TaskFailed"], ResultPath: "$.failure", Next: "Staff failed it" },
        { ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "Decide" },
      ],
      Next: "Decide",
    },
    Decide: {
      Type: "Choice",
      Choices: [
        { Variable: "$.timeout", IsPresent: true, Next: "Breached" },
        { Variable: "$.decision", StringEquals: "close", Next: "Closed" },
      ],
      Default: "Rejected",
    },
    Closed: { Type: "Succeed" },
    Rejected: { Type: "Fail", Error: "Rejected", Cause: "staff rejected it" },
    Breached: { Type: "Fail", Error: "SlaBreached", Cause: "no staff decision in time" },
    "Staff failed it": { Type: "Fail", Error: "StaffFailure", Cause: "SendTaskFailure" },
    "Not found": { Type: "Fail", Error: "NoSuchComplaint", Cause: "caught ComplaintNotFound" },
  },
};

const PRISTINE = JSON.stringify(definition);

interface Registered {
  complaintId: string;
  taskToken: string;
  executionId: string;
}

/** Lambdas driven by the execution input: `fail` names an error to throw, `flaky` how many attempts fail. */
const makeLambdas = () => {
  const attempts = new Map<string, number>();
  const registered = new Map<string, Registered[]>();
  const lambdas = {
    [fnArn("load")]: async (event: unknown) => {
      const e = event as { complaintId: string; flaky?: number; fail?: string };
      const n = (attempts.get(e.complaintId) ?? 0) + 1;
      attempts.set(e.complaintId, n);
      if (e.fail) throw Object.assign(new Error(`load failed: ${e.fail}`), { name: e.fail });
      if (e.flaky !== undefined && n <= e.flaky)
        throw Object.assign(new Error("try again"), { name: "Flaky" });
      return { ...e, loaded: true };
    },
    [fnArn("register")]: async (event: unknown) => {
      const e = event as Registered;
      registered.set(e.complaintId, [...(registered.get(e.complaintId) ?? []), e]);
      return { stored: true };
    },
  };
  return { lambdas, attempts, registered };
};

const until = async <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, ms = 2000) => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("LocalStepFunctions behind the local Step Functions API, through the real SDK", () => {
  const TIME_SCALE = 36_000; // 3600 simulated seconds = 100 real ms
  const fx = makeLambdas();
  let engine: LocalStepFunctions;
  let api: SfnApi;
  let sfn: SFNClient;
  let seq = 0;

  beforeAll(async () => {
    engine = new LocalStepFunctions({
      stateMachineArn: SM_ARN,
      definition,
      lambdas: fx.lambdas,
      timeScale: TIME_SCALE,
    });
    api = await startSfnApi(engine, { port: 0, host: "127.0.0.1" });
    sfn = new SFNClient({
      endpoint: api.url,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    sfn?.destroy();
    await engine?.stopAll();
    await api?.close();
  });

  const start = async (fields: Record<string, unknown> = {}) => {
    const complaintId = `01J${String(++seq).padStart(4, "0")}`;
    const input = JSON.stringify({ complaintId, timeoutSeconds: 30 * DAY, ...fields });
    const out = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: SM_ARN, name: complaintId, input }),
    );
    return { complaintId, input, executionArn: out.executionArn as string, startDate: out.startDate as Date };
  };
  const describeExecution = (executionArn: string) =>
    sfn.send(new DescribeExecutionCommand({ executionArn }));
  const settled = (executionArn: string) =>
    until(async () => {
      const d = await describeExecution(executionArn);
      return d.status === "RUNNING" ? undefined : d;
    }, `${executionArn} to finish`) as Promise<DescribeExecutionCommandOutput>;
  const tokenOf = (complaintId: string, nth = 1) =>
    until(() => fx.registered.get(complaintId)?.[nth - 1], `token #${nth} of ${complaintId}`);
  const stats = async (executionArn: string) => (await engine.stats()).executions[executionArn];

  it("starts an execution, answers a replay of the same name and input alike, refuses a different one", async () => {
    const { complaintId, input, executionArn, startDate } = await start();
    expect(executionArn).toBe(`arn:aws:states:us-east-1:000000000000:execution:engine-test:${complaintId}`);
    expect(startDate).toBeInstanceOf(Date);

    const replay = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: SM_ARN, name: complaintId, input }),
    );
    expect(replay.executionArn).toBe(executionArn);
    expect(replay.startDate?.getTime()).toBe(startDate.getTime());

    const other = sfn.send(
      new StartExecutionCommand({ stateMachineArn: SM_ARN, name: complaintId, input: '{"complaintId":"x"}' }),
    );
    await expect(other).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    // Once finished, even the same input is refused.
    const { taskToken } = await tokenOf(complaintId);
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ decision: "close" }) }));
    expect((await settled(executionArn)).status).toBe("SUCCEEDED");
    const again = sfn.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: complaintId, input }));
    await expect(again).rejects.toMatchObject({ name: "ExecutionAlreadyExists" });

    const badName = sfn.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: "a b", input }));
    await expect(badName).rejects.toBeInstanceOf(InvalidName);
    const badInput = sfn.send(new StartExecutionCommand({ stateMachineArn: SM_ARN, name: "ok", input: "{" }));
    await expect(badInput).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it("mints a task token, passes it in the Payload, and resumes with the JSON sent by SendTaskSuccess", async () => {
    const { complaintId, executionArn } = await start();
    const registered = await tokenOf(complaintId);
    expect(registered.taskToken).toMatch(/^lsfn1\.[A-Za-z0-9_-]{64}$/);
    expect(registered.executionId).toBe(executionArn);
    expect((await describeExecution(executionArn)).status).toBe("RUNNING");

    const output = { complaintId, decision: "close", note: "résolu ✓" };
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: registered.taskToken, output: JSON.stringify(output) }),
    );
    const done = await settled(executionArn);
    expect(done.status).toBe("SUCCEEDED");
    expect(JSON.parse(done.output ?? "null")).toEqual(output);
    expect(done.stopDate?.getTime()).toBeGreaterThanOrEqual(done.startDate?.getTime() ?? Infinity);

    // A completed task's token is no longer waited for.
    const late = sfn.send(new SendTaskSuccessCommand({ taskToken: registered.taskToken, output: "{}" }));
    await expect(late).rejects.toBeInstanceOf(TaskTimedOut);

    // Load complaint, Wait for staff, Decide, Closed; two Lambda invocations.
    expect(await stats(executionArn)).toMatchObject({
      stateTransitions: 4,
      retries: 0,
      lambdaInvocations: 2,
    });
  });

  it("times the callback out on the scaled clock into the States.Timeout catcher, not States.TaskFailed", async () => {
    const t0 = Date.now();
    const { complaintId, executionArn } = await start({ timeoutSeconds: 3600 });
    const { taskToken } = await tokenOf(complaintId);
    const done = await settled(executionArn);
    const elapsed = Date.now() - t0;
    expect(done.status).toBe("FAILED");
    expect(done.error).toBe("SlaBreached");
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(1500);
    // Load, Wait for staff, Decide, Breached.
    expect((await stats(executionArn))?.stateTransitions).toBe(4);

    const late = sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"close"}' }));
    await expect(late).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(late).rejects.toMatchObject({ name: "TaskTimedOut", $metadata: { httpStatusCode: 400 } });
  });

  it("answers InvalidToken for garbage and TaskDoesNotExist for a well-formed unknown token", async () => {
    const garbage = sfn.send(new SendTaskSuccessCommand({ taskToken: "not-a-token", output: "{}" }));
    await expect(garbage).rejects.toBeInstanceOf(InvalidToken);
    const unknown = `lsfn1.${"A".repeat(64)}`;
    const missing = sfn.send(new SendTaskFailureCommand({ taskToken: unknown, error: "X" }));
    await expect(missing).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it("fails the task with SendTaskFailure's error, which States.TaskFailed catches", async () => {
    const { complaintId, executionArn } = await start();
    const { taskToken } = await tokenOf(complaintId);
    await sfn.send(new SendTaskFailureCommand({ taskToken, error: "StaffGaveUp", cause: "too hard" }));
    const done = await settled(executionArn);
    expect(done).toMatchObject({ status: "FAILED", error: "StaffFailure" });
    // Load, Wait for staff, Staff failed it.
    expect((await stats(executionArn))?.stateTransitions).toBe(3);
  });

  it("retries a named error on the scaled clock, and only that error", async () => {
    // IntervalSeconds 360 and backoff 2: 10 ms then 20 ms at this scale (6 and 12 minutes unscaled).
    const flaky = await start({ flaky: 2 });
    const { taskToken } = await tokenOf(flaky.complaintId);
    expect(fx.attempts.get(flaky.complaintId)).toBe(3);
    expect(await stats(flaky.executionArn)).toMatchObject({
      retries: 2,
      lambdaInvocations: 4,
      stateTransitions: 2,
    });
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"decision":"no"}' }));
    expect(await settled(flaky.executionArn)).toMatchObject({ status: "FAILED", error: "Rejected" });

    const boom = await start({ fail: "Boom" });
    const failed = await settled(boom.executionArn);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBe("Boom");
    expect(JSON.parse(failed.cause ?? "{}")).toMatchObject({
      errorType: "Boom",
      errorMessage: "load failed: Boom",
    });
    expect(fx.attempts.get(boom.complaintId)).toBe(1);

    const notFound = await start({ fail: "ComplaintNotFound" });
    expect(await settled(notFound.executionArn)).toMatchObject({
      status: "FAILED",
      error: "NoSuchComplaint",
    });
  });

  it("lists executions newest first, filtered by status", async () => {
    const running = await start();
    await tokenOf(running.complaintId);
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SM_ARN }));
    expect(all.executions?.[0]?.executionArn).toBe(running.executionArn);
    expect(all.executions?.[0]?.startDate).toBeInstanceOf(Date);
    const onlyRunning = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: SM_ARN, statusFilter: "RUNNING" }),
    );
    expect(onlyRunning.executions?.map((e) => e.name)).toContain(running.complaintId);
    expect(onlyRunning.executions?.every((e) => e.status === "RUNNING")).toBe(true);
    const succeeded = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: SM_ARN, statusFilter: "SUCCEEDED", maxResults: 1 }),
    );
    expect(succeeded.executions).toHaveLength(1);
    expect(succeeded.nextToken).toBeTypeOf("string");
  });

  it("speaks AWS JSON 1.0 on the wire: epoch-second dates, typed errors in body and header", async () => {
    const { executionArn } = await start();
    const call = (target: string, body: unknown) =>
      fetch(`${api.url}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.0",
          "x-amz-target": `AWSStepFunctions.${target}`,
        },
        body: JSON.stringify(body),
      });
    const ok = await call("DescribeExecution", { executionArn });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    const description = (await ok.json()) as { startDate: unknown; status: string };
    expect(description.startDate).toBeTypeOf("number");
    expect(description.status).toBe("RUNNING");

    const bad = await call("SendTaskSuccess", { taskToken: "nope", output: "{}" });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-amzn-errortype")).toBe("InvalidToken");
    expect(await bad.json()).toMatchObject({ __type: "com.amazonaws.states#InvalidToken" });

    const missing = await call("DescribeExecution", { executionArn: `${executionArn}-nope` });
    expect(missing.headers.get("x-amzn-errortype")).toBe("ExecutionDoesNotExist");
  });
});

describe("LocalStepFunctions timers", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("holds a 40-day callback timeout at a scale where it lasts 2 s (no setTimeout overflow)", async () => {
    const fx = makeLambdas();
    // 40 days in 2 real seconds. The library alone would arm setTimeout(3_456_000_000): fires at once.
    const engine = new LocalStepFunctions({
      stateMachineArn: SM_ARN,
      definition,
      lambdas: fx.lambdas,
      timeScale: (DAY * 40) / 2,
    });
    try {
      const t0 = Date.now();
      const { executionArn } = await engine.startExecution({
        name: "long",
        input: JSON.stringify({ complaintId: "long", timeoutSeconds: 40 * DAY }),
      });
      await until(() => fx.registered.get("long")?.[0], "the token");
      await new Promise((r) => setTimeout(r, 300));
      expect((await engine.describeExecution({ executionArn })).status).toBe("RUNNING");
      const done = await until(
        async () => {
          const d = await engine.describeExecution({ executionArn });
          return d.status === "RUNNING" ? undefined : d;
        },
        "the timeout",
        10_000,
      );
      expect(done.error).toBe("SlaBreached");
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1950);
    } finally {
      await engine.stopAll();
    }
  });

  it("arms delays beyond setTimeout's 24.8-day limit in slices", () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    armTimer(40 * DAY * 1000, fired);
    vi.advanceTimersByTime(MAX_TIMER_SLICE_MS + 1000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(40 * DAY * 1000 - MAX_TIMER_SLICE_MS - 1001);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);

    const cancelled = vi.fn();
    armTimer(30 * DAY * 1000, cancelled).cancel();
    vi.advanceTimersByTime(31 * DAY * 1000);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it("stopAll aborts running executions and leaves no timer behind, the library's task timer included", async () => {
    const fx = makeLambdas();
    const engine = new LocalStepFunctions({ stateMachineArn: SM_ARN, definition, lambdas: fx.lambdas });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await engine.startExecution({ name: "warm-up", input: '{"complaintId":"warm-up","timeoutSeconds":9}' });
    await until(() => fx.registered.get("warm-up")?.[0], "the warm-up token");
    // Other timers of this process come and go (the worker's own): count at rest, and wait for a count.
    const atRest = async () => {
      let n = timers();
      for (let i = 0; i < 10; i++) {
        await new Promise((r) => setTimeout(r, 10));
        n = Math.min(n, timers());
      }
      return n;
    };
    const before = await atRest();
    const { executionArn } = await engine.startExecution({
      name: "stop-me",
      input: JSON.stringify({ complaintId: "stop-me", timeoutSeconds: 7 * DAY }),
    });
    const { taskToken } = await until(() => fx.registered.get("stop-me")?.[0], "the token");
    // Ours (7 days, sliced) and the library's own task timer.
    await until(() => timers() === before + 2 || undefined, "two more timers");
    await engine.stopAll();
    expect(await atRest()).toBe(before - 2); // the warm-up execution's two went too
    expect((await engine.describeExecution({ executionArn })).status).toBe("ABORTED");
    await expect(engine.sendTaskSuccess({ taskToken, output: "{}" })).rejects.toMatchObject({
      name: "TaskTimedOut",
    });
    await expect(engine.startExecution({ name: "after" })).rejects.toMatchObject({
      name: "ServiceUnavailable",
    });
  });
});

describe("definition loading", () => {
  const lambdas = makeLambdas().lambdas;
  const load = (def: object) => new LocalStepFunctions({ stateMachineArn: SM_ARN, definition: def, lambdas });

  it("rejects JSONata, which the library would silently ignore", () => {
    expect(() => load({ ...definition, QueryLanguage: "JSONata" })).toThrow(/JSONata/);
    const stateLevel = structuredClone(definition) as { States: Record<string, Record<string, unknown>> };
    (stateLevel.States.Decide as Record<string, unknown>).QueryLanguage = "JSONata";
    expect(() => load(stateLevel)).toThrow(DefinitionError);
  });

  it("rejects a Lambda the engine was not given and a resource it cannot run", () => {
    expect(
      () =>
        new LocalStepFunctions({
          stateMachineArn: SM_ARN,
          definition,
          lambdas: { [fnArn("load")]: async () => 1 },
        }),
    ).toThrow(/register/);
    const sns = structuredClone(definition) as { States: Record<string, Record<string, unknown>> };
    (sns.States["Load complaint"] as Record<string, unknown>).Resource = "arn:aws:states:::sns:publish";
    expect(() => load(sns)).toThrow(/not supported/);
  });

  it("moves TimeoutSecondsPath into Parameters and scales retry intervals", () => {
    const prepared = prepareDefinition(definition, 3600);
    const states = prepared.definition.States as Record<string, Record<string, unknown>>;
    const wait = states["Wait for staff"] as Record<string, unknown>;
    expect(wait.TimeoutSecondsPath).toBeUndefined();
    expect(wait.TimeoutSeconds).toBe(2_147_483);
    expect(wait.Parameters).toMatchObject({ "__localTimeoutSeconds.$": "$.timeoutSeconds" });
    expect(prepared.tasks.get("Wait for staff")).toMatchObject({
      kind: "callback",
      wrapped: true,
      scaledTimeout: true,
    });
    const retry = states["Load complaint"]?.Retry as Array<{ IntervalSeconds: number }> | undefined;
    expect(retry?.[0]?.IntervalSeconds).toBe(0.1);
    // The definition given is left untouched (the library's validator would add QueryLanguage to each state).
    expect(JSON.stringify(definition)).toBe(PRISTINE);
  });
});
