import { randomBytes, randomUUID } from "node:crypto";
import {
  ExecutionAbortedError,
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from "aws-local-stepfunctions";
import {
  DefinitionError,
  PAYLOAD_KEY,
  type PreparedDefinition,
  prepareDefinition,
  type TaskSpec,
  TIMEOUT_KEY,
} from "./definition";
import { SfnError } from "./errors";
import { armTimer, scaledMs, type Timer } from "./timers";

/*
 * An embedded Step Functions engine: `aws-local-stepfunctions` 3.0.0 plus what it lacks, with the
 * semantics of the real service's API (idempotent StartExecution, task tokens, AWS error names).
 *
 * What the library does not do, and what this wrapper does about it:
 * - It needs `Promise.withResolvers` (Node 22+): polyfilled below, once, guarded.
 * - It never generates `$$.Task.Token`. Each execution's context object carries a `Task` whose `Token` is
 *   a getter: the library copies the context with a shallow spread (which keeps the `Task` object and its
 *   getter) and reads `$$.Task.Token` with jsonpath-plus while processing a state's Parameters, so every
 *   read mints a fresh opaque token. The Task state's local handler, called right after, finds the tokens
 *   minted for its execution in its own input and binds them to its pending Promise.
 * - Every Task state runs through `overrides.taskResourceLocalHandlers[stateName]` (Lambda ARNs and
 *   `lambda:invoke` call the Lambda in-process; `.waitForTaskToken` calls it, then waits for
 *   SendTaskSuccess / SendTaskFailure). The library never calls AWS.
 * - Task timeouts are the engine's, not the library's (see definition.ts): it would evaluate
 *   `TimeoutSecondsPath` after `Parameters`, default to 60 s and overflow `setTimeout` above ~24.8 days.
 *   A callback task's timeout is simulated time: real ms = seconds * 1000 / timeScale, armed in slices.
 *   A synchronous Lambda task's timeout (rare; the function's own timeout applies on AWS) bounds real
 *   in-process compute, which the time scale does not speed up, so it is not scaled.
 *   The timeout error is an instance of the library's own `StatesTimeoutError` (captured once by timing out
 *   a probe task): the library's `States.TaskFailed` wildcard excludes timeouts with `instanceof`, and a
 *   look-alike error would wrongly be caught by `States.TaskFailed`.
 * - Retry intervals, fixed Wait `Seconds` and the execution `TimeoutSeconds` are scaled too, so one clock
 *   drives the whole engine.
 * - `HeartbeatSeconds` / `HeartbeatSecondsPath` are ignored by the library, and by this engine: there is
 *   no SendTaskHeartbeat; a callback task ends on success, failure or its timeout only.
 * - `abort()` settles the run's result but leaves a Task state's library timer running (it is cleared
 *   only when the task's own Promise settles), and our callback Promises would never settle on their own.
 *   So whenever an execution ends (stopAll, execution timeout, or failure while a Parallel sibling still
 *   waits) every pending task Promise of that execution is rejected with an error that is neither
 *   retryable nor catchable: the library's race settles, its `finally` clears its timer, and nothing is
 *   retried or caught. Our own timers are cancelled with them.
 * - JSONata and variables (`Assign`) are ignored by the library: such definitions are rejected at load.
 * - Retries do not emit `StateEntered`, only `StateRetried`: `stats()` reports both.
 */

// --- Promise.withResolvers polyfill (the library calls it; Node 20 lacks it) -------------------------
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
}
const withResolvers = <T>(): Resolvers<T> => {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const PromiseCtor = Promise as unknown as { withResolvers?: unknown };
if (typeof PromiseCtor.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: withResolvers,
  });
}

// --- Types ---------------------------------------------------------------------------------------------
export type LambdaFunction = (event: unknown) => Promise<unknown>;

type RunResult = ReturnType<StateMachine["run"]>;
type LibraryEvent = RunResult["eventLogs"] extends AsyncGenerator<infer E> ? E : never;
type LocalHandlers = NonNullable<NonNullable<RunOptions["overrides"]>["taskResourceLocalHandlers"]>;
type LocalHandlerInput = Parameters<LocalHandlers[string]>[0];

/** A library event (StateEntered, StateExited, ExecutionSucceeded, ...) with the execution it belongs to. */
export type EngineEvent = LibraryEvent & { executionArn: string };

