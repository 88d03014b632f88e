import type { Complaint } from "../domain/complaint";
import { commitChange } from "./commit";
import type { Dependencies } from "./dependencies";

const SYSTEM = { kind: "system" as const, component: "recovery" };

export interface RecoveryReport {
  /** Open complaints handed a fresh execution (its first step re-registers the task). */
  restarted: string[];
  /** Complaints whose execution could not be started: marked `needs_attention` for an operator. */
  flagged: string[];
  /** Complaints already waiting for an operator (`needs_attention`): left as they are. */
  awaitingOperator: string[];
}

/** Every open complaint of the given teams, from the sparse queue index (closed ones are not in it). */
export async function* openComplaints(
  teams: readonly string[],
  deps: Pick<Dependencies, "readModels">,
): AsyncGenerator<Complaint> {
  for (const team of teams) {
    let cursor: string | undefined;
    do {
      const page = await deps.readModels.queue(team, { limit: 100, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.cursor;
    } while (cursor);
  }
}

/**
 * After a restart of an engine that keeps its executions in memory (the embedded target on on-disk
 * data), every open complaint would wait for a workflow that no longer exists. This gives each one that
 * is not `needs_attention` a fresh execution — named as its last one was, `<id>` or `<id>-r<N>` — after
 * dropping the dead task token (so a staff action waits for the new one instead of using the old).
 * The workflow's first step is idempotent for a complaint already in progress and re-registers the task.
 * A complaint whose execution cannot be started is flagged `needs_attention`: never silently lost.
 */
export const recoverWorkflows = async (
  teams: readonly string[],
  deps: Dependencies,
): Promise<RecoveryReport> => {
  const report: RecoveryReport = { restarted: [], flagged: [], awaitingOperator: [] };
  for await (const open of openComplaints(teams, deps)) {
    if (open.status === "needs_attention") {
      report.awaitingOperator.push(open.id);
      continue;
    }
    try {
      // The dead token goes first (a change with no events).
      const { complaint } = await commitChange(
        { complaintId: open.id, plan: () => ({ kind: "apply", task: "clear" }) },
        deps,
      );
      await deps.workflow.start(complaint.id, complaint.resumes);
      report.restarted.push(complaint.id);
    } catch (e) {
      deps.log.error("workflow not recovered; flagging the complaint", {
        complaintId: open.id,
        error: (e as Error).name,
      });
      await commitChange(
        {
          complaintId: open.id,
          plan: () => ({
            kind: "apply",
            command: { type: "mark_needs_attention", actor: SYSTEM, reason: "WorkflowNotRecovered" },
            task: "clear",
          }),
        },
        deps,
      );
      report.flagged.push(open.id);
    }
  }
  if (report.restarted.length + report.flagged.length > 0) {
    deps.log.warn("workflows recovered after a restart", {
      restarted: report.restarted.length,
      flagged: report.flagged.length,
      awaitingOperator: report.awaitingOperator.length,
    });
  }
  return report;
};
