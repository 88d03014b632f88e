import type { Clock } from "../domain/clock";
import type { Channel, Jurisdiction } from "../domain/codes";
import type { RoutingTable } from "../domain/routing";
import type { SlaPolicy } from "../domain/sla";
import type {
  ComplaintRepository,
  CustomerNotifier,
  DeliveryStore,
  EventPublisher,
  MetricsSink,
  Notifier,
  ReadModels,
  WorkflowEngine,
} from "./ports";

/** The structured log the use cases write to (Powertools Logger in every target). */
export interface Log {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Everything a use case needs, passed in: ports, clock, and the rule data it runs under. */
export interface Dependencies {
  /** The complaint aggregate (read one, create, change). */
  complaints: ComplaintRepository;
  /** Queues, customer history, the month index and each complaint's trail. */
  readModels: ReadModels;
  /** What a change could not hand over, kept for redelivery. */
  deliveries: DeliveryStore;
  workflow: WorkflowEngine;
  clock: Clock;
  newId: () => string;
  routing: RoutingTable;
  /** The policy new complaints run under. */
  policy: SlaPolicy;
  /** Every policy version still in force for open complaints. */
  policies: Readonly<Record<string, SlaPolicy>>;
  channelApiKeys: Record<string, Channel>;
  defaultJurisdiction?: Jurisdiction;
  log: Log;
  metrics: MetricsSink;
  notifier: Notifier;
  /** Customer notices (EventBridge `CustomerNoticeRequested`). */
  customerNotifier: CustomerNotifier;
  /** Integration events for the CRM and the rest of the bank (EventBridge). */
  events: EventPublisher;
}

/**
 * What the read-only use cases (queries, reports, notices, history, audit verification) need. Their
 * handlers are wired with this alone, so their bundles carry no workflow, SNS or EventBridge client.
 */
export type ReadDependencies = Pick<
  Dependencies,
  "complaints" | "readModels" | "clock" | "log" | "channelApiKeys"
>;
