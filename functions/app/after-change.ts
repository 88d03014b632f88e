import type { Complaint, DomainEvent } from "../domain/complaint";
import { integrationEventsFor } from "../domain/integration-events";
import type { CustomerNotice } from "../domain/notices";
import type { Dependencies } from "./dependencies";
import { noticesFor } from "./notifications";

/**
 * What follows every stored change: its metrics, and the notices it calls for. A notice that cannot be
 * sent is logged, not retried into a second state change: the audit trail already holds the event.
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
  // Three independent deliveries, each logging its own failure: side by side, not one after another.
  await Promise.all([
    publishIntegrationEvents(complaint, events, deps),
    handCustomerNotices(complaint, customerNotices, deps),
    notifyManagers(complaint, events, deps),
  ]);
};

const notifyManagers = async (
  complaint: Complaint,
  events: readonly DomainEvent[],
  deps: Dependencies,
): Promise<void> => {
  const notices = noticesFor(complaint, events);
  if (notices.length === 0) return;
  try {
    await deps.notifier.notify(notices);
  } catch (e) {
    deps.log.error("manager notice not sent", {
      complaintId: complaint.id,
      kinds: notices.map((n) => n.kind).join(","),
      error: (e as Error).name,
    });
  }
};

/**
 * Integration events and customer notices go to the bus after the change is stored. The notices are in
 * the table already (and on `GET /complaints/{id}/notices`); a failed publication is logged with ids and
 * kinds only — the notices' text holds personal data.
 */
const publishIntegrationEvents = async (
  complaint: Complaint,
  events: readonly DomainEvent[],
  deps: Dependencies,
): Promise<void> => {
  const integration = integrationEventsFor(complaint, events);
  if (integration.length === 0) return;
  try {
    await deps.events.publish(integration);
  } catch (e) {
    deps.log.error("integration events not published", {
      complaintId: complaint.id,
      eventIds: integration.map((i) => i.eventId).join(","),
      error: (e as Error).name,
    });
  }
};

const handCustomerNotices = async (
  complaint: Complaint,
  notices: readonly CustomerNotice[],
  deps: Dependencies,
): Promise<void> => {
  if (notices.length === 0) return;
  try {
    await deps.customerNotifier.send(notices);
  } catch (e) {
    deps.log.error("customer notice not handed to the messaging service", {
      complaintId: complaint.id,
      noticeIds: notices.map((n) => n.noticeId).join(","),
      error: (e as Error).name,
    });
  }
};
