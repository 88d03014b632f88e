import { NEXT, type WorkflowState } from "../../workflows/contract";
import type { Complaint } from "../domain/complaint";
import { currentPlan } from "../domain/lifecycle";
import { nextCheckpoint, type SlaPolicy, secondsUntil } from "../domain/sla";

/**
 * Where the workflow goes from here and how long that stage may wait, decided from the stored complaint
 * (the single source of truth) — the same answer whether a step or a person's decision asks.
 */
export const workflowStateOf = (
  stored: Complaint,
  now: Date,
  policies: Readonly<Record<string, SlaPolicy>>,
): WorkflowState => {
  // While a pause is open the deadlines move on with it: wake at where they stand now, not where they stood.
  const c = currentPlan(stored, { now, policies });
  const state = (next: WorkflowState["next"], until?: string | Date): WorkflowState => ({
    complaintId: c.id,
    next,
    timeoutSeconds: until ? secondsUntil(new Date(until), now) : 1,
  });
  switch (c.status) {
    case "received":
    case "in_progress":
      return state(NEXT.waitForStaff, nextCheckpoint(c, now).at);
    case "awaiting_customer": {
      // Wake at the reply deadline, or earlier if a statutory deadline falls due meanwhile.
      const checkpoint = nextCheckpoint(c, now);
      const replyBy = Date.parse(c.pendingQuestion?.replyBy ?? c.sla.resolveBy);
      const wake =
        checkpoint.kind === "statutory_breach" ? Math.min(replyBy, checkpoint.at.getTime()) : replyBy;
      return state(NEXT.waitForCustomer, new Date(wake));
    }
    case "awaiting_feedback":
      return state(NEXT.askForFeedback, c.feedbackDueBy);
    case "closed":
      return state(NEXT.close);
    case "needs_attention":
      return state(NEXT.needsAttention);
  }
};
