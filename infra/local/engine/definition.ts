import { MAX_TIMER_SLICE_MS, scaledMs } from "./timers";

/**
 * Prepares a rendered (token-resolved) ASL definition for `aws-local-stepfunctions`. This is a mechanical
 * transform of the definition the engine was given, never a second copy of it:
 *
 * - every Task state gets a local handler (keyed by state name) that runs the Lambda in-process; the
 *   state's own timeout is moved out of the library's hands (it evaluates `TimeoutSecondsPath` against the
 *   input AFTER `Parameters`, defaults to 60 s, and overflows `setTimeout` above ~24.8 days): a
 *   `TimeoutSecondsPath` is injected into `Parameters` (so the library evaluates it against the state
 *   input, as AWS does), the library's timeout is set to a value that never fires, and the engine enforces
 *   the real one itself;
 * - retry intervals are divided by the time scale (backoff, MaxDelaySeconds and jitter keep working);
 * - Wait states with a fixed `Seconds` get a scaled `waitTimeOverrides` entry;
 * - the execution-level `TimeoutSeconds` is removed and enforced by the engine on the scaled clock;
 * - what the library would silently ignore (JSONata, variables) is rejected with a clear error.
 */

/** Never fires: just under the 2^31-1 ms `setTimeout` limit once multiplied by 1000. */
export const NEVER_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_SLICE_MS / 1000);
/** Keys the transform injects into `Parameters`; the local handler strips them again. */
export const PAYLOAD_KEY = "__localPayload";
export const TIMEOUT_KEY = "__localTimeoutSeconds";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export type TaskKind =
  /** `Resource` is a Lambda function ARN: the state input (after Parameters) is the event. */
  | "lambda"
  /** `arn:aws:states:::lambda:invoke`: `{ FunctionName, Payload }` in, `{ Payload, StatusCode }` out. */
  | "invoke"
  /** `arn:aws:states:::lambda:invoke.waitForTaskToken`: settles on SendTaskSuccess / SendTaskFailure. */
  | "callback";

export interface TaskSpec {
  stateName: string;
  kind: TaskKind;
  /** The function a `lambda` task calls (its Resource), or the static `FunctionName` of an invoke task. */
  functionRef?: string;
  /** A fixed `TimeoutSeconds` from the definition. */
  timeoutSeconds?: number;
  /** `TimeoutSecondsPath` was injected: the handler input is `{ [PAYLOAD_KEY], [TIMEOUT_KEY] }`. */
  wrapped: boolean;
  /** The timeout is simulated time (scaled): true for callback tasks, whose timeout is business time. */
  scaledTimeout: boolean;
}

export interface PreparedDefinition {
  /** The transformed definition, to run with validation off (the original was validated). */
  definition: JsonObject;
  tasks: Map<string, TaskSpec>;
  /** Real milliseconds for each fixed-`Seconds` Wait state. */
  waitTimeOverrides: Record<string, number>;
  /** The execution-level `TimeoutSeconds`, simulated seconds. */
  executionTimeoutSeconds?: number;
  stateNames: Set<string>;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

const RESOURCE = {
  invoke: /^arn:[\w-]+:states:::lambda:invoke$/,
  callback: /^arn:[\w-]+:states:::lambda:invoke\.waitForTaskToken$/,
  lambda: /^arn:[\w-]+:lambda:[\w-]+:\d+:function:[^:]+(:[^:]+)?$/,
};

/** Fields the library does not implement; it would ignore them silently and run something else. */
const UNSUPPORTED_FIELDS = [
  "Assign",
  "Arguments",
  "Output",
  "Items",
  "ItemReader",
  "ItemBatcher",
  "ResultWriter",
];

export class DefinitionError extends Error {
  override readonly name = "DefinitionError";
}

export const prepareDefinition = (source: object, timeScale: number): PreparedDefinition => {
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new DefinitionError("timeScale must be positive");
  const definition = structuredClone(source) as JsonObject;
  const tasks = new Map<string, TaskSpec>();
  const waitTimeOverrides: Record<string, number> = {};
  const stateNames = new Set<string>();

  const checkQueryLanguage = (where: string, node: JsonObject) => {
    if (node.QueryLanguage !== undefined && node.QueryLanguage !== "JSONPath")
      throw new DefinitionError(
        `${where}: QueryLanguage ${JSON.stringify(node.QueryLanguage)} is not supported by the local engine ` +
          "(aws-local-stepfunctions silently ignores JSONata): keep the definition JSONPath-only",
      );
  };

  const walk = (machine: JsonObject, where: string) => {
    checkQueryLanguage(where, machine);
    const states = machine.States;
    if (!isObject(states)) throw new DefinitionError(`${where}: States is missing`);
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state)) throw new DefinitionError(`state ${JSON.stringify(name)} is not an object`);
      if (stateNames.has(name))
        throw new DefinitionError(
          `state name ${JSON.stringify(name)} is used twice: local handlers are keyed by state name`,
        );
      stateNames.add(name);
      const at = `state ${JSON.stringify(name)}`;
      checkQueryLanguage(at, state);
      for (const field of UNSUPPORTED_FIELDS)
        if (field in state)
          throw new DefinitionError(`${at}: field ${field} is not supported by the local engine`);
      scaleRetriers(state, timeScale);
      switch (state.Type) {
        case "Task":
          tasks.set(name, prepareTask(name, state));
          break;
        case "Wait":
          prepareWait(name, state, timeScale, waitTimeOverrides);
          break;
        case "Parallel":
          for (const [i, branch] of (Array.isArray(state.Branches) ? state.Branches : []).entries()) {
            if (!isObject(branch)) throw new DefinitionError(`${at}: branch ${i} is not an object`);
            walk(branch, `${at} branch ${i}`);
          }
          break;
        case "Map": {
          const processor = state.ItemProcessor ?? state.Iterator;
          if (!isObject(processor)) throw new DefinitionError(`${at}: ItemProcessor is missing`);
          walk(processor, `${at} ItemProcessor`);
          break;
        }
        default:
          break;
      }
    }
  };
  walk(definition, "definition");

  let executionTimeoutSeconds: number | undefined;
  if (typeof definition.TimeoutSeconds === "number") {
    executionTimeoutSeconds = definition.TimeoutSeconds;
    delete definition.TimeoutSeconds;
  }
  return {
    definition,
    tasks,
    waitTimeOverrides,
    stateNames,
    ...(executionTimeoutSeconds !== undefined ? { executionTimeoutSeconds } : {}),
  };
};

