import type { AnalyticsRecord } from "../domain/analytics";
import type { CalendarId, CalendarYearData, CalendarYearStatus } from "../domain/calendar";
import type { Role } from "../domain/codes";
import type { Complaint, DomainEvent, Status, TaskStage } from "../domain/complaint";
import type { IntegrationEvent } from "../domain/integration-events";
import type { MetricDatum } from "../domain/metrics";
import type { CustomerNotice } from "../domain/notices";
import type {
  CellAxis,
  CellItem,
  MergedCells,
  OpenRemediation,
  ReportFacts,
  Vector,
} from "../domain/report-aggregates";
import type { IntakeResponse } from "../domain/schemas";
import type { ManagerNotice } from "./notifications";

/*
 * The ports, by job (see docs/architecture.md "Layers"): the complaint aggregate's repository, the read
 * models built beside it (queues, customer history, month index, the trail), and the engine, metrics and
 * messaging that what a change calls for is delivered to — from the table's change stream (the outbox),
 * never from the request path. Adapters implement each in its own file.
 */

/** An audit event as stored: the domain event plus its place in the hash chain. */
export type AuditEvent = DomainEvent & {
  seq: number;
  prevHash: string;
  hash: string;
};

/** The callback stage a complaint is waiting in, with the token that resumes it (server side only). */
export interface PendingTask {
  stage: TaskStage;
  token: string;
  since: string;
}

export interface StoredComplaint {
  complaint: Complaint;
  task?: PendingTask;
  /** When its last audit event happened: a change never records an earlier time (see commitChange). */
  lastEventAt?: string;
}

export interface IdempotencyRecord {
  channel: string;
  key: string;
  requestHash: string;
  complaintId: string;
  response: IntakeResponse;
}

/**
 * The answer to a decision sent with an `Idempotency-Key` (a staff action, a customer's reply or feedback),
 * kept for the caller and the complaint: the same key and body answer it again, and nothing is applied twice.
 */
export interface DecisionRecord {
  /** Who sent it: `staff:<subject>` or `channel:<channel>`. A key is the caller's own, per complaint. */
  scope: string;
  complaintId: string;
  key: string;
  requestHash: string;
  /** The complaint version the answer showed (its ETag). */
  version: number;
  /** The answer's body, as it was sent. */
  response: unknown;
  /** When the record may go (the table's TTL), 24 hours on. */
  expiresAt: Date;
}

/** Narrows a team queue; every field is optional. */
export interface QueueFilter {
  status?: Status;
  tier?: number;
  priority?: string;
  slaPhase?: "on_track" | "at_risk" | "breached";
}

/** What a change must find to apply: the version read, and optionally the task token it acts on. */
export interface SaveCondition {
  expectedVersion: number;
  expectedToken?: string;
}

/**
 * What one stored event hands over once its change is committed — the transactional outbox. It is written
 * on the event's own audit item, in the change's transaction, and delivered from the table's change stream
 * at least once, in order per complaint, by one consumer per destination.
 */
export interface EventDeliveries {
  /** Start execution N of the complaint's workflow (0: the first; N: after the Nth operator resume). */
  startExecution?: number;
  integrationEvents?: IntegrationEvent[];
  managerNotices?: ManagerNotice[];
  metrics?: MetricDatum[];
  /** What the evidence store must do with the complaint's files: lock one (or extend its lock), delete one. */
  evidence?: EvidenceInstruction[];
  /** The complaint's contribution to the report aggregates as of this change (on a change's last event). */
  reportFacts?: ReportFacts;
}

/** One file's object in the evidence store: named by ids (the adapter builds the key), and its version. */
export interface EvidenceObject {
  complaintId: string;
  attachmentId: string;
  versionId?: string;
}

/** An instruction for the evidence store, delivered from the stream (idempotent either way). */
export type EvidenceInstruction =
  | { action: "retain"; attachmentId: string; versionId?: string; retainUntil: string }
  | { action: "remove"; attachmentId: string; versionId?: string };

/** A new complaint as intake stores it: everything lands in one transaction, or nothing does. */
export interface NewComplaint {
  complaint: Complaint;
  events: DomainEvent[];
  /** What each event hands over (same order as `events`). */
  deliveries: readonly EventDeliveries[];
  idempotency: IdempotencyRecord;
  idempotencyExpiresAt: Date;
  /** Customer notices the intake calls for (the acknowledgement), stored in the same transaction. */
  notices?: readonly CustomerNotice[];
}

