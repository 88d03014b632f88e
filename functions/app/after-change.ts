import type { Complaint, DomainEvent } from "../domain/complaint";
import { integrationEventsFor } from "../domain/integration-events";
import type { CustomerNotice } from "../domain/notices";
import { deliver } from "./deliveries";
import type { Dependencies } from "./dependencies";
import { noticesFor } from "./notifications";

/**
 * What follows every stored change: its metrics, and the messages it calls for — integration events and
 * customer notices to the bus, manager notices to the alerts topic. A refused delivery is parked in the
 * store for the reconciler to redeliver (see `deliver`), never retried into a second state change: the
 * audit trail and the notice items already hold what happened.
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
  await deliver(
    complaint,
    [
      { target: "integration_events", events: integrationEventsFor(complaint, events) },
      { target: "customer_notices", notices: customerNotices },
      { target: "manager_notices", notices: noticesFor(complaint, events) },
    ],
    now,
    deps,
  );
};
