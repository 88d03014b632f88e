import type { Complaint, DomainEvent } from "../domain/complaint";
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
): Promise<void> => {
  if (events.length === 0) return;
  deps.metrics.record(complaint, events, now);
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
