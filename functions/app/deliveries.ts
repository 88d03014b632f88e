import type { Complaint } from "../domain/complaint";
import type { IntegrationEvent } from "../domain/integration-events";
import type { CustomerNotice } from "../domain/notices";
import type { Dependencies } from "./dependencies";
import type { ManagerNotice } from "./notifications";
import type { ParkedDelivery } from "./ports";

/** What one stored change hands over, per destination. */
export type Outgoing =
  | { target: "integration_events"; events: readonly IntegrationEvent[] }
  | { target: "customer_notices"; notices: readonly CustomerNotice[] }
  | { target: "manager_notices"; notices: readonly ManagerNotice[] };

/** Parked deliveries one reconciler run retries at most (the rest wait for the next run). */
export const REDELIVERY_BATCH = 100;

type Sender = Pick<Dependencies, "events" | "customerNotifier" | "notifier" | "metrics">;

const send = (deps: Sender, out: Outgoing): Promise<void> => {
  switch (out.target) {
    case "integration_events":
      return deps.events.publish(out.events);
    case "customer_notices":
      return deps.customerNotifier.send(out.notices);
    case "manager_notices":
      return deps.notifier.notify(out.notices);
  }
};

/** Ids for the log: never the notices' text, which holds personal data. */
const idsOf = (out: Outgoing): Record<string, string> => {
  switch (out.target) {
    case "integration_events":
      return { eventIds: out.events.map((e) => e.eventId).join(",") };
    case "customer_notices":
      return { noticeIds: out.notices.map((n) => n.noticeId).join(",") };
    case "manager_notices":
      return { kinds: out.notices.map((n) => n.kind).join(",") };
  }
};

const sizeOf = (out: Outgoing) => (out.target === "integration_events" ? out.events : out.notices).length;

const parkedFrom = (complaint: Complaint, out: Outgoing, at: string): ParkedDelivery => {
  const base = {
    complaintId: complaint.id,
    version: complaint.version,
    parkedAt: at,
    attempts: 1,
    lastAttemptAt: at,
  };
  switch (out.target) {
    case "integration_events":
      return { ...base, target: out.target, events: [...out.events] };
    case "customer_notices":
      return { ...base, target: out.target, noticeIds: out.notices.map((n) => n.noticeId) };
    case "manager_notices":
      return { ...base, target: out.target, notices: [...out.notices] };
  }
};

/**
 * Hands a stored change's messages to the bus and the alerts topic, side by side. A refusal never fails
 * the change (it is stored): the delivery is parked in the store and the reconciler redelivers it. Only
 * if the store refuses that too is the delivery lost, and the log says so, with ids only.
 */
export const deliver = async (
  complaint: Complaint,
  outgoing: readonly Outgoing[],
  now: Date,
  deps: Sender & Pick<Dependencies, "deliveries" | "log">,
): Promise<void> => {
  await Promise.all(
    outgoing
      .filter((out) => sizeOf(out) > 0)
      .map(async (out) => {
        try {
          await send(deps, out);
        } catch (e) {
          const context = { complaintId: complaint.id, target: out.target, ...idsOf(out) };
          try {
            await deps.deliveries.park(parkedFrom(complaint, out, now.toISOString()));
            deps.metrics.count("DeliveriesParked", now);
            deps.log.warn("delivery refused; parked for redelivery", {
              ...context,
              error: (e as Error).name,
            });
          } catch (parkError) {
            deps.log.error("delivery lost: refused, and could not be parked", {
              ...context,
              error: (e as Error).name,
              parkError: (parkError as Error).name,
            });
          }
        }
      }),
  );
};

/** A parked delivery as it goes out again; customer notices are read back by id, from the store. */
const outgoingOf = async (d: ParkedDelivery, deps: Pick<Dependencies, "readModels">): Promise<Outgoing> => {
  switch (d.target) {
    case "integration_events":
      return { target: d.target, events: d.events };
    case "manager_notices":
      return { target: d.target, notices: d.notices };
    case "customer_notices": {
      const wanted = new Set(d.noticeIds);
      const notices = (await deps.readModels.notices(d.complaintId)).filter((n) => wanted.has(n.noticeId));
      return { target: d.target, notices: notices.map(({ seq: _seq, ...notice }) => notice) };
    }
  }
};

/**
 * Retries the parked deliveries, oldest first: each one that goes through is unparked; one refused again
 * stays, with its attempts counted. Delivery is at least once: consumers key on `eventId` / `noticeId`,
 * and a redelivered event may arrive after a later one (its `complaintVersion` orders them).
 */
export const redeliver = async (
  deps: Sender & Pick<Dependencies, "deliveries" | "readModels" | "log" | "clock">,
): Promise<{ redelivered: number; stillParked: number }> => {
  const parked = await deps.deliveries.parked(REDELIVERY_BATCH);
  let redelivered = 0;
  let stillParked = 0;
  // A destination that refused once in this run is not tried again in it: an outage costs one refused
  // call per destination a run, not one per parked delivery (the run stays well inside its timeout).
  const down = new Set<ParkedDelivery["target"]>();
  for (const d of parked) {
    if (down.has(d.target)) {
      stillParked++;
      continue;
    }
    try {
      await send(deps, await outgoingOf(d, deps));
    } catch (e) {
      stillParked++;
      down.add(d.target);
      deps.metrics.count("RedeliveriesRefused", deps.clock.now());
      await deps.deliveries.stillParked(d, deps.clock.now());
      deps.log.error("parked delivery refused again", {
        complaintId: d.complaintId,
        version: d.version,
        target: d.target,
        attempts: d.attempts + 1,
        parkedAt: d.parkedAt,
        error: (e as Error).name,
      });
      continue;
    }
    await deps.deliveries.unpark(d);
    redelivered++;
  }
  if (redelivered > 0) deps.log.warn("parked deliveries redelivered", { count: redelivered });
  return { redelivered, stillParked };
};
