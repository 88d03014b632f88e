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
  deps: Pick<Dependencies, "readModels" | "complaints" | "workflow" | "executions" | "clock" | "log">,
): Promise<{ started: string[]; redriven: string[] }> => {
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
  return { started, redriven: await redriveFailed(deps) };
};

/** Redrives of one execution before the reconciler leaves it to an operator (the alarm has fired by then). */
export const MAX_REDRIVES = 10;

/**
 * The second net: an execution that failed because even *Mark needs attention* could not reach the store
 * (a long outage) leaves its complaint open but no longer in any workflow. Once the store answers, each
 * such execution is redriven (Step Functions' RedriveExecution: it restarts at the step that failed, with
 * its input), so the complaint ends flagged `needs_attention` — never silently stuck. Only the complaint's
 * current execution is redriven (an older one an operator's resume replaced stays as it is), and only
 * while the complaint is neither flagged nor closed: a flagged complaint's execution fails on purpose.
 */
const redriveFailed = async (
  deps: Pick<Dependencies, "complaints" | "executions" | "log">,
): Promise<string[]> => {
  const redriven: string[] = [];
  let failed: Awaited<ReturnType<Dependencies["executions"]["failedExecutions"]>>;
  try {
    failed = await deps.executions.failedExecutions();
  } catch (e) {
    deps.log.warn("reconciler could not list failed executions", { error: (e as Error).name });
    return redriven;
  }
  for (const execution of failed) {
    try {
      const complaint = (await deps.complaints.get(execution.complaintId))?.complaint;
      if (!complaint || complaint.status === "needs_attention" || complaint.status === "closed") continue;
      if (execution.attempt !== (complaint.resumes ?? 0)) continue;
      if (execution.redriveCount >= MAX_REDRIVES) {
        deps.log.error("execution failed after every redrive: an operator must look", {
          complaintId: complaint.id,
          redriveCount: execution.redriveCount,
        });
        continue;
      }
      if ((await deps.executions.redrive(execution.executionArn)) === "redriven") redriven.push(complaint.id);
    } catch (e) {
      // The store is still down (reading the complaint failed), or the engine is: the next run tries again.
      deps.log.warn("reconciler could not redrive an execution", {
        complaintId: execution.complaintId,
        error: (e as Error).name,
      });
    }
  }
  if (redriven.length > 0) deps.log.warn("reconciler redrove failed executions", { count: redriven.length });
  return redriven;
};
