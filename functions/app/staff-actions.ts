import type { WorkflowState } from "../../workflows/contract";
import type { Role } from "../domain/codes";
import type { Complaint } from "../domain/complaint";
import { DomainError, IllegalTransitionError } from "../domain/errors";
import { allowedStaffActions, type Command, transition } from "../domain/lifecycle";
import type { StaffAction } from "../domain/schemas";
import { toStaffView } from "../domain/views";
import type { Dependencies } from "./dependencies";
import { ConcurrentUpdateError } from "./ports";
import { workflowStateOf } from "./workflow-steps";

/** The member of staff acting, from the verified JWT (Cognito groups on AWS, local JWT on the embedded target). */
export interface StaffIdentity {
  subject: string;
  role: Role;
  teams: string[];
}

/** How often, and how long apart, a callback retries when an SLA checkpoint is swapping the task token. */
const ATTEMPTS = 8;
const BACKOFF_MS = 150;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Actions that end the staff stage and so must resume the workflow through its task token. */
const RESUMES_WORKFLOW = new Set<StaffAction["type"]>(["resolve"]);

const toCommand = (action: StaffAction, staff: StaffIdentity): Command => {
  const actor = { kind: "staff" as const, subject: staff.subject, role: staff.role, teams: staff.teams };
  switch (action.type) {
    case "claim":
      return { type: "claim", actor };
    case "note":
      return { type: "note", actor, note: action.note };
    case "resolve":
      return { type: "resolve", actor, resolution: action.resolution };
  }
};

/** Staff act only on complaints queued to one of their teams. */
export const assertTeamAccess = (complaint: Complaint, staff: StaffIdentity): void => {
  if (!staff.teams.includes(complaint.team)) {
    throw new DomainError(
      "forbidden",
      "FORBIDDEN_TEAM",
      "This complaint is queued to a team you do not belong to",
    );
  }
};

const conflict = (complaint: Complaint, code: string, message: string) =>
  new DomainError("conflict", code, message, {
    status: complaint.status,
    allowedActions: allowedStaffActions(complaint.status),
  });

/**
 * Applies a staff action. The complaint item is the single source of truth: the change and its audit event
 * are written first, conditional on the version read (and on the task token for actions that end the
 * stage), then the workflow is resumed with that token. A checkpoint swapping the token in between is
 * retried here, bounded; a complaint that really left the stage answers 409 with nothing changed.
 */
export const actOnComplaint = async (
  input: { complaintId: string; action: StaffAction; staff: StaffIdentity },
  deps: Dependencies,
) => {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const stored = await deps.store.get(input.complaintId);
    if (!stored) throw new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");
    const { complaint, task } = stored;
    assertTeamAccess(complaint, input.staff);

    let result: ReturnType<typeof transition>;
    try {
      result = transition(complaint, toCommand(input.action, input.staff), {
        now: deps.clock.now(),
        policies: deps.policies,
      });
    } catch (e) {
      if (e instanceof IllegalTransitionError) {
        throw conflict(complaint, "ACTION_NOT_ALLOWED", e.message);
      }
      throw e;
    }

    const resumes = RESUMES_WORKFLOW.has(input.action.type);
    if (resumes && !task) {
      // Between an SLA checkpoint and the next task registration there is briefly no token: wait for it.
      await pause(BACKOFF_MS * attempt);
      continue;
    }
    if (result.events.length === 0)
      return { complaint: toStaffView(complaint, deps.clock.now()), changed: false };

    let saved: Complaint;
    try {
      saved = await deps.store.save({
        after: result.complaint,
        events: result.events,
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

    deps.metrics.record(saved, result.events, deps.clock.now());
    if (resumes && task) {
      const output: WorkflowState = workflowStateOf(saved, deps.clock.now());
      const outcome = await deps.workflow.resume(task.token, output);
      if (outcome === "stale") {
        // The token timed out a moment ago; the SLA checkpoint step reads the stored decision and follows it.
        deps.log.info("task token was stale after the decision was stored", { complaintId: saved.id });
      }
    }
    deps.log.info("staff action applied", { complaintId: saved.id, action: input.action.type });
    return { complaint: toStaffView(saved, deps.clock.now()), changed: true };
  }
  const latest = await deps.store.get(input.complaintId);
  throw conflict(
    latest?.complaint ?? ({ status: "in_progress" } as Complaint),
    "TASK_BUSY",
    "The complaint kept changing while this action was applied; read it again and retry",
  );
};
