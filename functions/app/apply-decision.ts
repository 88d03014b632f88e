import type { Complaint } from "../domain/complaint";
import { STAGE_OF } from "../domain/complaint";
import { DomainError, IllegalTransitionError } from "../domain/errors";
import {
  ALLOWED,
  allowedStaffActions,
  type Command,
  RESUMES_WORKFLOW,
  transition,
} from "../domain/lifecycle";
import { withCustomerNotices } from "../domain/notices";
import { afterChange } from "./after-change";
import type { Dependencies } from "./dependencies";
import { ConcurrentUpdateError } from "./ports";
import { workflowStateOf } from "./workflow-steps";

/** How often, and how long apart, a callback retries while an SLA checkpoint is swapping the task token. */
const ATTEMPTS = 10;
const BACKOFF_MS = 100;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const conflict = (complaint: Complaint, code: string, message: string) =>
  new DomainError("conflict", code, message, {
    status: complaint.status,
    allowedActions: allowedStaffActions(complaint),
  });

/**
 * Applies a decision from a person (staff or the customer through their channel). The complaint item is
 * the single source of truth: the change and its audit events are written first — conditional on the
 * version read and, for decisions that move the workflow, on the pending task token — and only then is
 * the workflow resumed with that token. A checkpoint swapping the token in between is retried here,
 * bounded; a complaint that really left the stage answers 409 with its current status, nothing changed.
 */
export const applyDecision = async (
  input: {
    complaintId: string;
    /** Throws when the caller may not act on this complaint (403/404); called on every read. */
    authorize: (complaint: Complaint) => void;
    command: Command;
    teams?: readonly string[];
  },
  deps: Dependencies,
): Promise<{ complaint: Complaint; changed: boolean }> => {
  let complaint: Complaint | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const stored = await deps.store.get(input.complaintId);
    if (!stored) throw new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");
    complaint = stored.complaint;
    const { task } = stored;
    input.authorize(complaint);

    // Stored but its workflow not yet started: the staff stage is a moment away, as after a checkpoint.
    if (complaint.status === "received" && ALLOWED.in_progress.includes(input.command.type)) {
      await pause(BACKOFF_MS * attempt);
      continue;
    }

    const now = deps.clock.now();
    let result: ReturnType<typeof transition>;
    try {
      result = transition(complaint, input.command, {
        now,
        policies: deps.policies,
        ...(input.teams ? { teams: input.teams } : {}),
      });
    } catch (e) {
      if (e instanceof IllegalTransitionError) throw conflict(complaint, "ACTION_NOT_ALLOWED", e.message);
      throw e;
    }

    const resumes = RESUMES_WORKFLOW.has(input.command.type);
    const stage = STAGE_OF[complaint.status];
    if (resumes && (!task || task.stage !== stage)) {
      // Between an SLA checkpoint and the next task registration there is briefly no token: wait for it.
      await pause(BACKOFF_MS * attempt);
      continue;
    }
    if (result.events.length === 0) return { complaint, changed: false };

    // The notices this decision calls for are stored with it, and recorded in the audit trail.
    const outgoing = withCustomerNotices(result.complaint, result.events, now, complaint.version + 1);
    let saved: Complaint;
    try {
      saved = await deps.store.save({
        after: result.complaint,
        events: outgoing.events,
        notices: outgoing.notices,
        condition: {
          expectedVersion: complaint.version,
          ...(resumes && task ? { expectedToken: task.token } : {}),
        },
        ...(resumes ? { task: null } : {}),
      });
    } catch (e) {
      if (e instanceof ConcurrentUpdateError) {
        await pause(BACKOFF_MS);
        continue;
      }
      throw e;
    }
    await afterChange(saved, outgoing.events, now, deps, outgoing.notices);

    if (resumes && task) {
      const outcome = await deps.workflow.resume(task.token, workflowStateOf(saved, deps.clock.now()));
      if (outcome === "stale") {
        // The token timed out a moment ago; the checkpoint step reads the stored decision and follows it.
        deps.log.info("task token was stale after the decision was stored", { complaintId: saved.id });
      }
    }
    deps.log.info("decision applied", { complaintId: saved.id, action: input.command.type });
    return { complaint: saved, changed: true };
  }
  throw conflict(
    complaint ?? ({ status: "in_progress" } as Complaint),
    "TASK_BUSY",
    "The complaint is between workflow stages; read it again and retry in a moment",
  );
};
