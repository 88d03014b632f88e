import { ERROR, NEXT, type RegisterTaskInput, type WorkflowState } from "../../workflows/contract";
import type { Complaint } from "../domain/complaint";
import { type Command, transition } from "../domain/lifecycle";
import { nextCheckpoint, secondsUntil } from "../domain/sla";
import type { Dependencies } from "./dependencies";
import { ConcurrentUpdateError, type StoredComplaint } from "./ports";

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
  constructor(id: string, status: string) {
    super(`complaint ${id} is ${status}; it does not wait for staff`);
    this.name = ERROR.staleTask;
  }
}

/** Where the workflow goes from here, decided from the stored complaint (the single source of truth). */
export const workflowStateOf = (c: Complaint, now: Date): WorkflowState => {
  if (c.status === "resolved" || c.status === "closed") {
    return { complaintId: c.id, next: NEXT.close, timeoutSeconds: 1 };
  }
  return {
    complaintId: c.id,
    next: NEXT.waitForStaff,
    timeoutSeconds: secondsUntil(nextCheckpoint(c, now).at, now),
  };
};

const load = async (id: string, deps: Dependencies): Promise<StoredComplaint> => {
  const stored = await deps.store.get(id);
  if (!stored) throw new ComplaintNotFoundError(id);
  return stored;
};

/**
 * Applies a workflow command, re-reading on a concurrent staff change (bounded). Returns the stored
 * complaint. `clearTask` drops the pending token in the same write (its task is over).
 */
const apply = async (
  id: string,
  command: (c: Complaint) => Command | undefined,
  deps: Dependencies,
  clearTask = false,
): Promise<Complaint> => {
  for (let attempt = 0; ; attempt++) {
    const { complaint, task } = await load(id, deps);
    const cmd = command(complaint);
    if (!cmd) return complaint;
    const { complaint: after, events } = transition(complaint, cmd, {
      now: deps.clock.now(),
      policies: deps.policies,
    });
    if (events.length === 0 && !(clearTask && task)) return complaint;
    try {
      const saved = await deps.store.save({
        after,
        events,
        condition: { expectedVersion: complaint.version },
        ...(clearTask ? { task: null } : {}),
      });
      deps.metrics.record(saved, events, deps.clock.now());
      return saved;
    } catch (e) {
      if (e instanceof ConcurrentUpdateError && attempt < 5) continue;
      throw e;
    }
  }
};

/** Step "Start handling": marks the complaint in progress (idempotent) and sets the first checkpoint. */
export const startHandling = async (
  input: { complaintId: string },
  deps: Dependencies,
): Promise<WorkflowState> => {
  const complaint = await apply(
    input.complaintId,
    (c) => (c.status === "received" ? { type: "start_handling", actor: SYSTEM } : undefined),
    deps,
  );
  return workflowStateOf(complaint, deps.clock.now());
};

/** Step "Wait for staff" (callback): keeps the task token on the complaint, server side only. */
export const registerTask = async (input: RegisterTaskInput, deps: Dependencies): Promise<void> => {
  const stored = await deps.store.registerTask(input.complaintId, {
    stage: input.stage,
    token: input.taskToken,
    since: deps.clock.now().toISOString(),
  });
  if (!stored) {
    const { complaint } = await load(input.complaintId, deps);
    throw new StaleTaskError(complaint.id, complaint.status);
  }
};

/**
 * Step "Check SLA clock": the staff task timed out at a checkpoint. Warn, or breach and escalate one
 * tier, and drop the dead token in the same write. If staff decided while the token was expiring, the
 * stored decision wins and the workflow follows it.
 */
export const checkSlaClock = async (
  input: { complaintId: string },
  deps: Dependencies,
): Promise<WorkflowState> => {
  const complaint = await apply(
    input.complaintId,
    (c) => (c.status === "in_progress" ? { type: "sla_checkpoint", actor: SYSTEM } : undefined),
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
  return workflowStateOf(complaint, deps.clock.now());
};

/** Step "Close complaint": closes a resolved complaint (idempotent). */
export const closeComplaint = async (
  input: { complaintId: string },
  deps: Dependencies,
): Promise<WorkflowState> => {
  const complaint = await apply(
    input.complaintId,
    (c) => (c.status === "resolved" ? { type: "close", actor: SYSTEM } : undefined),
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
