import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SfnError } from "./errors";
import type { ExecutionListItem, ExecutionStatus, LocalStepFunctions } from "./local-step-functions";

/**
 * A thin Step Functions endpoint over the embedded engine, speaking the AWS JSON 1.0 protocol the real
 * `@aws-sdk/client-sfn` uses: `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body;
 * answers in `application/x-amz-json-1.0`, timestamps as epoch seconds, errors as HTTP 400 with
 * `{ "__type": "com.amazonaws.states#<Name>", "message" }` and the `x-amzn-errortype` header, so the SDK
 * raises its own exception classes (`TaskTimedOut`, `ExecutionAlreadyExists`, ...). Requests are not
 * signature-checked: it listens on loopback for the local stack only.
 */

export interface SfnApiOptions {
  port: number;
  host?: string;
}
export interface SfnApi {
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPE = "application/x-amz-json-1.0";
const TARGET_PREFIX = "AWSStepFunctions.";
const MAX_BODY_BYTES = 1024 * 1024;

class ProtocolError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;

const epochSeconds = (d: Date): number => d.getTime() / 1000;

const str = (body: Body, key: string, required = true): string | undefined => {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ProtocolError("ValidationException", `${key} is required`);
    return undefined;
  }
  if (typeof v !== "string") throw new ProtocolError("ValidationException", `${key} must be a string`);
  return v;
};

const listItem = (e: ExecutionListItem) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: epochSeconds(e.startDate),
  ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
  redriveCount: e.redriveCount,
});

const operations = (engine: LocalStepFunctions): Record<string, (body: Body) => Promise<unknown>> => ({
  StartExecution: async (body) => {
    const name = str(body, "name", false);
    const input = str(body, "input", false);
    const out = await engine.startExecution({
      stateMachineArn: str(body, "stateMachineArn") as string,
      ...(name !== undefined ? { name } : {}),
      ...(input !== undefined ? { input } : {}),
    });
    return { executionArn: out.executionArn, startDate: epochSeconds(out.startDate) };
  },
  SendTaskSuccess: async (body) => {
    await engine.sendTaskSuccess({
      taskToken: str(body, "taskToken") as string,
      output: str(body, "output") as string,
    });
    return {};
  },
  SendTaskFailure: async (body) => {
    const error = str(body, "error", false);
    const cause = str(body, "cause", false);
    await engine.sendTaskFailure({
      taskToken: str(body, "taskToken") as string,
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
    return {};
  },
  DescribeExecution: async (body) => {
    const d = await engine.describeExecution({ executionArn: str(body, "executionArn") as string });
    return {
      ...listItem(d),
      input: d.input,
      inputDetails: { included: true },
      ...(d.output !== undefined ? { output: d.output, outputDetails: { included: true } } : {}),
      ...(d.error !== undefined ? { error: d.error } : {}),
      ...(d.cause !== undefined ? { cause: d.cause } : {}),
    };
  },
  RedriveExecution: async (body) => {
    const out = await engine.redriveExecution({ executionArn: str(body, "executionArn") as string });
    return { redriveDate: epochSeconds(out.redriveDate) };
  },
  ListExecutions: async (body) => {
    const statusFilter = str(body, "statusFilter", false) as ExecutionStatus | undefined;
    const nextToken = str(body, "nextToken", false);
    const maxResults = body.maxResults;
    if (maxResults !== undefined && typeof maxResults !== "number")
      throw new ProtocolError("ValidationException", "maxResults must be a number");
    const out = await engine.listExecutions({
      stateMachineArn: str(body, "stateMachineArn") as string,
      ...(statusFilter !== undefined ? { statusFilter } : {}),
      ...(maxResults !== undefined ? { maxResults } : {}),
      ...(nextToken !== undefined ? { nextToken } : {}),
    });
    return {
      executions: out.executions.map(listItem),
      ...(out.nextToken !== undefined ? { nextToken: out.nextToken } : {}),
    };
  },
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ProtocolError("ValidationException", "request body too large", 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, errorType?: string): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  res.end(text);
};

const sendError = (res: ServerResponse, status: number, type: string, message: string): void =>
  send(res, status, { __type: `com.amazonaws.states#${type}`, message }, type);

export const startSfnApi = async (engine: LocalStepFunctions, options: SfnApiOptions): Promise<SfnApi> => {
  const ops = operations(engine);
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== "POST" || (req.url ?? "/").split("?")[0] !== "/")
        throw new ProtocolError("UnknownOperationException", "POST / only", 404);
      const target = String(req.headers["x-amz-target"] ?? "");
      const op = target.startsWith(TARGET_PREFIX) ? ops[target.slice(TARGET_PREFIX.length)] : undefined;
      if (!op)
        throw new ProtocolError("UnknownOperationException", `Unknown operation: ${target || "(none)"}`);
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = raw.trim() === "" ? {} : JSON.parse(raw);
      } catch {
        throw new ProtocolError("SerializationException", "the request body is not valid JSON");
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        throw new ProtocolError("SerializationException", "the request body must be a JSON object");
      send(res, 200, await op(body as Body));
    } catch (e) {
      if (e instanceof SfnError) sendError(res, 400, e.name, e.message);
      else if (e instanceof ProtocolError) sendError(res, e.status, e.type, e.message);
      else sendError(res, 500, "InternalFailure", e instanceof Error ? e.message : String(e));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; close them so close() does not wait for their idle timeout.
        server.closeAllConnections();
      }),
  };
};