/** A change to a stored complaint, with the events that explain it. */
export interface ComplaintChange {
  after: Complaint;
  events: DomainEvent[];
  /** What each event hands over (same order as `events`). */
  deliveries: readonly EventDeliveries[];
  condition: SaveCondition;
  /** `null` clears the pending task; undefined leaves it as it is. */
  task?: null;
  /** Customer notices the change calls for, stored with it in the same transaction. */
  notices?: readonly CustomerNotice[];
  /**
   * Events that record without changing the complaint (a download of an attachment, say): they join the
   * trail, and the complaint keeps its version (and its ETag). Still conditional on the version read.
   */
  auditOnly?: boolean;
  /** The decision's answer under its Idempotency-Key, stored in the same transaction (only if new). */
  decision?: DecisionRecord;
}

/** Reads of one complaint: all the read-only handlers hold (they never carry the commit path's code). */
export interface ComplaintReader {
  get(id: string): Promise<StoredComplaint | undefined>;
  /** The id of the complaint a reference names (recorded with the complaint at intake). */
  idByReference(reference: string): Promise<string | undefined>;
}

/**
 * The complaint aggregate: read one, create it, store a change to it. Every write that must land
 * together (the complaint, its audit events, its notices, its idempotency record) lands in one transaction.
 */
export interface ComplaintRepository extends ComplaintReader {
  /** Creates the complaint and everything that comes with it; `false` if the idempotency key is taken. */
  create(input: NewComplaint): Promise<boolean>;
  getIdempotency(channel: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** The decision answered under a caller's key for a complaint, if any. */
  getDecision(scope: string, complaintId: string, key: string): Promise<DecisionRecord | undefined>;
  /** Stores a decision's answer on its own (a decision that changed nothing); false when the key is taken. */
  putDecision(record: DecisionRecord): Promise<boolean>;
  /**
   * Stores a new version with its events (the same version, for an audit-only change); throws
   * ConcurrentUpdateError if the condition no longer holds.
   */
  save(change: ComplaintChange): Promise<Complaint>;
  /** Records the token of a callback stage; false when the complaint is no longer in a stage that waits. */
  registerTask(id: string, task: PendingTask): Promise<boolean>;
  /** Reserves `count` consecutive reference sequence numbers of a local date; answers the first and last. */
  reserveReferences(localDate: string, count: number): Promise<{ first: number; last: number }>;
}

/** A complaint's own trail, stored beside it: the audit events and the notices sent to the customer. */
export interface ComplaintTrail {
  audit(id: string): Promise<AuditEvent[]>;
  /** The customer notices stored under a complaint, in the order they were sent. */
  notices(id: string): Promise<StoredNotice[]>;
}

/** Team queues: open complaints of a team, nearest deadline first (a sparse index). */
export interface QueueIndex {
  queue(
    team: string,
    page: { limit: number; cursor?: string; filter?: QueueFilter },
  ): Promise<{ items: Complaint[]; cursor?: string }>;
}

/** Complaints by customer: history, repeat detection. */
export interface CustomerIndex {
  /**
   * One page of a customer's complaints, newest first, with every repeat link among all of the customer's
   * complaints (so a page can name repeats that sit on another page).
   */
  customerHistory(
    customerId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: Complaint[]; cursor?: string; repeats: { id: string; repeatOf: string }[] }>;
  /**
   * The customer's complaints about one business type that were open at an instant (repeat detection):
   * not closed, or closed after it. Closed is final, so this answers the same however late it is asked.
   */
  openComplaintsAbout(customerId: string, businessType: string, at: string): Promise<Complaint[]>;
  /** The customer's complaints recorded as repeats of one complaint. */
  repeatsOf(customerId: string, complaintId: string): Promise<Complaint[]>;
}

/** Complaints by month of receipt (reports, the reconciler; never a Scan). */
export interface MonthIndex {
  /** Complaints still `received` (workflow not started) that arrived before an instant. */
  receivedBefore(instant: Date, months: string[]): Promise<Complaint[]>;
  /** Complaints received in [from, to). */
  receivedBetween(from: Date, to: Date): Promise<Complaint[]>;
  /**
   * The same complaints a page at a time, in no particular order, holding none between pages: for reports
   * that fold a quarter into figures (memory stays a page, whatever the volume).
   */
  eachReceivedBetween(from: Date, to: Date, visit: (page: Complaint[]) => void): Promise<void>;
}

/** The report aggregates: cells maintained from the stream, read by every report (see report-aggregates). */
export interface ReportAggregates {
  /**
   * Replaces the complaint's contribution with the facts of its audit event `seq` (no-op when the stored
   * contribution is as new or newer): the contribution item and every cell delta land in one transaction.
   * Answers whether anything was written.
   */
  apply(
    complaintId: string,
    seq: number,
    facts: ReportFacts,
    at: Date,
  ): Promise<"applied" | "unchanged" | "stale">;
  /**
   * The cell items of the given axes (and the total) that cover [from, to), merged per axis value; with
   * `histograms`, the resolution histograms of the axes that keep them (total, team, segment, channel,
   * priority) too.
   */
  read(
    from: Date,
    to: Date,
    axes: readonly CellAxis[],
    options?: { histograms?: boolean },
  ): Promise<MergedCells>;
  /** Open remediation actions of complaints received in [from, to). */
  openRemediation(from: Date, to: Date): Promise<{ complaintId: string; action: OpenRemediation }[]>;
  /** The stored contribution of a complaint (rebuild and checks). */
  contribution(complaintId: string): Promise<{ seq: number; facts: ReportFacts } | undefined>;
  /**
   * Sets the stored cells of the whole UTC days [from, to) to exactly these values (rebuild); answers how
   * many cell items differed (and, unless `dryRun`, were written).
   */
  replaceCells(
    from: Date,
    to: Date,
    cells: Iterable<{ item: CellItem; vector: Vector }>,
    at: Date,
    options?: { dryRun?: boolean },
  ): Promise<number>;
}

/** The analysts' projection (S3 on AWS, files on the embedded target): one object per complaint change. */
export interface AnalyticsProjection {
  /** Writes the row of a complaint's change (idempotent: the same change writes the same object). */
  put(record: AnalyticsRecord): Promise<void>;
}

/** Every read model the queries and reports use. */
export type ReadModels = ComplaintTrail & QueueIndex & CustomerIndex & MonthIndex;

/** The workflow engine (Step Functions, or the embedded engine behind the same API). */
export interface WorkflowEngine {
  /**
   * Starts (idempotently) the complaint's workflow. `attempt` N > 0 names the execution `<id>-r<N>`: the
   * fresh execution an operator's resume starts after `needs_attention` (names must stay unique).
   */
  start(complaintId: string, attempt?: number): Promise<void>;
  /** Resumes a callback task. 'stale' when the token timed out, was replaced or never existed. */
  resume(token: string, output: unknown): Promise<"resumed" | "stale">;
}

/** A complaint's execution whose latest attempt failed (a step, and even the flagging after it, gave up). */
export interface FailedExecution {
  executionArn: string;
  complaintId: string;
  /** 0 for the complaint's first execution, N for `<id>-r<N>` (the Nth operator resume). */
  attempt: number;
  /** How often it was redriven already. */
  redriveCount: number;
  stoppedAt?: Date;
}

/** The engine's failed executions, and redriving one (Step Functions' RedriveExecution). */
export interface ExecutionRedriver {
  /** Failed executions of the last 14 days (the window in which they can be redriven), newest first. */
  failedExecutions(): Promise<FailedExecution[]>;
  /** Restarts a failed execution from the step that failed, with that step's input. */
  redrive(executionArn: string): Promise<"redriven" | "not_redrivable">;
}

export class ConcurrentUpdateError extends Error {
  constructor(id: string, options?: { cause?: unknown }) {
    super(`complaint ${id} changed while it was being updated`, options);
    this.name = "ConcurrentUpdateError";
  }
}

/** The store or engine is throttling or unavailable: worth retrying, never the client's fault. */
export class TransientStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // The name is the contract with the state machine's Retry (see workflows/contract.ts).
    this.name = "TransientStoreError";
  }
}

