import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { clockFromEnvironment } from "../../functions/adapters/clock";
import { resetConfig } from "../../functions/adapters/config";
import { STREAM_FILTERS } from "../../functions/adapters/dynamodb/stream-records";
import { dependencies, resetDependencies, withOwnLogger } from "../../functions/adapters/runtime";
import { type RecoveryReport, recoverWorkflows } from "../../functions/app/recover";
import {
  HANDLERS,
  type HandlerId,
  STREAM_CONSUMERS,
  type StreamConsumerId,
  WORKFLOW_HANDLERS,
} from "../../functions/handlers/catalog";
import { localFunctionArn, renderWorkflowDefinition } from "../../workflows/render";
import { STREAM_DELIVERY } from "../constructs/stream-delivery";
import { channelKeys, loadSecret } from "./auth";
import { recordedInstant, startClockRecorder } from "./clock-record";
import { localConsole } from "./console";
import { startLocalDashboard } from "./dashboard";
import { LocalStepFunctions } from "./engine/local-step-functions";
import { startSfnApi } from "./engine/sfn-api";
import { eventStream } from "./event-stream";
import { type BusEvent, startEventBridgeApi } from "./eventbridge-api";
import { type FaultProxy, startFaultProxy } from "./faults";
import { type HttpLambda, lambdaContext, managerOnly, send, sendError, startGateway } from "./gateway";
import { startDurableJournal } from "./journal";
import { serveOpenApi } from "./openapi";
import { type LocalEvidenceStore, startLocalEvidenceStore } from "./s3";
import { localSignIn } from "./sign-in";
import { type PublishedMessage, startSnsApi } from "./sns-api";
import { startLocalStore } from "./store";
import { type StreamPoller, startStreamPoller } from "./stream-poller";

export interface LocalStackOptions {
  /** Gateway port; 0 picks a free one. */
  port: number;
  host?: string;
  /** Keep DynamoDB data on disk here; in memory when omitted. */
  dataDir?: string;
  /** Simulated seconds per real second (3600 = an hour a second), for the domain clock and the engine. */
  timeScale?: number;
  /** The simulated instant the clock starts at. */
  startAt?: Date;
  /** How often (real ms) the reconciler looks for complaints whose workflow never started. */
  reconcileEveryMs?: number;
  /** How often (real ms) the calendar recompute jobs run (default every second). */
  calendarJobsEveryMs?: number;
  logLevel?: string;
  /**
   * Put a fault-injecting proxy between the handlers and DynamoDB Local (`stack.faults` switches its
   * modes); tests only. `dynamoEndpoint` stays the store itself, for checks that bypass the faults.
   */
  faults?: boolean;
  /** How long attachment upload and download URLs are valid (seconds; defaults as on AWS). */
  attachmentUrlSeconds?: { upload?: number; download?: number };
  /**
   * Called when DynamoDB Local died and its data is gone (in memory) or it would not start again (on disk):
   * nothing this stack answers from then on is true. `npm start` stops with a non-zero exit.
   */
  onStoreLost?: (reason: string) => void;
}

