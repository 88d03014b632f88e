import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { resetDependencies } from "../../functions/adapters/runtime";
import type { Channel, Role } from "../../functions/domain/codes";
import { apiKeyFor, issueStaffToken } from "../../infra/local/auth";
import { type LocalStack, startLocalStack } from "../../infra/local/stack";
import { type DynamoProxy, startDynamoProxy } from "./ddb-proxy";
import { HttpClient, type HttpResult } from "./http";
import { sleep } from "./stats";

// The SDK's Node 20 notice would otherwise print once per client on stderr, between progress lines.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** Tuesday 1 December 2026, 09:00 in Shanghai: the start of a CN working day. */
export const WORKING_TUESDAY = new Date("2026-12-01T09:00:00+08:00");

export interface LambdaTiming {
  invocations: number;
  totalMs: number;
  /** Invocations per complaint id (from the event's `complaintId`). */
  byComplaint: Record<string, Record<string, number>>;
}

/**
 * The embedded system under test plus an HTTP client that speaks to it like the channel systems and the
 * staff desktop do. Counts every answer by status class, so a section can assert zero 5xx.
 */
export class System {
  readonly http: HttpClient;
  readonly statuses: Record<string, number> = {};
  readonly serverErrors: { method: string; path: string; status: number; body: unknown }[] = [];
  private readonly tokens = new Map<string, Promise<string>>();
  private proxy: DynamoProxy | undefined;
  readonly lambdaTimings: Record<string, LambdaTiming> = {};
  readonly db: DynamoDBDocumentClient;

  private constructor(readonly stack: LocalStack) {
    this.http = new HttpClient(stack.url, 128);
    this.db = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.dynamoEndpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
  }

