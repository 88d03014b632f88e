import { AsyncLocalStorage } from "node:async_hooks";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { CalendarCache } from "../app/calendars";
import type {
  AttachmentDependencies,
  DeliveryDependencies,
  Dependencies,
  LookupDependencies,
  ReadDependencies,
  ReportDependencies,
} from "../app/dependencies";
import { type ExecutionRedriver, type WorkflowEngine, WorkflowUnavailableError } from "../app/ports";
import { ReferenceAllocator } from "../app/references";
import { defaultRoutingTable, loadTeamRegions } from "../domain/routing";
import { defaultSlaPolicy, slaPolicies } from "../domain/sla";
import { clockFromEnvironment } from "./clock";
import { config } from "./config";

/** The CORS headers of HTTP answers (the console origin on AWS; none locally). */
export { corsHeaders } from "./config";

import { DynamoCalendarStore } from "./dynamodb/calendar-store";
import { DynamoComplaintReader, DynamoComplaintRepository } from "./dynamodb/complaint-repository";
import { DynamoNoticeLedger } from "./dynamodb/notice-ledger";
import { DynamoReadModels } from "./dynamodb/read-models";
import { DynamoReportAggregates } from "./dynamodb/report-aggregates";
import { EventBridgePublisher } from "./eventbridge/event-bridge-publisher";
import { FileAnalyticsProjection } from "./files/analytics-projection";
import { RedactingLogFormatter } from "./logging/redacting-log-formatter";
import { EmfMetricsSink } from "./metrics/emf-metrics-sink";
import { S3AnalyticsProjection } from "./s3/analytics-projection";
import { evidenceConfig, resetEvidenceConfig } from "./s3/evidence-config";
import { S3EvidenceStore } from "./s3/evidence-store";
import { StepFunctionsEngine } from "./sfn/step-functions-engine";
import { SnsNotifier } from "./sns/sns-notifier";

/** Powertools' Logger, able to make a logger for one invocation (its documented `createLogger` hook). */
class RuntimeLogger extends Logger {
  protected override createLogger(options?: ConstructorParameters<typeof Logger>[0]): RuntimeLogger {
    return new RuntimeLogger(options);
  }

  /** A child for one invocation, with the same settings; warm unless it is the function's first. */
  forInvocation(cold: boolean): Logger {
    const child = this.createChild() as RuntimeLogger;
    if (!cold) child.getColdStart();
    return child;
  }
}

const baseLogger = new RuntimeLogger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "complaints",
  // The safety net: personal data and secrets are masked in every line, whatever a call site passes.
  logFormatter: new RedactingLogFormatter(),
});

/** The Logger of the invocation running now, where the runtime gives each one its own. */
const invocationLogger = new AsyncLocalStorage<Logger>();

/**
 * The shared logger: complaint ids and references only, never personal data or tokens. On AWS it is one
 * Powertools Logger per container, which runs one invocation at a time. The embedded target runs many
 * invocations in one process at once, so it runs each inside `withOwnLogger`: then this logger is that
 * invocation's own (a child of the base), and the keys one request appends (its request id, its
 * complaint) never land on the lines of another running beside it.
 */
export const logger: Logger = new Proxy(baseLogger, {
  get(base, property) {
    const current = invocationLogger.getStore() ?? base;
    const value = Reflect.get(current, property, current);
    return typeof value === "function" ? value.bind(current) : value;
  },
});

const invokedFunctions = new Set<string>();

/**
 * Runs one invocation with a logger of its own (the embedded target's in-process "container"). Its
 * cold-start flag is true on the first invocation of each function, as on AWS, where each function has
 * containers of its own.
 */
export const withOwnLogger = <T>(functionName: string, run: () => T): T => {
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  if (level && level !== baseLogger.getLevelName()) {
    baseLogger.setLogLevel(level as Parameters<typeof baseLogger.setLogLevel>[0]);
  }
  const cold = !invokedFunctions.has(functionName);
  invokedFunctions.add(functionName);
  return invocationLogger.run(baseLogger.forInvocation(cold), run);
};

let deps: Dependencies | undefined;
let commitDeps: Dependencies | undefined;
let readDeps: ReadDependencies | undefined;
let calendarWiring: { store: DynamoCalendarStore; cache: CalendarCache } | undefined;

/** The container's calendar store and cache (one of each, whichever wiring asks first). */
const calendarsOf = () => {
  if (calendarWiring) return calendarWiring;
  const cfg = config();
  const store = new DynamoCalendarStore(dynamo(), cfg.tableName);
  calendarWiring = { store, cache: new CalendarCache(store, cfg.calendarCacheMs) };
  return calendarWiring;
};

const log: Dependencies["log"] = {
  info: (message, ...extra) => logger.info(message, ...extra),
  warn: (message, ...extra) => logger.warn(message, ...extra),
  error: (message, ...extra) => logger.error(message, ...(extra as Record<string, unknown>[])),
};