export interface LocalStepFunctionsOptions {
  stateMachineArn: string;
  /** ASL JSON, tokens already resolved (JSONPath only). */
  definition: object;
  /** Function ARN (as the definition names it) -> handler, invoked in-process. */
  lambdas: Record<string, LambdaFunction>;
  /** Simulated seconds per real second; default 1 (3600 = one simulated hour per real second). */
  timeScale?: number;
  onEvent?: (event: EngineEvent) => void;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
const STATUSES: readonly ExecutionStatus[] = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

export interface StartExecutionInput {
  name?: string;
  input?: string;
  /** Checked against the engine's state machine when given (the HTTP API always gives it). */
  stateMachineArn?: string;
}
export interface StartExecutionOutput {
  executionArn: string;
  startDate: Date;
}
export interface ExecutionDescription {
  redriveCount: number;
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}
export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** How often it was redriven (RedriveExecution), as ListExecutions answers. */
  redriveCount: number;
}
export interface ListExecutionsInput {
  stateMachineArn: string;
  statusFilter?: ExecutionStatus;
  maxResults?: number;
  nextToken?: string;
}
export interface ExecutionStats {
  name: string;
  status: ExecutionStatus;
  /** `StateEntered` events: state transitions as Step Functions bills them (retries aside). */
  stateTransitions: number;
  /** `StateRetried` events: each retry is one more billed transition on AWS. */
  retries: number;
  lambdaInvocations: number;
}
export interface EngineStats {
  executions: Record<string, ExecutionStats>;
  totals: { executions: number; stateTransitions: number; retries: number; lambdaInvocations: number };
}

interface PendingTask {
  exec: Execution;
  tokens: string[];
  settled: boolean;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  timer?: Timer;
}

interface Execution {
  executionArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  abort: () => void;
  pending: Set<PendingTask>;
  /** Tokens minted by reads of `$$.Task.Token` and not yet bound to a task. */
  minted: Set<string>;
  timer?: Timer;
  stateTransitions: number;
  retries: number;
  lambdaInvocations: number;
  done: Promise<void>;
  /** The state last entered, with its input: where a redrive restarts. */
  lastEntered?: { name: string; input: unknown };
  redriveCount: number;
}

interface TokenRecord {
  task: PendingTask;
  active: boolean;
}

// --- Tokens ----------------------------------------------------------------------------------------------
const TOKEN_PREFIX = "lsfn1.";
const TOKEN_PATTERN = /^lsfn1\.[A-Za-z0-9_-]{64}$/;
const mintToken = (): string => `${TOKEN_PREFIX}${randomBytes(48).toString("base64url")}`;

// --- Errors the Task handlers throw into the library -----------------------------------------------------
/** Errors the library must neither retry nor catch (it reads `isRetryable` / `isCatchable`). */
const fatal = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, isRetryable: false, isCatchable: false });
const stopped = () => fatal("ExecutionStopped", "the execution is no longer running");

/** A Lambda's error as Step Functions reports it: the error name, and a Cause that is a JSON string. */
const lambdaError = (e: unknown): Error => {
  const name = e instanceof Error ? e.name : "Error";
  const message = e instanceof Error ? e.message : String(e);
  const trace = e instanceof Error && e.stack ? e.stack.split("\n") : [];
  const err = new Error(JSON.stringify({ errorType: name, errorMessage: message, trace }));
  err.name = name;
  return err;
};

type TimeoutErrorClass = new () => Error;
let timeoutErrorClass: Promise<TimeoutErrorClass> | undefined;
/** The library's `StatesTimeoutError` (not exported): taken from a probe task that times out in 1 ms. */
const statesTimeoutErrorClass = (): Promise<TimeoutErrorClass> => {
  timeoutErrorClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: "Probe",
        States: {
          Probe: {
            Type: "Task",
            Resource: "arn:aws:lambda:us-east-1:000000000000:function:probe",
            TimeoutSeconds: 0.001,
            End: true,
          },
        },
      },
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run(
      {},
      { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise(() => {}) } } },
    );
    try {
      await run.result;
    } catch (e) {
      if (e instanceof ExecutionError && e.cause instanceof Error && e.cause.name === "States.Timeout")
        return e.cause.constructor as TimeoutErrorClass;
    }
    throw new Error("aws-local-stepfunctions: could not obtain its States.Timeout error class");
  })();
  return timeoutErrorClass;
};

