import type { Dependencies } from "./dependencies";

/** Complaints older than this that are still `received` lost their workflow start. */
export const RECONCILE_AFTER_MS = 60_000;

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/**
 * The safety net behind the stream: starts the workflow of every complaint stored but still `received`
 * a minute later (its `ComplaintReceived` start went to the dead-letter queue, or the stream consumer is
 * stuck). StartExecution is idempotent for the same name and input, so a start the stream makes as well
 * changes nothing.
 */
export const reconcile = async (
  deps: Pick<Dependencies, "readModels" | "workflow" | "clock" | "log">,
): Promise<{ started: string[] }> => {
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
      deps.log.warn("reconciler could not start a workflow", {
        complaintId: complaint.id,
        error: (e as Error).name,
      });
    }
  }
  if (started.length > 0) deps.log.warn("reconciler started stranded workflows", { count: started.length });
  return { started };
};
