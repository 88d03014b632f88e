import type { AttachmentCheck } from "../domain/attachments";
import type { Clock } from "../domain/clock";
import type { Channel, Jurisdiction } from "../domain/codes";
import type { RoutingTable } from "../domain/routing";
import type { SlaPolicy } from "../domain/sla";
import type { CalendarSource } from "./calendars";
import type {
  AnalyticsProjection,
  CalendarStore,
  ComplaintReader,
  ComplaintRepository,
  CustomerNotifier,
  EventPublisher,
  EvidenceStore,
  ExecutionRedriver,
  MetricsSink,
  NoticeLedger,
  Notifier,
  ReadModels,
  ReportAggregates,
  WorkflowEngine,
} from "./ports";
import type { ReferenceAllocator } from "./references";

/** The structured log the use cases write to (Powertools Logger in every target). */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Everything a use case that changes complaints needs, passed in: ports, clock, and the rule data. */
export interface Dependencies {
  /** The complaint aggregate (read one, create, change). */
  complaints: ComplaintRepository;
  /** Queues, customer history, the month index and each complaint's trail. */
  readModels: ReadModels;
  /** Resumes a waiting task (staff and customer decisions); starts a stranded workflow (the reconciler). */
  workflow: WorkflowEngine;
  /** Failed executions to redrive (the reconciler). */
  executions: ExecutionRedriver;
  clock: Clock;
  newId: () => string;
  /** Complaint reference numbers, from blocks this container reserved. */
  references: ReferenceAllocator;
  routing: RoutingTable;
  /** A team's default region (ISO 3166-2), where intake names none: it picks the calendar (GB nations). */
  teamRegions: Readonly<Record<string, string>>;
  /** The calendars in force (shipped years plus loaded ones), refreshed before a deadline is computed. */
  calendars: CalendarSource;
  /** Operator-loaded calendar years, their load records and the recompute jobs. */
  calendarStore: CalendarStore;
  /** Wall-clock ms after a calendar load before its recompute job runs (every container has refreshed). */
  calendarJobDelayMs: number;
  /** The policy new complaints run under. */
  policy: SlaPolicy;
  /** Every policy version still in force for open complaints. */
  policies: Readonly<Record<string, SlaPolicy>>;
  channelApiKeys: Record<string, Channel>;
  defaultJurisdiction?: Jurisdiction;
  log: Log;
}

/**
 * What a lookup of one complaint needs (its channel's view, its attachments): the complaint reader, the
 * calendars its deadlines are shown on, clock, log. Its handlers carry no read models.
 */
export type LookupDependencies = Pick<Dependencies, "clock" | "log" | "channelApiKeys" | "calendars"> & {
  /** Reads of one complaint only: the commit path (transactions, hash chain, references) stays out. */
  complaints: ComplaintReader;
};

/**
 * What the read-only use cases (queries, reports, notices, history, audit verification) need. Their
 * handlers are wired with this alone, so their bundles carry the DynamoDB client and nothing else.
 */
export type ReadDependencies = LookupDependencies & Pick<Dependencies, "readModels">;

/**
 * What the reports and returns need: the reads and the report aggregates (every report reads these, never
 * the complaints). Apart from the reads so that a handler that answers no report carries no aggregate code.
 */
export type ReportDependencies = ReadDependencies & {
  reports: ReportAggregates;
};

/**
 * Where what a change calls for is delivered, from the table's change stream: one destination per stream
 * consumer, so each consumer's bundle holds one SDK client.
 */
export interface DeliveryDependencies {
  /** Starts executions (`ComplaintReceived`, `Resumed`). */
  workflow: WorkflowEngine;
  /** Integration events on the bus. */
  events: EventPublisher;
  /** Customer notices to the messaging service (the bus's `CustomerNoticeRequested`). */
  customerNotifier: CustomerNotifier;
  /** Which customer notices went out already, so a redelivered record does not send one twice. */
  noticeLedger: NoticeLedger;
  /** Manager notices (SNS). */
  notifier: Notifier;
  metrics: MetricsSink;
  /** The evidence store: locks available files, extends the locks at closure, deletes rejected files. */
  evidence: EvidenceStore;
  /** The report aggregates, maintained from every change's report facts. */
  reports: ReportAggregates;
  /** The analysts' projection of every change (no personal data). */
  analytics: AnalyticsProjection;
  clock: Clock;
  log: Log;
}

/** How attachments behave in this deployment. */
export interface AttachmentSettings {
  /** How long an upload URL is valid (minutes, as seconds). */
  uploadUrlSeconds: number;
  /** How long a download URL is valid. */
  downloadUrlSeconds: number;
  /** The checks a new file must pass: the content check everywhere, the malware scan where one runs (AWS). */
  requiredChecks: AttachmentCheck[];
}

/** What the attachment use cases need: the commit path's wiring, the evidence store and its settings. */
export type AttachmentDependencies = Dependencies & {
  evidence: EvidenceStore;
  attachments: AttachmentSettings;
};