export class WorkflowUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WorkflowUnavailableError";
  }
}

/**
 * Where SLA metrics go: the data points a stored change's events call for (computed when the change is
 * committed, delivered from the stream). The adapter prints CloudWatch Embedded Metric Format lines.
 */
export interface MetricsSink {
  emit(data: readonly MetricDatum[]): void;
}

/** Where notices to managers go (SNS topic on AWS, kept and shown on the embedded target). */
export interface Notifier {
  notify(notices: readonly ManagerNotice[]): Promise<void>;
}

/** A customer notice as stored under its complaint, numbered in sending order. */
export interface StoredNotice extends CustomerNotice {
  seq: number;
  /** When the messaging service took it (absent until then). */
  deliveredAt?: string;
}

/**
 * Which customer notices the messaging service has taken: the stream delivers at least once, and a letter
 * must not reach a customer twice, so the notice consumer asks before sending and records after.
 */
export interface NoticeLedger {
  delivered(complaintId: string, seq: number): Promise<boolean>;
  markDelivered(complaintId: string, seq: number, at: Date): Promise<void>;
}

/**
 * Where customer notices go to be delivered: on AWS an EventBridge event (`CustomerNoticeRequested`)
 * the bank's messaging service consumes; on the embedded target the same client against a local bus.
 */
export interface CustomerNotifier {
  send(notices: readonly CustomerNotice[]): Promise<void>;
}

/** Where integration events go: the complaint system's custom EventBridge bus (a local one when embedded). */
export interface EventPublisher {
  publish(events: readonly IntegrationEvent[]): Promise<void>;
}

/** A calendar year an operator loaded, as stored (it wins over the shipped year of the same calendar). */
export interface StoredCalendarYear extends CalendarYearData {
  loadId: string;
  loadedAt: string;
  loadedBy: string;
}

