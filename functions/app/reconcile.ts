import { redeliver } from "./deliveries";
import type { Dependencies } from "./dependencies";

/** Complaints older than this that are still `received` lost their workflow start. */
export const RECONCILE_AFTER_MS = 60_000;

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/**
 * Mends what a change's side effects left undone: starts the workflow of every complaint stored but never
 * started (intake answered 503, or crashed between the store and the start; StartExecution is idempotent
 * for the same name and input), then redelivers the messages the bus or the alerts topic refused.
 */
export const reconcile = async (
  deps: Dependencies,
): Promise<{ started: string[]; redelivered: number; stillParked: number }> => {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - RECONCILE_AFTER_MS);
  const previousMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const stuck = await deps.readModels.receivedBefore(cutoff, [monthKey(previousMonth), monthKey(now)]);
  const started: string[] = [];
  for (const complaint of stuck) {
    try {
      await deps.workflow.start(complaint.id);
      started.push(complaint.id);
    } catch (e) {
      deps.log.warn("reconciler could not start a workflow", { complaintId: complaint.id, error: String(e) });
    }
  }
  if (started.length > 0) deps.log.warn("reconciler started stranded workflows", { count: started.length });
  return { started, ...(await redeliver(deps)) };
};