/**
 * The library's validator (asl-validator) takes 0.3-1.2 s per call, and it writes defaults into the
 * definition it is given (`"QueryLanguage": "JSONPath"` on every state): validate a copy, once per
 * distinct definition.
 */
const validDefinitions = new Set<string>();
const validate = (definition: object): void => {
  const key = JSON.stringify(definition);
  if (validDefinitions.has(key)) return;
  new StateMachine(structuredClone(definition) as StateMachineDefinition);
  validDefinitions.add(key);
};

const cloneJson = (value: unknown): unknown =>
  value === undefined ? null : JSON.parse(JSON.stringify(value));

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** AWS: 1-80 characters; no whitespace, brackets, wildcards, special characters or control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what AWS forbids
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;
const MAX_PAYLOAD_BYTES = 256 * 1024;

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly timeScale: number;
  private readonly prepared: PreparedDefinition;
  private readonly machine: StateMachine;
  private readonly lambdas: Map<string, LambdaFunction>;
  private readonly lambdasByName: Map<string, LambdaFunction>;
  private readonly onEvent: ((event: EngineEvent) => void) | undefined;
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, TokenRecord>();
  private timeoutError: TimeoutErrorClass | undefined;
  private isStopped = false;
  private lambdaInvocations = 0;

  constructor(options: LocalStepFunctionsOptions) {
    if (!/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[^:\s]+$/.test(options.stateMachineArn))
      throw new SfnError("InvalidArn", `Invalid state machine ARN: ${options.stateMachineArn}`);
    this.stateMachineArn = options.stateMachineArn;
    this.timeScale = options.timeScale ?? 1;
    this.onEvent = options.onEvent;
    this.lambdas = new Map(Object.entries(options.lambdas));
    this.lambdasByName = new Map();
    for (const [arn, fn] of this.lambdas) this.lambdasByName.set(functionName(arn), fn);

    // Rejects what the library would ignore (JSONata, variables), then lets the library validate the
    // definition as given; the transformed one runs unvalidated (its scaled intervals are fractional).
    this.prepared = prepareDefinition(options.definition, this.timeScale);
    const missing = [...this.prepared.tasks.values()]
      .filter((t) => t.functionRef !== undefined && !this.resolveLambda(t.functionRef))
      .map((t) => `${t.stateName} -> ${t.functionRef}`);
    if (missing.length > 0) throw new DefinitionError(`no local Lambda for: ${missing.join(", ")}`);
    validate(options.definition);
    this.machine = new StateMachine(this.prepared.definition as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
  }

  async startExecution(params: StartExecutionInput): Promise<StartExecutionOutput> {
    this.timeoutError ??= await statesTimeoutErrorClass();
    if (this.isStopped)
      throw new SfnError("ServiceUnavailable", "The local Step Functions engine is stopped");
    if (params.stateMachineArn !== undefined && params.stateMachineArn !== this.stateMachineArn)
      throw new SfnError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${params.stateMachineArn}'`,
      );
    const name = params.name ?? randomUUID();
    if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name))
      throw new SfnError("InvalidName", `Invalid Name: '${name}'`);
    const input = params.input ?? "{}";
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError("InvalidExecutionInput", "Invalid State Machine Execution Input: not valid JSON");
    }
    if (Buffer.byteLength(input) > MAX_PAYLOAD_BYTES)
      throw new SfnError(
        "InvalidExecutionInput",
        "Invalid State Machine Execution Input: larger than 256 KiB",
      );

    const executionArn = `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // AWS: the same name and input while the execution runs answers as the first call did.
      if (existing.status === "RUNNING" && existing.input === input)
        return { executionArn, startDate: existing.startDate };
      throw new SfnError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }

    const exec: Execution = {
      executionArn,
      name,
      input,
      status: "RUNNING",
      startDate: new Date(),
      abort: () => undefined,
      pending: new Set(),
      minted: new Set(),
      stateTransitions: 0,
      retries: 0,
      lambdaInvocations: 0,
      done: Promise.resolve(),
      redriveCount: 0,
    };
    this.executions.set(executionArn, exec);
    this.launch(exec, this.machine, parsed);
    return { executionArn, startDate: exec.startDate };
  }

  /**
   * RedriveExecution: a failed, timed-out or aborted execution continues from the state that did not
   * complete, with the input that state had, under the same ARN (as Step Functions does; the states that
   * completed are not run again). Its status is RUNNING again and its redrive count goes up.
   */
  async redriveExecution(params: { executionArn: string }): Promise<{ redriveDate: Date }> {
    const exec = this.execution(params.executionArn);
    if (this.isStopped)
      throw new SfnError("ServiceUnavailable", "The local Step Functions engine is stopped");
    if (exec.status === "RUNNING" || exec.status === "SUCCEEDED" || !exec.lastEntered)
      throw new SfnError("ExecutionNotRedrivable", `Execution is ${exec.status} and cannot be redriven.`);
    const machine = new StateMachine(
      {
        ...(this.prepared.definition as object),
        StartAt: exec.lastEntered.name,
      } as unknown as StateMachineDefinition,
      { validationOptions: { noValidate: true } },
    );
    const input = exec.lastEntered.input;
    Object.assign(exec, { status: "RUNNING" as const, redriveCount: exec.redriveCount + 1 });
    delete exec.stopDate;
    delete exec.error;
    delete exec.cause;
    delete exec.output;
    this.launch(exec, machine, input);
    return { redriveDate: new Date() };
  }

  /** Runs a state machine (the engine's, or one starting at a redriven state) as an execution. */
  private launch(exec: Execution, machine: StateMachine, parsed: unknown): void {
    const { executionArn, name } = exec;
    const context = {
      Execution: { Id: executionArn, Name: name },
      StateMachine: { Id: this.stateMachineArn, Name: this.stateMachineArn.split(":").pop() ?? "" },
      Task: {
        get Token(): string {
          const token = mintToken();
          exec.minted.add(token);
          return token;
        },
      },
    };
    const handlers: LocalHandlers = {};
    for (const spec of this.prepared.tasks.values())
      handlers[spec.stateName] = (taskInput: LocalHandlerInput) =>
        this.runTask(exec, spec, taskInput) as ReturnType<LocalHandlers[string]>;
    const run = machine.run(parsed as Parameters<StateMachine["run"]>[0], {
      context,
      overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: this.prepared.waitTimeOverrides },
    });
    exec.abort = run.abort;
    if (this.prepared.executionTimeoutSeconds !== undefined)
      exec.timer = armTimer(scaledMs(this.prepared.executionTimeoutSeconds, this.timeScale), () =>
        this.close(exec, "TIMED_OUT", { error: "States.Timeout", cause: "The execution timed out" }),
      );
    const consumed = this.consume(exec, run.eventLogs);
    exec.done = run.result.then(
      async (output) => {
        await consumed;
        this.close(exec, "SUCCEEDED", { output: JSON.stringify(output ?? null) });
      },
      async (e: unknown) => {
        await consumed;
        if (e instanceof ExecutionAbortedError) this.close(exec, "ABORTED", {});
        else if (e instanceof ExecutionError && e.cause instanceof Error)
          this.close(exec, "FAILED", { error: e.cause.name, cause: e.cause.message });
        else this.close(exec, "FAILED", { error: "States.Runtime", cause: String(e) });
      },
    );
  }

  async sendTaskSuccess(params: { taskToken: string; output: string }): Promise<void> {
    const task = this.activeTask(params.taskToken);
    if (typeof params.output !== "string" || Buffer.byteLength(params.output) > MAX_PAYLOAD_BYTES)
      throw new SfnError("InvalidOutput", "Invalid Output: missing or larger than 256 KiB");
    let output: unknown;
    try {
      output = JSON.parse(params.output);
    } catch {
      throw new SfnError("InvalidOutput", "Invalid Output: not valid JSON");
    }
    this.settle(task, () => task.resolve(output));
  }

  async sendTaskFailure(params: { taskToken: string; error?: string; cause?: string }): Promise<void> {
    const task = this.activeTask(params.taskToken);
    if ((params.error?.length ?? 0) > 256 || (params.cause?.length ?? 0) > 32768)
      throw new SfnError("ValidationException", "error is limited to 256 and cause to 32768 characters");
    const failure = new Error(params.cause ?? "");
    failure.name = params.error ?? "";
    this.settle(task, () => task.reject(failure));
  }

  async describeExecution(params: { executionArn: string }): Promise<ExecutionDescription> {
    const exec = this.execution(params.executionArn);
    return {
      ...this.listItem(exec),
      input: exec.input,
      ...(exec.output !== undefined ? { output: exec.output } : {}),
      ...(exec.error !== undefined ? { error: exec.error } : {}),
      ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
    };
  }

  async listExecutions(
    params: ListExecutionsInput,
  ): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    if (params.stateMachineArn !== this.stateMachineArn)
      throw new SfnError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${params.stateMachineArn}'`,
      );
    if (params.statusFilter !== undefined && !STATUSES.includes(params.statusFilter))
      throw new SfnError("ValidationException", `Invalid statusFilter: ${params.statusFilter}`);
    const maxResults = params.maxResults || 100;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000)
      throw new SfnError("ValidationException", "maxResults must be between 1 and 1000");
    let offset = 0;
    if (params.nextToken !== undefined) {
      offset = Number(Buffer.from(params.nextToken, "base64url").toString());
      if (!Number.isInteger(offset) || offset < 0) throw new SfnError("InvalidToken", "Invalid nextToken");
    }
    // Newest first, as Step Functions lists them.
    const all = [...this.executions.values()]
      .reverse()
      .filter((e) => params.statusFilter === undefined || e.status === params.statusFilter);
    const page = all.slice(offset, offset + maxResults).map((e) => this.listItem(e));
    const next = offset + maxResults;
    return {
      executions: page,
      ...(next < all.length ? { nextToken: Buffer.from(String(next)).toString("base64url") } : {}),
    };
  }

  /** Per-execution state transitions and Lambda invocations (for the cost benchmark). */
  async stats(): Promise<EngineStats> {
    const executions: Record<string, ExecutionStats> = {};
    const totals = {
      executions: 0,
      stateTransitions: 0,
      retries: 0,
      lambdaInvocations: this.lambdaInvocations,
    };
    for (const e of this.executions.values()) {
      executions[e.executionArn] = {
        name: e.name,
        status: e.status,
        stateTransitions: e.stateTransitions,
        retries: e.retries,
        lambdaInvocations: e.lambdaInvocations,
      };
      totals.executions++;
      totals.stateTransitions += e.stateTransitions;
      totals.retries += e.retries;
    }
    return { executions, totals };
  }

  /**
   * Shutdown: aborts every running execution and clears every timer — ours (task and execution timeouts)
   * and the library's task timers (by settling the task Promises they race against, see above). Retry
   * sleeps and Wait states listen to the abort signal. New executions are refused afterwards.
   */
  async stopAll(): Promise<void> {
    this.isStopped = true;
    for (const exec of this.executions.values()) this.close(exec, "ABORTED", {});
    await Promise.allSettled([...this.executions.values()].map((e) => e.done));
  }

  // --- internals -----------------------------------------------------------------------------------------

  private execution(executionArn: string): Execution {
    if (typeof executionArn !== "string" || !executionArn.startsWith("arn:"))
      throw new SfnError("InvalidArn", `Invalid Arn: '${executionArn}'`);
    const exec = this.executions.get(executionArn);
    if (!exec) throw new SfnError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    return exec;
  }

  private listItem(exec: Execution): ExecutionListItem {
    return {
      executionArn: exec.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: exec.name,
      status: exec.status,
      startDate: exec.startDate,
      ...(exec.stopDate ? { stopDate: exec.stopDate } : {}),
      redriveCount: exec.redriveCount,
    };
  }

  private activeTask(token: string): PendingTask {
    if (typeof token !== "string" || !TOKEN_PATTERN.test(token))
      throw new SfnError("InvalidToken", "Invalid Token: the task token is malformed");
    const record = this.tokens.get(token);
    if (!record) throw new SfnError("TaskDoesNotExist", "Task Does Not Exist");
    if (!record.active || record.task.settled)
      throw new SfnError("TaskTimedOut", "Task Timed Out: the task is no longer waiting for this token");
    return record.task;
  }

  /** Settles a pending task once: cancels its timer and retires its tokens. */
  private settle(task: PendingTask, outcome: () => void): void {
    if (task.settled) return;
    task.settled = true;
    task.timer?.cancel();
    task.exec.pending.delete(task);
    for (const token of task.tokens) {
      const record = this.tokens.get(token);
      if (record) record.active = false;
    }
    outcome();
  }

  private close(exec: Execution, status: ExecutionStatus, fields: Partial<Execution>): void {
    if (exec.status !== "RUNNING") return;
    Object.assign(exec, fields, { status, stopDate: new Date() });
    exec.timer?.cancel();
    exec.minted.clear();
    // Stops what may still run: Parallel siblings, or everything on abort and timeout.
    exec.abort();
    for (const task of [...exec.pending]) this.settle(task, () => task.reject(stopped()));
  }

  private async consume(exec: Execution, events: RunResult["eventLogs"]): Promise<void> {
    try {
      for await (const event of events) {
        if (event.type === "StateEntered") {
          exec.stateTransitions++;
          exec.lastEntered = { name: event.state.name, input: event.state.input };
        } else if (event.type === "StateRetried") exec.retries++;
        if (this.onEvent) {
          try {
            this.onEvent({ ...event, executionArn: exec.executionArn });
          } catch {
            // A listener's failure is not the execution's.
          }
        }
      }
    } catch {
      // The event log ends with the execution; nothing to recover.
    }
  }

  private resolveLambda(ref: string): LambdaFunction | undefined {
    return this.lambdas.get(ref) ?? this.lambdasByName.get(functionName(ref));
  }

  private async invoke(exec: Execution, ref: unknown, payload: unknown): Promise<unknown> {
    const fn = typeof ref === "string" ? this.resolveLambda(ref) : undefined;
    if (!fn)
      throw Object.assign(new Error(`Function not found: ${String(ref)}`), {
        name: "Lambda.ResourceNotFoundException",
      });
    exec.lambdaInvocations++;
    this.lambdaInvocations++;
    let result: unknown;
    try {
      result = await fn(cloneJson(payload));
    } catch (e) {
      throw lambdaError(e);
    }
    return cloneJson(result);
  }

  private runTask(exec: Execution, spec: TaskSpec, raw: unknown): Promise<unknown> {
    if (exec.status !== "RUNNING") return Promise.reject(stopped());
    let input = raw;
    let timeoutSeconds = spec.timeoutSeconds;
    if (spec.wrapped) {
      const wrapper = isRecord(raw) ? raw : {};
      const t = wrapper[TIMEOUT_KEY];
      input = wrapper[PAYLOAD_KEY];
      if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > 99_999_999)
        return Promise.reject(
          fatal(
            "States.Runtime",
            `TimeoutSecondsPath of state '${spec.stateName}' is not a positive integer: ${t}`,
          ),
        );
      timeoutSeconds = t;
    }

    const { promise, resolve, reject } = withResolvers<unknown>();
    const task: PendingTask = { exec, tokens: [], settled: false, resolve, reject };
    exec.pending.add(task);
    if (timeoutSeconds !== undefined) {
      const ms = spec.scaledTimeout ? scaledMs(timeoutSeconds, this.timeScale) : timeoutSeconds * 1000;
      const TimeoutError = this.timeoutError;
      task.timer = armTimer(ms, () =>
        this.settle(task, () => task.reject(TimeoutError ? new TimeoutError() : fatal("States.Timeout", ""))),
      );
    }
    const fail = (e: unknown) => this.settle(task, () => task.reject(e));
    const succeed = (v: unknown) => this.settle(task, () => task.resolve(v));
    const params = isRecord(input) ? input : {};

    switch (spec.kind) {
      case "lambda":
        this.invoke(exec, spec.functionRef, input).then(succeed, fail);
        break;
      case "invoke":
        if (params.InvocationType === "Event") {
          this.invoke(exec, params.FunctionName, params.Payload ?? {}).catch(() => undefined);
          succeed({ Payload: "", StatusCode: 202 });
        } else
          this.invoke(exec, params.FunctionName, params.Payload ?? {}).then(
            (payload) => succeed({ ExecutedVersion: "$LATEST", Payload: payload, StatusCode: 200 }),
            fail,
          );
        break;
      case "callback": {
        const text = JSON.stringify(input);
        task.tokens = [...exec.minted].filter((token) => text.includes(token));
        exec.minted.clear();
        if (task.tokens.length === 0) {
          fail(fatal("States.Runtime", `no task token reached state '${spec.stateName}'`));
          break;
        }
        for (const token of task.tokens) this.tokens.set(token, { task, active: true });
        // The Lambda stores the token; its result is not the task's (SendTaskSuccess is), its failure is.
        this.invoke(exec, params.FunctionName, params.Payload ?? {}).catch(fail);
        break;
      }
    }
    return promise;
  }
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]` or `name[:qualifier]` -> `name`. */
const functionName = (ref: string): string => {
  const match = /:function:([^:]+)/.exec(ref);
  return match?.[1] ?? ref.split(":")[0] ?? ref;
};
