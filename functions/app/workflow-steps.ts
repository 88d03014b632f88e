import { ERROR, NEXT, type RegisterTaskInput, type WorkflowState } from "../../workflows/contract";
import type { Complaint } from "../domain/complaint";
import { DomainError } from "../domain/errors";
import type { Command } from "../domain/lifecycle";
import { commitChange } from "./commit";
import type { Dependencies } from "./dependencies";
import type { StoredComplaint } from "./ports";
import { workflowStateOf } from "./workflow-state";

export { workflowStateOf };

const SYSTEM = { kind: "system" as const, component: "workflow" };

/** Thrown when the complaint a workflow step names does not exist (a bug or a hand-edited table). */
export class ComplaintNotFoundError extends Error {
  constructor(id: string) {
    super(`complaint ${id} does not exist`);
    this.name = ERROR.complaintNotFound;
  }
}

/** Thrown when a callback stage is entered by a complaint that no longer waits in it. */
export class StaleTaskError extends Error {
  constructor(id: string, status: string, stage: string) {
    super(`complaint ${id} is ${status}; it does not wait in the ${stage} stage`);
    this.name = ERROR.staleTask;
  }
}

const load = async (id: string, deps: Dependencies): Promise<StoredComplaint> => {
  const stored = await deps.complaints.get(id);
  if (!stored) throw new ComplaintNotFoundError(id);
  return stored;
};

/**
 * Applies a workflow command through the commit path. `clearTask` drops the pending token in the same
 * write (its task is over). A complaint that does not exist is a named error the state machine catches.
 */
const apply = async (
  id: string,
  command: (c: Complaint) => Command | undefined,
  deps: Dependencies,
  clearTask = false,
): Promise<Complaint> => {
  try {
    const committed = await commitChange(
      {
        complaintId: id,
        plan: ({ complaint }) => {
          const cmd = command(complaint);
          return { kind: "apply", ...(cmd ? { command: cmd } : {}), ...(clearTask ? { task: "clear" } : {}) };
        },
      },
      deps,
    );
    return committed.complaint;
  } catch (e) {
    if (e instanceof DomainError && e.code === "COMPLAINT_NOT_FOUND") throw new ComplaintNotFoundError(id);
    throw e;
  }
};

/** Step "Start handling": marks the complaint in progress (idempotent) and sets the first checkpoint. */
export const startHandling = async (
  input: { complaintId: string },
  deps: Dependencies,
): Promise<WorkflowState> => {
  const stored = await load(input.complaintId, deps);
  // Repeat detection, off intake's request path: a complaint of the same customer about the same business
  // type, received before this one and still open when this one was received, makes this one a repeat.
  // Judged at the receipt, not at the step's run, so a workflow that starts late (a stream backlog, an
  // outage) finds what a prompt one would (found once: the step is idempotent).
  const { customer, businessType, receivedAt, id } = stored.complaint;
  const repeatOf =
    stored.complaint.status === "received"
      ? (await deps.readModels.openComplaintsAbout(customer.id, businessType, receivedAt))
          .filter((c) => c.id !== id && c.receivedAt <= receivedAt)
          .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))[0]?.id
      : undefined;
  const complaint = await apply(
    input.complaintId,
    (c) =>
      c.status === "received"
        ? { type: "start_handling", actor: SYSTEM, ...(repeatOf ? { repeatOf } : {}) }
        : undefined,
    deps,
  );
  return workflowStateOf(complaint, deps.clock.now(), deps.policies);
};

/** Callback stages ("Wait for staff", "Wait for customer", "Ask for feedback"): keep the token, server side only. */
export const registerTask = async (input: RegisterTaskInput, deps: Dependencies): Promise<void> => {
  const stored = await deps.complaints.registerTask(input.complaintId, {
    stage: input.stage,
    token: input.taskToken,
    since: deps.clock.now().toISOString(),
  });
  if (!stored) {
    const { complaint } = await load(input.complaintId, deps);
    throw new StaleTaskError(complaint.id, complaint.status, input.stage);
  }
};

/**
 * Step "Check SLA clock": a staff or customer stage timed out. Warn, or breach and escalate one tier,
 * or hand an unanswered request for information back to staff — and drop the dead token in the same
 * write. If a person decided while the token was expiring, the stored decision wins and is followed.
 */
export const checkSlaClock = async (
  input: { complaintId: string },
  deps: Dependencies,
): Promise<WorkflowState> => {
  const now = deps.clock.now();
  const complaint = await apply(
    input.complaintId,
    (c): Command | undefined => {
      if (c.status === "in_progress") return { type: "sla_checkpoint", actor: SYSTEM };
      if (c.status === "awaiting_customer") {
        const overdue = c.pendingQuestion && Date.parse(c.pendingQuestion.replyBy) <= now.getTime();
        return overdue
          ? { type: "customer_reply_overdue", actor: SYSTEM }
          : { type: "sla_checkpoint", actor: SYSTEM };
      }
      return undefined;
    },
    deps,
    true,
  );
  if (complaint.slaPhase !== "on_track") {
    deps.log.info("SLA checkpoint", {
      complaintId: complaint.id,
      slaPhase: complaint.slaPhase,
      tier: complaint.tier,
    });
  }
  return workflowStateOf(complaint, deps.clock.now(), deps.policies);
};

/**
 * Step "Close complaint": reached when the customer accepted (already closed: only the token is dropped)
 * or when the feedback window ran out (closes without feedback). Idempotent.
 */
export const closeComplaint = async (
  input: { complaintId: string },
  deps: Dependencies,
): Promise<WorkflowState> => {
  const complaint = await apply(
    input.complaintId,
    (c) => (c.status === "awaiting_feedback" ? { type: "feedback_timeout", actor: SYSTEM } : undefined),
    deps,
    true,
  );
  deps.log.info("complaint closed", { complaintId: complaint.id });
  return { complaintId: complaint.id, next: NEXT.close, timeoutSeconds: 1 };
};

/** Step "Mark needs attention": a step failed for good; flag the complaint so an operator picks it up. */
export const markNeedsAttention = async (
  input: { complaintId: string; error?: { Error?: string; Cause?: string } },
  deps: Dependencies,
): Promise<void> => {
  const reason = input.error?.Error ?? "unknown";
  await apply(
    input.complaintId,
    (c) =>
      c.status === "closed" || c.status === "needs_attention"
        ? undefined
        : { type: "mark_needs_attention", actor: SYSTEM, reason },
    deps,
    true,
  );
  deps.log.error("complaint needs attention", { complaintId: input.complaintId, error: reason });
};