const prepareTask = (name: string, state: JsonObject): TaskSpec => {
  const at = `state ${JSON.stringify(name)}`;
  const resource = state.Resource;
  if (typeof resource !== "string") throw new DefinitionError(`${at}: Resource is missing`);
  let kind: TaskKind;
  let functionRef: string | undefined;
  if (RESOURCE.callback.test(resource)) kind = "callback";
  else if (RESOURCE.invoke.test(resource)) kind = "invoke";
  else if (RESOURCE.lambda.test(resource)) {
    kind = "lambda";
    functionRef = resource;
  } else
    throw new DefinitionError(
      `${at}: Resource ${resource} is not supported by the local engine (Lambda ARNs, lambda:invoke and ` +
        "lambda:invoke.waitForTaskToken are)",
    );
  if (kind !== "lambda") {
    const params = state.Parameters;
    if (!isObject(params) || !("FunctionName" in params || "FunctionName.$" in params))
      throw new DefinitionError(`${at}: Parameters.FunctionName is required for ${resource}`);
    if (typeof params.FunctionName === "string") functionRef = params.FunctionName;
    if (kind === "callback" && !JSON.stringify(params).includes("$$.Task.Token"))
      throw new DefinitionError(`${at}: a .waitForTaskToken task must pass $$.Task.Token in its Parameters`);
  }

  let timeoutSeconds: number | undefined;
  let wrapped = false;
  if (typeof state.TimeoutSecondsPath === "string") {
    // Evaluated by the library's Parameters processing, i.e. against the state input, as on AWS.
    const payload: JsonObject =
      "Parameters" in state ? { [PAYLOAD_KEY]: state.Parameters ?? null } : { [`${PAYLOAD_KEY}.$`]: "$" };
    state.Parameters = { ...payload, [`${TIMEOUT_KEY}.$`]: state.TimeoutSecondsPath };
    delete state.TimeoutSecondsPath;
    wrapped = true;
  } else if (typeof state.TimeoutSeconds === "number") {
    timeoutSeconds = state.TimeoutSeconds;
  }
  // The engine enforces the timeout; the library's own timer must never fire (nor overflow).
  state.TimeoutSeconds = NEVER_TIMEOUT_SECONDS;
  return {
    stateName: name,
    kind,
    wrapped,
    scaledTimeout: kind === "callback",
    ...(functionRef !== undefined ? { functionRef } : {}),
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
};

const prepareWait = (
  name: string,
  state: JsonObject,
  timeScale: number,
  overrides: Record<string, number>,
): void => {
  if (typeof state.Seconds === "number") {
    const ms = scaledMs(state.Seconds, timeScale);
    if (ms > MAX_TIMER_SLICE_MS)
      throw new DefinitionError(
        `Wait state ${JSON.stringify(name)}: ${state.Seconds} s at time scale ${timeScale} overflows setTimeout`,
      );
    overrides[name] = ms;
    return;
  }
  if (timeScale !== 1)
    throw new DefinitionError(
      `Wait state ${JSON.stringify(name)}: SecondsPath / Timestamp / TimestampPath cannot be scaled by the ` +
        "local engine; use a fixed Seconds or a callback task with TimeoutSecondsPath",
    );
};

/**
 * Divides retry intervals by the time scale in the definition itself rather than through
 * `retryIntervalOverrides`, whose fixed per-retrier interval would drop BackoffRate and MaxDelaySeconds.
 */
const scaleRetriers = (state: JsonObject, timeScale: number): void => {
  if (!Array.isArray(state.Retry)) return;
  for (const retrier of state.Retry) {
    if (!isObject(retrier)) continue;
    const interval = typeof retrier.IntervalSeconds === "number" ? retrier.IntervalSeconds : 1;
    retrier.IntervalSeconds = interval / timeScale;
    if (typeof retrier.MaxDelaySeconds === "number") retrier.MaxDelaySeconds /= timeScale;
  }
};
