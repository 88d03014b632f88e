import type { Complaint, DomainEvent } from "../domain/complaint";
import { integrationEventsFor } from "../domain/integration-events";
import type { CustomerNotice } from "../domain/notices";
import type { Dependencies } from "./dependencies";
import { noticesFor } from "./notifications";

/**
 * What follows every stored change: its metrics, and the notices it calls for. A notice that cannot be
 * sent is logged, not retried into a second state change: the audit trail already holds the event.
 *
 * Integration events and customer notices go to the bus after the change is stored. The notices are in
 * the table already (and on `GET /complaints/{id}/notices`); a failed delivery is logged with ids and
 * kinds only — the notices' text holds personal data.
 */
export const afterChange = async (
  complaint: Complaint,
  events: readonly DomainEvent[],
  now: Date,
  deps: Dependencies,
  /** Customer notices stored with the change (see `withCustomerNotices`), handed to the messaging service. */
  customerNotices: readonly CustomerNotice[] = [],
): Promise<void> => {
  if (events.length === 0) return;
  deps.metrics.record(complaint, events, now);
  const integration = integrationEventsFor(complaint, events);
  const managerNotices = noticesFor(complaint, events);
  /** One delivery, when there is something to deliver; its failure is logged, never thrown. */
  const deliver = async <T>(
    items: readonly T[],
    send: (items: readonly T[]) => Promise<void>,
    failure: string,
    ids: (items: readonly T[]) => Record<string, string>,
  ): Promise<void> => {
    if (items.length === 0) return;
    try {
      await send(items);
    } catch (e) {
      deps.log.error(failure, { complaintId: complaint.id, ...ids(items), error: (e as Error).name });
    }
  };
  // Three independent deliveries, each logging its own failure: side by side, not one after another.
  await Promise.all([
    deliver(
      integration,
      (items) => deps.events.publish(items),
      "integration events not published",
      (items) => ({ eventIds: items.map((i) => i.eventId).join(",") }),
    ),
    deliver(
      customerNotices,
      (items) => deps.customerNotifier.send(items),
      "customer notice not handed to the messaging service",
      (items) => ({ noticeIds: items.map((n) => n.noticeId).join(",") }),
    ),
    deliver(
      managerNotices,
      (items) => deps.notifier.notify(items),
      "manager notice not sent",
      (items) => ({ kinds: items.map((n) => n.kind).join(",") }),
    ),
  ]);
};