let documentClient: DynamoDBDocumentClient | undefined;

/** The one DynamoDB document client of the container; the log level is applied here, once. */
const dynamo = (): DynamoDBDocumentClient => {
  if (documentClient) return documentClient;
  // The logger is built at import; the level can be configured after (the embedded target sets it late).
  const level = process.env.POWERTOOLS_LOG_LEVEL;
  if (level) baseLogger.setLogLevel(level as Parameters<typeof baseLogger.setLogLevel>[0]);
  documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 3 }), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
};

let lookupDeps: LookupDependencies | undefined;

/**
 * The wiring of a lookup of one complaint (store reads, calendars, clock, log): no read models, no other
 * client. A handler that uses only this never references the other clients and adapters, so esbuild
 * leaves them out of its bundle (they are side-effect free): smaller bundle, faster cold start.
 */
export const lookupDependencies = (): LookupDependencies => {
  if (lookupDeps) return lookupDeps;
  const cfg = config();
  lookupDeps = {
    complaints: new DynamoComplaintReader(dynamo(), cfg.tableName),
    clock: clockFromEnvironment(),
    log,
    channelApiKeys: cfg.channelApiKeys,
    calendars: calendarsOf().cache,
  };
  return lookupDeps;
};

/** The read-only wiring for queries, reports and the like: the lookups and the read models. */
export const readDependencies = (): ReadDependencies => {
  readDeps ??= { ...lookupDependencies(), readModels: new DynamoReadModels(dynamo(), config().tableName) };
  return readDeps;
};

let reportDeps: ReportDependencies | undefined;

/** The reports' wiring: the reads and the report aggregates (the DynamoDB client alone). */
export const reportDependencies = (): ReportDependencies => {
  reportDeps ??= { ...readDependencies(), reports: new DynamoReportAggregates(dynamo(), config().tableName) };
  return reportDeps;
};

/**
 * The commit path's wiring around a workflow engine: the complaint repository (the reads' reader plus the
 * commit path), calendars, routing, policies, ids. One DynamoDB client per container, even where read and
 * write handlers share a process (the embedded target): the rest of the read wiring is part of it.
 */
const commitWiring = (engine: WorkflowEngine & ExecutionRedriver): Dependencies => {
  const cfg = config();
  const read = readDependencies();
  const complaints = new DynamoComplaintRepository(dynamo(), cfg.tableName);
  return {
    ...read,
    complaints,
    workflow: engine,
    executions: engine,
    newId: () => ulid(),
    references: new ReferenceAllocator(complaints),
    routing: defaultRoutingTable,
    teamRegions: loadTeamRegions(cfg.teamRegions, defaultRoutingTable),
    calendarStore: calendarsOf().store,
    calendarJobDelayMs: cfg.calendarJobDelayMs,
    policy: defaultSlaPolicy,
    policies: slaPolicies,
    defaultJurisdiction: cfg.defaultJurisdiction,
  };
};

/**
 * Wires the adapters once per container (cold start), from configuration, with the Step Functions client:
 * for the functions that answer task tokens or start and redrive executions (`SENDS_TASK_RESPONSES` and
 * `STARTS_EXECUTIONS` in the service stack). The same code runs on AWS and in the embedded target: only
 * endpoints and credentials in the environment differ.
 */
export const dependencies = (): Dependencies => {
  deps ??= commitWiring(stepFunctions());
  return deps;
};

/**
 * An engine for functions that are granted no Step Functions action: anything that would call it fails
 * here, on both targets, as IAM would refuse it on AWS — and their bundles carry no SFN client.
 */
const refuse = () =>
  Promise.reject(new WorkflowUnavailableError("this function has no Step Functions access"));
const NO_ENGINE: WorkflowEngine & ExecutionRedriver = {
  start: refuse,
  resume: refuse,
  failedExecutions: refuse,
  redrive: refuse,
};

/**
 * The commit path without the Step Functions client: intake (the workflow starts from the stream), the
 * workflow's own steps (they answer the engine by returning) and the attachment functions.
 */
export const commitDependencies = (): Dependencies => {
  commitDeps ??= commitWiring(NO_ENGINE);
  return commitDeps;
};

const stepFunctions = () =>
  new StepFunctionsEngine(new SFNClient({ maxAttempts: 2 }), config().stateMachineArn ?? "unset");

/** Wiring made once per container and made again after `resetDependencies` (a local stack restart). */
let generation = 0;
const perContainer = <T>(make: () => T): (() => T) => {
  let made: { generation: number; value: T } | undefined;
  return () => {
    if (made?.generation !== generation) made = { generation, value: make() };
    return made.value;
  };
};

/** The stream consumer that starts executions: the Step Functions client alone. */
export const workflowDelivery = /* @__PURE__ */ perContainer(
  (): Pick<DeliveryDependencies, "workflow" | "log"> => ({
    workflow: stepFunctions(),
    log,
  }),
);

