import { analyticsRecordOf } from "../domain/analytics";
import type { DeliveryDependencies } from "./dependencies";
import type { EventDeliveries, StoredNotice } from "./ports";

/*
 * Delivery from the table's change stream (the transactional outbox). Every committed change's audit
 * events carry what they hand over (see outbox.ts), and its notices are items of their own; the stream
 * brings them here at least once, in order per complaint. One consumer per destination keeps each
 * Lambda's bundle to one SDK client; every consumer is idempotent:
 * - starting an execution: the name is stable (`<id>`, `<id>-r<N>`) and Step Functions answers a second
 *   start of the same name and input with the running execution (or ExecutionAlreadyExists once it ended);
 * - integration events carry stable ids (`eventId`) that consumers de-duplicate on;
 * - customer notices are checked against the ledger before sending and recorded after, so a redelivered
 *   record does not send a letter twice (only a crash between sending and recording can);
 * - manager notices and metrics may repeat on a redelivery (rare: only a failed batch is redelivered).
 */

/**
 * One record of the stream as a consumer sees it (the adapter parses and validates the item): an audit
 * event's place in its complaint's trail and what it hands over to this consumer, or a customer notice.
 */
export type StreamMessage =
  | { kind: "event"; complaintId: string; seq: number; deliveries: EventDeliveries }
  | { kind: "notice"; complaintId: string; notice: StoredNotice };

/** A raw stream record, opaque here: its position, its complaint, and a way to read it. */
export interface StreamRecord {
  sequenceNumber: string;
  /** The complaint the record belongs to (records of one complaint are delivered in order). */
  complaintId: string;
  /** Parses the record; throws for one that cannot be read (it then fails, blocking its complaint only). */
  read(): StreamMessage;
}

/** Complaints whose records a batch delivers side by side (records of one complaint never overlap). */
const PARALLEL_COMPLAINTS = 8;

/**
 * Delivers a batch in order per complaint: the records of one complaint one after another, different
 * complaints side by side. When a record fails, the complaint's later records in the batch are not
 * delivered (they wait behind it) and other complaints go on. Answers the failed records' sequence numbers:
 * the stream retries from the lowest of them (redelivering what came after, which is why every consumer
 * is idempotent), and after its retries sends the batch to the dead-letter queue.
 */
export const deliverInOrder = async (
  records: readonly StreamRecord[],
  deliver: (message: StreamMessage) => Promise<void>,
  log: DeliveryDependencies["log"],
  /**
   * What a record that cannot be read does: fail (retried, then dead-lettered, holding its complaint's
   * later records), or be skipped and logged — for a consumer whose redeliveries would do harm of their own
   * (metrics: every retry of a batch would count the rest of the batch again).
   */
  unreadable: "fail" | "skip" = "fail",
): Promise<string[]> => {
  const byComplaint = new Map<string, StreamRecord[]>();
  for (const r of records) byComplaint.set(r.complaintId, [...(byComplaint.get(r.complaintId) ?? []), r]);
  const queue = [...byComplaint.values()];
  const failed: string[] = [];
  const worker = async () => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const record of group) {
        let message: StreamMessage;
        try {
          message = record.read();
        } catch (e) {
          if (unreadable === "skip") {
            log.error("stream record cannot be read; skipped", {
              complaintId: record.complaintId,
              sequenceNumber: record.sequenceNumber,
              error: (e as Error | undefined)?.name ?? "unknown",
            });
            continue;
          }
          failed.push(record.sequenceNumber);
          log.error("stream record cannot be read; the complaint's later records wait behind it", {
            complaintId: record.complaintId,
            sequenceNumber: record.sequenceNumber,
            error: (e as Error | undefined)?.name ?? "unknown",
          });
          break;
        }
        try {
          await deliver(message);
        } catch (e) {
          failed.push(record.sequenceNumber);
          log.error("stream record not delivered; the complaint's later records wait behind it", {
            complaintId: record.complaintId,
            sequenceNumber: record.sequenceNumber,
            held: group.length - group.indexOf(record) - 1,
            error: (e as Error | undefined)?.name ?? "unknown",
          });
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_COMPLAINTS, queue.length) }, worker));
  return failed;
};

/** Starts the workflow execution a `ComplaintReceived` (or an operator's `Resumed`) calls for. */
export const startWorkflows =
  (deps: Pick<DeliveryDependencies, "workflow" | "log">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind !== "event" || m.deliveries.startExecution === undefined) return;
    await deps.workflow.start(m.complaintId, m.deliveries.startExecution);
  };

/** Puts a change's integration events, and the customer notices it stored, on the bus. */
export const publishToBus =
  (deps: Pick<DeliveryDependencies, "events" | "customerNotifier" | "noticeLedger" | "clock" | "log">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind === "event") {
      if (m.deliveries.integrationEvents?.length) await deps.events.publish(m.deliveries.integrationEvents);
      return;
    }
    const { seq, deliveredAt: _deliveredAt, ...notice } = m.notice;
    if (await deps.noticeLedger.delivered(m.complaintId, seq)) return;
    await deps.customerNotifier.send([notice]);
    await deps.noticeLedger.markDelivered(m.complaintId, seq, deps.clock.now());
  };

/** Sends the notices to managers a change called for (warnings, escalations, statutory breaches). */
export const notifyManagers =
  (deps: Pick<DeliveryDependencies, "notifier">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind === "event" && m.deliveries.managerNotices?.length)
      await deps.notifier.notify(m.deliveries.managerNotices);
  };

/** Emits the metric data points a change's events call for (CloudWatch EMF). */
export const recordMetrics =
  (deps: Pick<DeliveryDependencies, "metrics">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind === "event" && m.deliveries.metrics?.length) deps.metrics.emit(m.deliveries.metrics);
  };

/**
 * Keeps the report aggregates: the change's report facts replace the complaint's contribution (one
 * transaction, conditional on the contribution read; a redelivered or older event changes nothing).
 */
export const maintainReports =
  (deps: Pick<DeliveryDependencies, "reports" | "clock">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind !== "event" || !m.deliveries.reportFacts) return;
    await deps.reports.apply(m.complaintId, m.seq, m.deliveries.reportFacts, deps.clock.now());
  };

/** Writes each change's row to the analysts' projection (ids, codes, timings: no personal data). */
export const projectForAnalytics =
  (deps: Pick<DeliveryDependencies, "analytics">) =>
  async (m: StreamMessage): Promise<void> => {
    if (m.kind !== "event" || !m.deliveries.reportFacts) return;
    await deps.analytics.put(analyticsRecordOf(m.complaintId, m.seq, m.deliveries.reportFacts));
  };
