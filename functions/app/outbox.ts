import { retainUntilOf } from "../domain/attachments";
import type { Complaint, DomainEvent } from "../domain/complaint";
import { integrationEventsByEvent } from "../domain/integration-events";
import { metricsOf } from "../domain/metrics";
import { reportFactsOf } from "../domain/report-aggregates";
import { noticesFor } from "./notifications";
import type { EventDeliveries, EvidenceInstruction } from "./ports";

/**
 * What each event of a change hands over (the transactional outbox), computed from the complaint as the
 * change stores it, when the change is committed: the workflow execution to start, the integration events
 * for the bus, the notices for managers, the metric data points. Pure; the repository writes the result on
 * the events' own audit items, and the stream consumers deliver exactly what was computed here.
 */
export const deliveriesOf = (after: Complaint, events: readonly DomainEvent[]): EventDeliveries[] => {
  const integration = integrationEventsByEvent(after, events);
  // The change's last event carries the complaint's report facts: one aggregate update per change.
  const reportFacts = events.length ? reportFactsOf(after) : undefined;
  return events.map((event, i) => {
    const integrationEvents = integration[i] ?? [];
    const managerNotices = noticesFor(after, [event]);
    const metrics = metricsOf(after, [event]);
    const evidence = evidenceOf(after, event);
    const startExecution =
      event.type === "ComplaintReceived" ? 0 : event.type === "Resumed" ? event.data.attempt : undefined;
    return {
      ...(startExecution !== undefined ? { startExecution } : {}),
      ...(integrationEvents.length ? { integrationEvents } : {}),
      ...(managerNotices.length ? { managerNotices } : {}),
      ...(metrics.length ? { metrics } : {}),
      ...(evidence.length ? { evidence } : {}),
      ...(reportFacts && i === events.length - 1 ? { reportFacts } : {}),
    };
  });
};

/**
 * What the evidence store must do for one event: lock a file that became available (until its period
 * runs out), delete a rejected one, and at closure extend every available file's lock to the closure
 * plus the jurisdiction's period (retention counts from closure; a lock is only ever extended).
 */
const evidenceOf = (after: Complaint, event: DomainEvent): EvidenceInstruction[] => {
  const attachments = after.attachments ?? [];
  const version = (id: string) => {
    const versionId = attachments.find((a) => a.id === id)?.versionId;
    return versionId ? { versionId } : {};
  };
  switch (event.type) {
    case "AttachmentAvailable":
      return [
        {
          action: "retain",
          attachmentId: event.data.attachmentId,
          ...version(event.data.attachmentId),
          retainUntil: event.data.retainUntil,
        },
      ];
    case "AttachmentRejected":
      return [
        { action: "remove", attachmentId: event.data.attachmentId, ...version(event.data.attachmentId) },
      ];
    case "Closed": {
      const retainUntil = retainUntilOf(after, new Date(event.at)).toISOString();
      return attachments
        .filter((a) => a.status === "available")
        .map((a) => ({ action: "retain", attachmentId: a.id, ...version(a.id), retainUntil }));
    }
    default:
      return [];
  }
};
