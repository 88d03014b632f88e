import type { Complaint } from "../domain/complaint";
import { DomainError, IllegalTransitionError } from "../domain/errors";
import { ALLOWED, type Command, RESUMES_WORKFLOW } from "../domain/lifecycle";
import { commitChange } from "./commit";
import type { Dependencies } from "./dependencies";

/**
 * Applies a decision from a person (staff or the customer through their channel) through the commit path.
 * The complaint item is the single source of truth: the change and its audit events are written first —
 * conditional on the version read and, for decisions that move the workflow, on the pending task token —
 * and only then is the workflow resumed with that token. A complaint that really left the stage answers
 * 409 with its current status, nothing changed (see docs/architecture.md "The token protocol").
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
  const { command } = input;
  try {
    const committed = await commitChange(
      {
        complaintId: input.complaintId,
        ...(input.teams ? { teams: input.teams } : {}),
        plan: ({ complaint }) => {
          input.authorize(complaint);
          // Stored but its workflow not yet started: the staff stage is a moment away.
          if (complaint.status === "received" && ALLOWED.in_progress.includes(command.type))
            return { kind: "wait" };
          const resumes =
            RESUMES_WORKFLOW.has(command.type) && ALLOWED[complaint.status].includes(command.type);
          return { kind: "apply", command, ...(resumes ? { task: "resume" as const } : {}) };
        },
      },
      deps,
    );
    if (committed.changed)
      deps.log.info("decision applied", { complaintId: committed.complaint.id, action: command.type });
    return { complaint: committed.complaint, changed: committed.changed };
  } catch (e) {
    if (e instanceof IllegalTransitionError) {
      throw new DomainError("conflict", "ACTION_NOT_ALLOWED", e.message, {
        status: e.status,
        allowedActions: [...e.allowedActions],
      });
    }
    throw e;
  }
};
