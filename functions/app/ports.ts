import type { Complaint, DomainEvent, Status, TaskStage } from "../domain/complaint";
import type { IntakeResponse } from "../domain/schemas";
import type { ManagerNotice } from "./notifications";

/** An audit event as stored: the domain event plus its place in the hash chain. */
export interface AuditEvent extends DomainEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The callback stage a complaint is waiting in, with the token that resumes it (server side only). */
export interface PendingTask {
  stage: TaskStage;
  token: string;
  since: string;
}

export interface StoredComplaint {
  complaint: Complaint;
  task?: PendingTask;
}

export interface IdempotencyRecord {
  channel: string;
  key: string;
  requestHash: string;
  complaintId: string;
  response: IntakeResponse;
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

/** The complaint store. Every write that must land together lands in one transaction. */
export interface ComplaintStore {
  nextReferenceSequence(localDate: string): Promise<number>;
  /** Creates the complaint, its first events and the idempotency record; `false` if the key is taken. */
  create(input: {
    complaint: Complaint;
    events: DomainEvent[];
    idempotency: IdempotencyRecord;
    idempotencyExpiresAt: Date;
  }): Promise<boolean>;
  getIdempotency(channel: string, key: string): Promise<IdempotencyRecord | undefined>;
  get(id: string): Promise<StoredComplaint | undefined>;
  /**
   * Stores a new version with its events (throws ConcurrentUpdateError if the condition no longer holds).
   * `task: null` clears the pending task; undefined leaves it as it is.
   */
  save(input: {
    after: Complaint;
    events: DomainEvent[];
    condition: SaveCondition;
    task?: null;
  }): Promise<Complaint>;
  /** Records the token of a callback stage; false when the complaint is no longer in a stage that waits. */
  registerTask(id: string, task: PendingTask): Promise<boolean>;
  audit(id: string): Promise<AuditEvent[]>;
  queue(
    team: string,
    page: { limit: number; cursor?: string; filter?: QueueFilter },
  ): Promise<{ items: Complaint[]; cursor?: string }>;
  /** A customer's complaints, newest first (from the customer index). */
  customerComplaints(customerId: string, limit: number): Promise<Complaint[]>;
  /** Complaints still `received` (workflow not started) that arrived before an instant. */
  receivedBefore(instant: Date, months: string[]): Promise<Complaint[]>;
  /** Complaints received in [from, to), read from the month index (reports; never a Scan). */
  receivedBetween(from: Date, to: Date): Promise<Complaint[]>;
}

/** The workflow engine (Step Functions, or the embedded engine behind the same API). */
export interface WorkflowEngine {
  start(complaintId: string): Promise<void>;
  /** Resumes a callback task. 'stale' when the token timed out, was replaced or never existed. */
  resume(token: string, output: unknown): Promise<"resumed" | "stale">;
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
 * Where SLA metrics go: every stored change reports its complaint and the domain events it produced.
 * The adapter turns them into CloudWatch Embedded Metric Format lines (Powertools Metrics).
 */
export interface MetricsSink {
  record(complaint: Complaint, events: readonly DomainEvent[], now: Date): void;
}

/** Where notices to managers go (SNS topic on AWS, kept and shown on the embedded target). */
export interface Notifier {
  notify(notices: readonly ManagerNotice[]): Promise<void>;
}
