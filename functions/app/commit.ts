import type { Complaint, DomainEvent } from "../domain/complaint";
import { STAGE_OF } from "../domain/complaint";
import { DomainError } from "../domain/errors";
import { allowedStaffActions, type Command, transition } from "../domain/lifecycle";
import { withCustomerNotices } from "../domain/notices";
import type { Dependencies } from "./dependencies";
import { deliveriesOf } from "./outbox";
import { ConcurrentUpdateError, type DecisionRecord, type StoredComplaint } from "./ports";
import { workflowStateOf } from "./workflow-state";

/**
 * The one way a stored complaint changes (CONVENTIONS 12). Whoever asks — staff, the customer through a
 * channel, a workflow step, start-up recovery, a calendar reload — says what to do with the complaint as
 * it is read, and `commitChange` applies the transition, adds the customer notices the events call for,
 * works out what each event hands over (the outbox: workflow starts, integration events, manager notices,
 * metrics), saves it all in one transaction conditional on the version read (and on the task token it
 * consumes), and, for a decision the workflow waits for, resumes the workflow. Everything else that
 * follows is delivered from the table's change stream, never from here. A concurrent change or a task
 * token being swapped makes it read again, under one retry policy.
 */

/** What to do with the complaint as read. */
export type Plan =
  /**
   * Apply a command (without one, only clear the pending task). `task: "resume"` consumes the stage's task
   * token (the save is conditional on it, and the workflow is resumed after); `"clear"` drops any token.
   */
  | { kind: "apply"; command?: Command; task?: "resume" | "clear" }
  /**
   * Record events that change nothing (a download of an attachment): they join the trail and are
   * delivered like any other, and the complaint keeps its version.
   */
  | { kind: "record"; events: (complaint: Complaint, now: Date) => DomainEvent[] }
  /** Not yet (e.g. the workflow has not started): read again after a moment. */
  | { kind: "wait" }
  /** Nothing to do: the complaint stays as it is. */
  | { kind: "none" };

export interface Committed {
  complaint: Complaint;
  /** The events stored, customer-notice records included (empty when nothing changed). */
  events: DomainEvent[];
  changed: boolean;
}

/** Reads per commit before giving up, and the pause between them (growing, capped). */
export const COMMIT_ATTEMPTS = 10;
const backoffMs = (attempt: number) => Math.min(100 * attempt, 1000);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every attempt found the complaint changing or between stages: the caller may retry in a moment. */
export class CommitContendedError extends DomainError {
  constructor(readonly complaint: Complaint | undefined) {
    super(
      "conflict",
      "TASK_BUSY",
      "The complaint is between workflow stages; read it again and retry in a moment",
      complaint ? { status: complaint.status, allowedActions: allowedStaffActions(complaint) } : undefined,
    );
    this.name = "CommitContendedError";
  }
}

const notBefore = (now: Date, last: string | undefined): Date =>
  last !== undefined && Date.parse(last) > now.getTime() ? new Date(last) : now;

const notFound = () => new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");

export const commitChange = async (
  input: {
    complaintId: string;
    /** Decides from the complaint as stored, on every read; may throw to refuse (authorization, ...). */
    plan: (stored: StoredComplaint) => Plan;
    /** Teams that exist (a reassignment elsewhere is refused). */
    teams?: readonly string[];
    /** The answer to keep under the caller's Idempotency-Key, stored with the change (a decision's). */
    decision?: (after: Complaint) => DecisionRecord;
  },
  deps: Dependencies,
): Promise<Committed> => {
  let last: Complaint | undefined;
  // Deadlines are recomputed on the calendars in force (a year loaded a moment ago included).
  await deps.calendars.refresh();
  for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
    const stored = await deps.complaints.get(input.complaintId);
    if (!stored) throw notFound();
    const { complaint, task } = stored;
    last = complaint;
    const plan = input.plan(stored);
    if (plan.kind === "none") return { complaint, events: [], changed: false };
    if (plan.kind === "wait") {
      await pause(backoffMs(attempt));
      continue;
    }
    // Audit events of a complaint never go back in time, whatever a clock did in between (a restarted
    // simulated clock, a container's clock behind another's): at the earliest, the last event's time.
    const now = notBefore(deps.clock.now(), stored.lastEventAt);
    if (plan.kind === "record") {
      const events = plan.events(complaint, now);
      if (events.length === 0) return { complaint, events: [], changed: false };
      try {
        const saved = await deps.complaints.save({
          after: complaint,
          events,
          deliveries: deliveriesOf(complaint, events),
          condition: { expectedVersion: complaint.version },
          auditOnly: true,
        });
        return { complaint: saved, events, changed: false };
      } catch (e) {
        if (e instanceof ConcurrentUpdateError) {
          await pause(backoffMs(attempt));
          continue;
        }
        throw e;
      }
    }
    const result = plan.command
      ? transition(complaint, plan.command, {
          now,
          policies: deps.policies,
          ...(input.teams ? { teams: input.teams } : {}),
        })
      : { complaint, events: [] };
    // A resume hands the workflow a decision: with nothing decided (no event) there is nothing to hand
    // over, and the complaint stays as it is (its version and ETag too). Only "clear" drops a token alone.
    const clears = plan.task === "clear" && task !== undefined;
    if (result.events.length === 0 && !clears) return { complaint, events: [], changed: false };
    // Between an SLA checkpoint and the next task registration there is briefly no token: wait for it.
    if (plan.task === "resume" && (!task || task.stage !== STAGE_OF[complaint.status])) {
      await pause(backoffMs(attempt));
      continue;
    }

    // The notices the change calls for are stored with it, and recorded in the audit trail.
    const version = complaint.version + 1;
    const outgoing = withCustomerNotices(result.complaint, result.events, now, version);
    let saved: Complaint;
    try {
      saved = await deps.complaints.save({
        after: result.complaint,
        events: outgoing.events,
        deliveries: deliveriesOf({ ...result.complaint, version }, outgoing.events),
        notices: outgoing.notices,
        condition: {
          expectedVersion: complaint.version,
          ...(plan.task === "resume" && task ? { expectedToken: task.token } : {}),
        },
        ...(plan.task ? { task: null } : {}),
        ...(input.decision ? { decision: input.decision({ ...result.complaint, version }) } : {}),
      });
    } catch (e) {
      if (e instanceof ConcurrentUpdateError) {
        await pause(backoffMs(attempt));
        continue;
      }
      throw e;
    }
    if (plan.task === "resume" && task) {
      const outcome = await deps.workflow.resume(
        task.token,
        workflowStateOf(saved, deps.clock.now(), deps.policies),
      );
      // A token that timed out a moment ago: the checkpoint step reads the stored decision and follows it.
      if (outcome === "stale")
        deps.log.info("task token was stale after the decision was stored", { complaintId: saved.id });
    }
    return { complaint: saved, events: outgoing.events, changed: true };
  }
  throw new CommitContendedError(last);
};