  /** Every item a query of the table matches, all pages: the store read directly, past the API. */
  async queryAll(
    input: Omit<QueryCommandInput, "TableName" | "ExclusiveStartKey">,
  ): Promise<NonNullable<QueryCommandOutput["Items"]>> {
    const items: NonNullable<QueryCommandOutput["Items"]> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({ ...input, TableName: this.stack.tableName, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  static async start(opts: { timeScale?: number; startAt?: Date; reconcileEveryMs?: number } = {}) {
    const stack = await startLocalStack({
      port: 0,
      logLevel: "ERROR",
      ...(opts.timeScale ? { timeScale: opts.timeScale } : {}),
      ...(opts.startAt ? { startAt: opts.startAt } : {}),
      reconcileEveryMs: opts.reconcileEveryMs ?? 60_000,
      // The benchmark loads no calendars. At the embedded default (every second) the recompute jobs' own
      // reads were counted into whichever lifecycle was running (the workflow cost section bills every
      // DynamoDB call made meanwhile); once a minute, as the reconciler, they are at most a stray call.
      calendarJobsEveryMs: 60_000,
    });
    return new System(stack);
  }

  /**
   * Routes the handlers' DynamoDB traffic through a counting proxy (capacity units by operation).
   * The handlers' SDK clients are rebuilt from the environment, exactly as at a cold start.
   */
  async countDynamo(): Promise<DynamoProxy> {
    this.proxy ??= await startDynamoProxy(this.stack.dynamoEndpoint);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = this.proxy.endpoint;
    resetDependencies();
    return this.proxy;
  }

  /**
   * Times the workflow's Lambdas (in-process) and attributes their invocations to complaints. The engine
   * keeps its Lambda table private; the benchmark wraps its entries (bench-only instrumentation).
   */
  timeWorkflowLambdas(): void {
    const engine = this.stack.engine as unknown as {
      lambdas: Map<string, (e: unknown) => Promise<unknown>>;
      lambdasByName: Map<string, (e: unknown) => Promise<unknown>>;
    };
    for (const map of [engine.lambdas, engine.lambdasByName]) {
      for (const [ref, fn] of map) {
        const name = ref.split(":").pop() ?? ref;
        this.lambdaTimings[name] ??= { invocations: 0, totalMs: 0, byComplaint: {} };
        const t = this.lambdaTimings[name];
        map.set(ref, async (event: unknown) => {
          const start = performance.now();
          try {
            return await fn(event);
          } finally {
            t.invocations++;
            t.totalMs += performance.now() - start;
            const id = (event as { complaintId?: string } | undefined)?.complaintId;
            if (id) {
              t.byComplaint[id] ??= {};
              const per = t.byComplaint[id];
              per.count = (per.count ?? 0) + 1;
              per.ms = (per.ms ?? 0) + (performance.now() - start);
            }
          }
        });
      }
    }
  }

  apiKey(channel: Channel): string {
    return apiKeyFor(this.stack.secret, channel);
  }

  staffToken(teams: string[], role: Role, subject = `bench-${role}`): Promise<string> {
    const k = `${teams.join(",")}|${role}|${subject}`;
    let t = this.tokens.get(k);
    if (!t) {
      t = issueStaffToken(this.stack.secret, { teams, role, subject, expiresIn: "12h" });
      this.tokens.set(k, t);
    }
    return t;
  }

  async request(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const r = await this.http.request(method, path, headers, body);
    const cls = `${Math.floor(r.status / 100)}xx`;
    this.statuses[cls] = (this.statuses[cls] ?? 0) + 1;
    if (r.status >= 500) this.serverErrors.push({ method, path, status: r.status, body: r.body });
    return r;
  }

  submit(channel: Channel, body: unknown, key: string) {
    return this.request(
      "POST",
      "/complaints",
      { "x-api-key": this.apiKey(channel), "idempotency-key": key },
      body,
    );
  }

  asChannel(channel: Channel, method: string, path: string, body?: unknown) {
    return this.request(method, path, { "x-api-key": this.apiKey(channel) }, body);
  }

  asStaff(token: string, method: string, path: string, body?: unknown) {
    return this.request(method, path, { authorization: `Bearer ${token}` }, body);
  }

  /**
   * Retries only the brief windows the API documents as retryable: TASK_BUSY (between workflow stages)
   * and 503 with Retry-After. Anything else is returned to the caller.
   */
  async retrying(call: () => Promise<HttpResult>, timeoutMs = 20_000): Promise<HttpResult> {
    const deadline = Date.now() + timeoutMs;
    let wait = 5;
    for (;;) {
      const r = await call();
      const busy = r.status === 409 && r.body?.error?.code === "TASK_BUSY";
      if ((!busy && r.status !== 503) || Date.now() > deadline) return r;
      await sleep(wait);
      wait = Math.min(100, wait * 2);
    }
  }

  act(token: string, id: string, action: Record<string, unknown>) {
    return this.retrying(() => this.asStaff(token, "POST", `/staff/complaints/${id}/actions`, action));
  }

  feedback(channel: Channel, id: string, body: Record<string, unknown>) {
    return this.retrying(() => this.asChannel(channel, "POST", `/complaints/${id}/feedback`, body));
  }

  reply(channel: Channel, id: string, message: string) {
    return this.retrying(() =>
      this.asChannel(channel, "POST", `/complaints/${id}/customer-reply`, { message }),
    );
  }

  /** Polls the channel view until `done` holds (or the timeout passes; the last answer is returned). */
  async waitFor(
    channel: Channel,
    id: string,
    done: (view: HttpResult["body"]) => boolean,
    timeoutMs = 30_000,
    everyMs = 20,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.asChannel(channel, "GET", `/complaints/${id}`);
      if ((r.status === 200 && done(r.body)) || Date.now() > deadline) return r;
      await sleep(everyMs);
    }
  }

  async stop(): Promise<void> {
    this.http.close();
    this.db.destroy();
    await this.proxy?.close();
    await this.stack.stop();
    // Steps still unwinding after the stop print their EMF metric lines (the local dashboard no longer
    // reads them): keep them out of the report on stdout.
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
      typeof chunk === "string" && chunk.startsWith('{"_aws"')
        ? true
        : (write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  }
}

/** A resolution as staff send it (root cause required by the current contract). */
export const resolution = (outcome: "upheld" | "partially_upheld" | "rejected" = "upheld") => ({
  outcome,
  summary: "Duplicate fee refunded and the billing rule corrected",
  rootCause: "process",
});

let seq = 0;
/** A unique Idempotency-Key. */
export const newKey = (tag = "bench") => `${tag}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

export const complaintBody = (overrides: Record<string, unknown> = {}) => ({
  customer: {
    id: `C-${100000 + (seq % 50000)}`,
    segment: "mass_retail",
    name: "Li Lei",
    phone: "+86 138 0013 8000",
  },
  businessType: "cards",
  cause: "fees_pricing",
  description: "The annual card fee was charged twice this month; please refund the second charge.",
  ...overrides,
});

/**
 * One full lifecycle over HTTP: intake -> (workflow waits for staff) -> resolve -> feedback accept ->
 * closed. Returns the complaint id and whether it reached `closed`.
 */
export const fullLifecycle = async (
  sys: System,
  opts: { channel?: Channel; body?: Record<string, unknown>; team?: string; waitClosed?: boolean } = {},
) => {
  const channel = opts.channel ?? "mobile_app";
  const submitted = await sys.submit(channel, opts.body ?? complaintBody(), newKey());
  if (submitted.status !== 201)
    return { id: undefined, closed: false, stage: "intake", status: submitted.status };
  const id = submitted.body.id as string;
  const token = await sys.staffToken([submitted.body.team], "agent");
  const resolved = await sys.act(token, id, {
    type: "resolve",
    resolution: resolution(),
  });
  if (resolved.status !== 200)
    return { id, closed: false, stage: "resolve", status: resolved.status, error: resolved.body };
  const fb = await sys.feedback(channel, id, { satisfaction: 5, outcome: "accept" });
  if (fb.status !== 200) return { id, closed: false, stage: "feedback", status: fb.status };
  if (opts.waitClosed === false) return { id, closed: false, stage: "feedback", status: fb.status };
  const final = await sys.waitFor(channel, id, (v) => v.status === "closed", 30_000, 10);
  return { id, closed: final.body?.status === "closed", stage: "closed", status: final.status };
};