/** The stream consumer that feeds the bus: EventBridge, and the notice ledger in the table. */
export const busDelivery = /* @__PURE__ */ perContainer(
  (): Pick<DeliveryDependencies, "events" | "customerNotifier" | "noticeLedger" | "clock" | "log"> => {
    const cfg = config();
    if (!cfg.eventBusName) throw new Error("EVENT_BUS_NAME is not set");
    const bus = new EventBridgePublisher(new EventBridgeClient({ maxAttempts: 3 }), cfg.eventBusName);
    return {
      events: bus,
      customerNotifier: bus,
      noticeLedger: new DynamoNoticeLedger(dynamo(), cfg.tableName),
      clock: clockFromEnvironment(),
      log,
    };
  },
);

/** The stream consumer that alerts managers: the SNS client alone. */
export const alertDelivery = /* @__PURE__ */ perContainer(
  (): Pick<DeliveryDependencies, "notifier" | "log"> => {
    const topic = config().notificationTopicArn;
    if (!topic) throw new Error("NOTIFICATION_TOPIC_ARN is not set");
    return { notifier: new SnsNotifier(new SNSClient({ maxAttempts: 3 }), topic), log };
  },
);

/**
 * The stream consumer that keeps the report aggregates: the DynamoDB client and the aggregates alone (not
 * the read wiring: no calendars, read models or complaint reader in its bundle).
 */
export const reportDelivery = /* @__PURE__ */ perContainer(
  (): Pick<DeliveryDependencies, "reports" | "clock" | "log"> => ({
    reports: new DynamoReportAggregates(dynamo(), config().tableName),
    clock: clockFromEnvironment(),
    log,
  }),
);

/**
 * The stream consumer that feeds the analysts' projection: files under ANALYTICS_DIR (the embedded
 * target), or objects in ANALYTICS_BUCKET (AWS).
 */
export const analyticsDelivery = (): Pick<DeliveryDependencies, "analytics" | "log"> => {
  const dir = process.env.ANALYTICS_DIR;
  if (dir) return { analytics: new FileAnalyticsProjection(dir), log };
  const bucket = process.env.ANALYTICS_BUCKET;
  if (!bucket) throw new Error("ANALYTICS_BUCKET is not set");
  return { analytics: new S3AnalyticsProjection(new S3Client({ maxAttempts: 3 }), bucket), log };
};

/** The stream consumer that emits metrics: no SDK client at all (EMF lines on stdout). */
export const metricDelivery = /* @__PURE__ */ perContainer(
  (): Pick<DeliveryDependencies, "metrics" | "log"> => ({
    metrics: new EmfMetricsSink(logger),
    log,
  }),
);

let evidenceStore: S3EvidenceStore | undefined;

/** The evidence store of the container: one S3 client (path-style on the embedded target's local server). */
const evidence = (): S3EvidenceStore => {
  if (evidenceStore) return evidenceStore;
  const cfg = evidenceConfig();
  const s3 = new S3Client({
    maxAttempts: 3,
    forcePathStyle: cfg.pathStyle,
    // Checksums only where an operation requires one: a presigned PUT carries the client's own SHA-256.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  evidenceStore = new S3EvidenceStore(s3, cfg.bucketName, cfg.lockMode);
  return evidenceStore;
};

/** The attachment use cases: the commit path's wiring, the evidence store and the attachment settings. */
export const attachmentDependencies = (): AttachmentDependencies => ({
  ...commitDependencies(),
  evidence: evidence(),
  attachments: evidenceConfig().settings,
});

/** The stream consumer that keeps and removes files: the S3 client alone. */
export const evidenceDelivery = /* @__PURE__ */ perContainer(
  (): Pick<DeliveryDependencies, "evidence" | "log"> => ({
    evidence: evidence(),
    log,
  }),
);

/** The calendar routes: the calendar store and cache, clock, log, ids (no workflow or messaging client). */
export const calendarDependencies = () => {
  const cfg = config();
  return {
    calendarStore: calendarsOf().store,
    calendars: calendarsOf().cache,
    clock: clockFromEnvironment(),
    log,
    newId: () => ulid(),
    calendarJobDelayMs: cfg.calendarJobDelayMs,
  };
};

/** The daily horizon figure: the calendars (store and cache), the clock, EMF metrics. */
export const calendarHorizonDependencies = () => ({
  calendars: calendarsOf().cache,
  clock: clockFromEnvironment(),
  metrics: new EmfMetricsSink(logger),
  log,
});

/** Forgets the wired dependencies (the embedded target rewires after changing configuration). */
export const resetDependencies = (): void => {
  generation++;
  documentClient = undefined;
  deps = undefined;
  commitDeps = undefined;
  lookupDeps = undefined;
  readDeps = undefined;
  reportDeps = undefined;
  calendarWiring = undefined;
  evidenceStore = undefined;
  resetEvidenceConfig();
};