export interface LocalStack {
  url: string;
  /** Where the simulated clock resumed on data that had seen a later instant than the start (see clock-record.ts). */
  resumedClockAt?: Date;
  /** Restarts the simulated clock at an instant (demos and tests); no effect on the wall clock. */
  restartClock(at: Date): void;
  /** Manager notices published to the local alerts topic. */
  notifications(): PublishedMessage[];
  /** Everything put on the local event bus (integration events and customer notices), in order. */
  busEvents(): BusEvent[];
  engine: LocalStepFunctions;
  tableName: string;
  dynamoEndpoint: string;
  /** DynamoDB Local's JVM: its pid (tests kill it) and how often the supervisor restarted it. */
  store: { pid(): number | undefined; restarts(): number };
  /** The analysts' projection on this target (what `npm run analytics -- --dir` reads). */
  analyticsDir: string;
  secret: Uint8Array;
  reconcile(): Promise<unknown>;
  /** Runs the calendar recompute jobs now (they also run every second). */
  calendarJobs(): Promise<unknown>;
  /** Emits CalendarHorizonDays now (it also runs at start and hourly). */
  calendarHorizon(): Promise<unknown>;
  /** Invokes a job function as `aws lambda invoke` would (the report rebuild; a stream consumer in tests). */
  invoke(id: "reportsRebuild" | "streamReports", event: unknown): Promise<unknown>;
  /** The fault proxy in front of the store, when started with `faults: true`. */
  faults?: FaultProxy;
  /** With `faults: true`: take the local bus or the alerts topic down (500 to every call) and back up. */
  outages?: { bus(down: boolean): void; alerts(down: boolean): void };
  /** What start-up did with open complaints found in the store (on-disk data from an earlier run). */
  recovery: RecoveryReport;
  /** The poller delivering the table's change stream to the stream consumers (the outbox). */
  stream: StreamPoller;
  /** The local evidence store (s3rver behind its Object Lock proxy). */
  evidence: LocalEvidenceStore;
  /** Resolves once every upload announced so far has been through the check step. */
  checksDrained(): Promise<void>;
  stop(): Promise<void>;
}

export const TABLE_NAME = "complaints-local";
export const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:complaints-local";
export const ALERTS_TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:complaints-local-manager-alerts";
export const EVENT_BUS_NAME = "complaints-local";
export const EVIDENCE_BUCKET = "complaints-local-evidence";

/** A free TCP port on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

const importHandler = async (id: HandlerId): Promise<AnyHandler> => {
  const mod = (await import(pathToFileURL(resolve(HANDLERS[id].entry)).href)) as { handler: AnyHandler };
  return mod.handler;
};

/**
 * Brings up the whole system on this machine: DynamoDB Local, the embedded engine running the definition
 * rendered from the CDK construct behind a local Step Functions API, and the local API gateway serving the
 * same routes with the same handler modules. Handlers reach the store and the engine through the real
 * AWS SDK clients; only endpoints and dummy credentials in the environment differ from AWS.
 */
