import type { Complaint, DomainEvent } from "../domain/complaint";
import { integrationEventsByEvent } from "../domain/integration-events";
import { metricsOf } from "../domain/metrics";
import { noticesFor } from "./notifications";
import type { EventDeliveries } from "./ports";

/**
 * What each event of a change hands over (the transactional outbox), computed from the complaint as the
 * change stores it, when the change is committed: the workflow execution to start, the integration events
 * for the bus, the notices for managers, the metric data points. Pure; the repository writes the result on
 * the events' own audit items, and the stream consumers deliver exactly what was computed here.
 */
export const deliveriesOf = (after: Complaint, events: readonly DomainEvent[]): EventDeliveries[] => {
  const integration = integrationEventsByEvent(after, events);
  return events.map((event, i) => {
    const integrationEvents = integration[i] ?? [];
    const managerNotices = noticesFor(after, [event]);
    const metrics = metricsOf(after, [event]);
    const startExecution =
      event.type === "ComplaintReceived" ? 0 : event.type === "Resumed" ? event.data.attempt : undefined;
    return {
      ...(startExecution !== undefined ? { startExecution } : {}),
      ...(integrationEvents.length ? { integrationEvents } : {}),
      ...(managerNotices.length ? { managerNotices } : {}),
      ...(metrics.length ? { metrics } : {}),
    };
  });
};