/** The calendar's own audit trail: who loaded which year, when, from what, and what it replaced. */
export interface CalendarLoadRecord {
  loadId: string;
  calendar: CalendarId;
  year: number;
  source: string;
  by: { subject: string; role: Role };
  at: string;
  /** The year in force before: shipped with the code, or loaded earlier. */
  replaced: { status: CalendarYearStatus; source: string; origin: "shipped" | "loaded" } | null;
  holidays: number;
  workdays: number;
  /** The calendar data version the load made. */
  version: number;
}

/**
 * The resumable job that recomputes the deadlines of every open complaint on some calendars (after a
 * load), or on all of them (after the statutory rules changed). It walks the team queues a page at a
 * time and saves where it stands after each page.
 */
export interface RecomputeJob {
  jobId: string;
  reason: "calendar_loaded" | "rules_corrected";
  /** What the audit event of each complaint says caused it: `CN 2027 loaded (load id)`, the rules version. */
  detail: string;
  calendars: CalendarId[];
  /**
   * Not before this wall-clock instant (ms): every warm container has seen the new data by then, so no
   * complaint is planned on the old calendar after the job has passed it.
   */
  runAfter: number;
  createdAt: string;
  status: "pending" | "done";
  /** The team queue (index into the sorted team list) being walked and the cursor in it. */
  position: { team: number; cursor?: string };
  /** Complaints looked at, recomputed with a change, left as they were, and failing (being retried). */
  counts: { seen: number; changed: number; unchanged: number; failed: number };
  /** The complaints that failed, tried again after the queues (`passes` so far, not before `after`, ms). */
  retry: { ids: string[]; passes: number; after: number };
  /** Bumped by each saved step: a runner whose step is stale lost the job to another and stops. */
  step: number;
  finishedAt?: string;
}

/** Calendar years loaded by operators, their load records, and the recompute jobs (one partition). */
export interface CalendarStore {
  /** The data version: 0 before any load, bumped by each. A warm container's check reads this alone. */
  version(): Promise<number>;
  years(): Promise<StoredCalendarYear[]>;
  /**
   * Stores the year, its load record, the recompute job and version + 1 in one transaction, conditional
   * on the version read; throws `ConcurrentUpdateError` when another load came first.
   */
  load(input: {
    year: StoredCalendarYear;
    record: CalendarLoadRecord;
    job: RecomputeJob;
    expectedVersion: number;
  }): Promise<void>;
  /** The most recent load records first. */
  loads(limit: number): Promise<CalendarLoadRecord[]>;
  /** Every job, the most recent first. */
  jobs(limit: number): Promise<RecomputeJob[]>;
  /** Saves a job's progress; false when another runner saved a step first. */
  saveJob(job: RecomputeJob, expectedStep: number): Promise<boolean>;
  /** The statutory rules version the open complaints were last recomputed under (absent: never). */
  rulesVersion(): Promise<string | undefined>;
  /** Records a new rules version with the job that recomputes under it; false when another did first. */
  adoptRules(input: { version: string; previous: string | undefined; job: RecomputeJob }): Promise<boolean>;
}

/**
 * Where attached files live (S3 on AWS, an S3-compatible server on the embedded target). Bytes never pass
 * through our functions on the way in or out: clients use presigned URLs; the check reads what it must.
 */
export interface EvidenceStore {
  /** A presigned PUT that only accepts the declared type, length and SHA-256; the headers to send with it. */
  presignUpload(
    object: EvidenceObject,
    file: { contentType: string; size: number; sha256: string },
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string>; expiresAt: string }>;
  /**
   * A presigned GET of exactly this version, served as a download under its file name. `expiresAt`: when
   * the store stops honouring the URL (its own clock: the wall clock, also on a simulated local stack).
   */
  presignDownload(
    object: EvidenceObject,
    file: { fileName: string; contentType: string },
    expiresInSeconds: number,
  ): Promise<{ url: string; expiresAt: string }>;
  /** What is stored: its length, its SHA-256 when the store verified one on upload, its version. */
  describe(
    object: EvidenceObject,
  ): Promise<{ size: number; sha256?: string; versionId?: string } | undefined>;
  /** The first bytes of the content (a ranged read: enough to recognise its type). */
  readStart(object: EvidenceObject, bytes: number): Promise<Uint8Array>;
  /** The SHA-256 of the whole content, base64, computed by reading it through. */
  digest(object: EvidenceObject): Promise<string>;
  /** Keeps the object at least until the instant (sets or extends its lock; never shortens one). */
  retain(object: EvidenceObject, until: Date): Promise<void>;
  /** Deletes the object (a rejected file; never one under a lock). */
  remove(object: EvidenceObject): Promise<void>;
}