export const startLocalStack = async (opts: LocalStackOptions): Promise<LocalStack> => {
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch {
        // Keep stopping the rest: nothing may be left running.
      }
    }
  };
  try {
    const secret = loadSecret();
    const keys = channelKeys(secret);
    const warn = (level: "WARN" | "ERROR", message: string, extra: Record<string, unknown> = {}) =>
      process.stderr.write(`${JSON.stringify({ level, message, ...extra })}\n`);
    // The store is supervised: on disk, a JVM that dies is started again on the same directory while
    // the journal holds every request, and what it lost is replayed before any request reaches it.
    let journal: Awaited<ReturnType<typeof startDurableJournal>> | undefined;
    let downSince = 0;
    const store = await startLocalStore({
      port: await freePort(),
      tableName: TABLE_NAME,
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      supervision: {
        down: (reason) => {
          downSince = Date.now();
          journal?.hold();
          warn("WARN", "store down: restarting DynamoDB Local on its data directory", { reason });
        },
        up: async () => {
          const replayed = await journal?.replay();
          warn("WARN", "store restarted", { downForMs: Date.now() - downSince, replayed });
        },
        lost: (reason) => {
          warn("ERROR", "store lost", { reason });
          opts.onStoreLost?.(reason);
        },
      },
    });
    stops.push(() => store.stop());
    // On disk, every transaction goes through a write-ahead journal first: DynamoDB Local answers a
    // transaction before it is on disk (see journal.ts). The journal's replay runs before anything else.
    journal = opts.dataDir
      ? await startDurableJournal({
          upstream: store.endpoint,
          file: join(opts.dataDir, "transactions.journal"),
        })
      : undefined;
    if (journal) stops.push(() => journal.close());
    const storeUrl = journal?.url ?? store.endpoint;
    const faults = opts.faults ? await startFaultProxy(storeUrl) : undefined;
    if (faults) stops.push(() => faults.close());

    const sns = await startSnsApi({ port: 0 });
    stops.push(() => sns.close());
    const bus = await startEventBridgeApi({
      port: 0,
      ...(opts.dataDir ? { file: join(opts.dataDir, "bus-events.jsonl") } : {}),
    });
    stops.push(() => bus.close());

    // The evidence store, with the stack's dummy credentials registered (s3rver knows only its own).
    const evidence = await startLocalEvidenceStore({
      bucket: EVIDENCE_BUCKET,
      accessKeyId: "local",
      secretAccessKey: "local",
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    });
    stops.push(() => evidence.stop());

    // The analysts' projection: files DuckDB reads (`npm run analytics`), under --data or a temp folder.
    const analyticsDir = opts.dataDir
      ? join(opts.dataDir, "analytics")
      : await mkdtemp(join(tmpdir(), "complaints-analytics-"));
    if (!opts.dataDir) stops.push(() => rm(analyticsDir, { recursive: true, force: true }));

    const scale = opts.timeScale ?? 1;
    const env: Record<string, string> = {
      ANALYTICS_DIR: analyticsDir,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: faults?.url ?? storeUrl,
      AWS_ENDPOINT_URL_SNS: sns.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      AWS_ENDPOINT_URL_S3: evidence.url,
      EVIDENCE_BUCKET,
      EVIDENCE_PATH_STYLE: "true",
      // No malware scanner runs on the embedded target: files pass the content check alone.
      EVIDENCE_MALWARE_SCAN: "none",
      ATTACHMENT_UPLOAD_URL_SECONDS: String(opts.attachmentUrlSeconds?.upload ?? 600),
      ATTACHMENT_DOWNLOAD_URL_SECONDS: String(opts.attachmentUrlSeconds?.download ?? 60),
      EVENT_BUS_NAME,
      NOTIFICATION_TOPIC_ARN: ALERTS_TOPIC_ARN,
      TABLE_NAME,
      STATE_MACHINE_ARN,
      CHANNEL_API_KEYS: JSON.stringify(keys.byId),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      POWERTOOLS_SERVICE_NAME: "complaints",
      POWERTOOLS_METRICS_NAMESPACE: "ComplaintHandling",
      POWERTOOLS_LOG_LEVEL: opts.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? "INFO",
      // One process holds every handler, so one calendar cache: a short period, and a job right after.
      CALENDAR_CACHE_SECONDS: "1",
      CALENDAR_JOB_DELAY_SECONDS: "2",
    };
    // On disk, the clock resumes from the latest instant this data has seen, when that is later.
    const clockFile = opts.dataDir ? join(opts.dataDir, "clock.json") : undefined;
    const recorded = clockFile ? recordedInstant(clockFile) : undefined;
    const resumeAt =
      recorded && recorded.getTime() > (opts.startAt ?? new Date()).getTime() ? recorded : undefined;
    const simulated = scale !== 1 || opts.startAt !== undefined || resumeAt !== undefined;
    /** (Re)starts the simulated clock at an instant, now: the domain clock and the engine share the scale. */
    const restartClock = (at: Date) => {
      if (!simulated) return;
      process.env.SIMULATED_CLOCK = JSON.stringify({
        originReal: Date.now(),
        originSimulated: at.getTime(),
        scale,
      });
      resetDependencies();
    };
    if (!simulated) delete process.env.SIMULATED_CLOCK;
    Object.assign(process.env, env);
    restartClock(resumeAt ?? opts.startAt ?? new Date());
    resetConfig();
    resetDependencies();

    const handlers = Object.fromEntries(
      await Promise.all(
        (Object.keys(HANDLERS) as HandlerId[]).map(async (id) => [id, await importHandler(id)] as const),
      ),
    ) as Record<HandlerId, AnyHandler>;

    // Each invocation by the engine gets a Lambda context of its own (a fresh request id) and a logger
    // of its own (steps of different executions run at once in this one process), as on AWS.
    const lambdas = Object.fromEntries(
      WORKFLOW_HANDLERS.map((id) => {
        const name = `complaints-${id}`;
        return [
          localFunctionArn(id),
          (event: unknown) => withOwnLogger(name, () => handlers[id](event, lambdaContext(name))),
        ];
      }),
    );
    const engine = new LocalStepFunctions({
      stateMachineArn: STATE_MACHINE_ARN,
      definition: renderWorkflowDefinition(),
      lambdas,
      timeScale: scale,
    });
    stops.push(() => engine.stopAll());
    const sfnApi = await startSfnApi(engine, { port: 0, host: "127.0.0.1" });
    stops.push(() => sfnApi.close());
    process.env.AWS_ENDPOINT_URL_SFN = sfnApi.url;
    resetDependencies();

    // The engine keeps executions in memory: open complaints from on-disk data get theirs back (or are
    // flagged), before the gateway lets anyone act on them.
    const recovery = await recoverWorkflows(
      [...new Set(dependencies().routing.map((r) => r.team))],
      dependencies(),
    );

    // The local CloudWatch: EMF lines on stdout -> /dashboard (rendered from the CDK dashboard's widget spec).
    const deadLetters: { of?: () => readonly unknown[] } = {};
    const dashboard = startLocalDashboard({ secret, deadLetters: () => deadLetters.of?.() ?? [] });
    stops.push(() => dashboard.stop());
    const streamEvents = eventStream({ secret, since: bus.since });
    const signIn = localSignIn({ secret });
    // The staff workbench (console/), built in memory: a fresh clone's `npm start` serves it.
    const consolePages = await localConsole();
    const gateway = await startGateway({
      port: opts.port,
      host: opts.host ?? "127.0.0.1",
      handlers: handlers as unknown as Record<HandlerId, HttpLambda>,
      secret,
      apiKeys: keys.byValue,
      // The local-only endpoints: none of them is anonymous but the API document and the sign-in page.
      extra: async (req, res, local) => {
        // A browser's way to a staff token (loopback only), for the dashboard and the console.
        if (await signIn(req, res, local)) return true;
        // Local-only stream of the integration events on the bus (`GET /events?since=`, managers).
        if (await streamEvents(req, res, local)) return true;
        // Local-only window on what SNS would have delivered to the managers (ids and references only).
        if (req.url?.split("?")[0] === "/local/notifications") {
          if (req.method !== "GET") {
            sendError(res, local, 405, "METHOD_NOT_ALLOWED", "Method not allowed", { Allow: "GET" });
          } else if (await managerOnly(req, res, local, secret, "The list of manager notices")) {
            send(res, 200, JSON.stringify({ notifications: sns.messages() }), {
              "Cache-Control": "no-store",
            });
          }
          return true;
        }
        if (await serveOpenApi(req, res)) return true;
        if (await consolePages(req, res, local)) return true;
        return dashboard.serve(req, res, local);
      },
    });
    stops.push(() => gateway.close());

    // The outbox: the table's change stream, delivered to one consumer per destination as the event
    // source mappings deliver it on AWS; positions kept under --data so a restart resumes where it stopped.
    const stream = await startStreamPoller({
      dynamo: store.client,
      streams: new DynamoDBStreamsClient({
        endpoint: store.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
      tableName: TABLE_NAME,
      consumers: (Object.entries(STREAM_CONSUMERS) as [StreamConsumerId, keyof typeof STREAM_FILTERS][]).map(
        ([id, kind]) => ({
          id,
          filters: STREAM_FILTERS[kind],
          handler: (event: DynamoDBStreamEvent) =>
            handlers[id](event, lambdaContext(`complaints-${id}`)) as Promise<DynamoDBBatchResponse>,
        }),
      ),
      batchSize: STREAM_DELIVERY.batchSize,
      retryAttempts: STREAM_DELIVERY.retryAttempts,
      ...(opts.dataDir ? { checkpointFile: join(opts.dataDir, "stream-positions.json") } : {}),
      log: (message, extra) =>
        process.stderr.write(`${JSON.stringify({ level: "WARN", message, ...extra })}\n`),
    });
    stops.push(() => stream.stop());
    deadLetters.of = () => stream.deadLetters();

    // The check step runs on upload as on AWS: the local server's own notification becomes the
    // EventBridge `Object Created` event the check function receives there, invoked with retries (as
    // EventBridge retries an asynchronous invocation), one upload after another.
    let checks: Promise<void> = Promise.resolve();
    evidence.onObjectCreated((key, size) => {
      const event = {
        version: "0",
        source: "aws.s3",
        "detail-type": "Object Created",
        detail: { bucket: { name: EVIDENCE_BUCKET }, object: { key, size }, reason: "PutObject" },
      };
      checks = checks.then(async () => {
        for (let attempt = 1; attempt <= 3; attempt++) {
          try {
            await withOwnLogger("complaints-attachmentsCheck", () =>
              handlers.attachmentsCheck(event, lambdaContext("complaints-attachmentsCheck")),
            );
            return;
          } catch (e) {
            if (attempt === 3)
              process.stderr.write(
                `${JSON.stringify({ level: "ERROR", message: "attachment check failed", error: (e as Error).name })}\n`,
              );
            else await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      });
    });

    /**
     * A scheduled function: run now and then every `everyMs` (real), one run at a time, like one scheduled
     * invocation; a call during a run shares that run.
     */
    const scheduled = async (id: "reconcile" | "calendarJobs" | "calendarHorizon", everyMs: number) => {
      let running: Promise<unknown> | undefined;
      const run = () => {
        running ??= withOwnLogger(`complaints-${id}`, () =>
          handlers[id]({}, lambdaContext(`complaints-${id}`)),
        ).finally(() => {
          running = undefined;
        });
        return running;
      };
      await run();
      const timer = setInterval(() => void run().catch(() => undefined), everyMs);
      timer.unref();
      stops.push(async () => {
        clearInterval(timer);
        await running?.catch(() => undefined);
      });
      return run;
    };
    const reconcile = await scheduled("reconcile", opts.reconcileEveryMs ?? 60_000);
    // Recompute jobs (a calendar load, new statutory rules) every second here: one process, one cache.
    const calendarJobs = await scheduled("calendarJobs", opts.calendarJobsEveryMs ?? 1_000);
    // The horizon figure for the dashboard: at start and every hour (daily on AWS).
    const calendarHorizon = await scheduled("calendarHorizon", 3_600_000);

    // Start-up takes seconds; at a high scale that is days of simulated time. The clock starts when ready.
    restartClock(resumeAt ?? opts.startAt ?? new Date());
    if (clockFile) {
      const recorder = startClockRecorder(clockFile, () => clockFromEnvironment().now());
      stops.push(() => recorder.stop());
    }
    return {
      url: gateway.url,
      ...(resumeAt ? { resumedClockAt: resumeAt } : {}),
      restartClock,
      notifications: () => sns.messages(),
      busEvents: () => bus.since(0),
      engine,
      tableName: TABLE_NAME,
      dynamoEndpoint: store.endpoint,
      store: { pid: store.pid, restarts: store.restarts },
      analyticsDir,
      secret,
      reconcile,
      calendarJobs,
      calendarHorizon,
      invoke: (id: "reportsRebuild" | "streamReports", event: unknown) =>
        withOwnLogger(`complaints-${id}`, () => handlers[id](event, lambdaContext(`complaints-${id}`))),
      ...(faults ? { faults, outages: { bus: bus.setDown, alerts: sns.setDown } } : {}),
      recovery,
      stream,
      evidence,
      checksDrained: () => checks,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
};
