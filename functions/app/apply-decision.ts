import { createHash } from "node:crypto";
import type { Complaint } from "../domain/complaint";
import { DomainError, IllegalTransitionError } from "../domain/errors";
import { ALLOWED, allowedStaffActions, type Command, RESUMES_WORKFLOW } from "../domain/lifecycle";
import { commitChange } from "./commit";
import type { Dependencies } from "./dependencies";
import type { DecisionRecord } from "./ports";

/** How long a decision's answer is kept under its Idempotency-Key (as intake's). */
export const DECISION_RECORD_MS = 24 * 3_600_000;

/** What a caller attaches to a decision: the version they saw, and their key for retrying it. */
export interface DecisionConditions {
  /** `If-Match`: the versions the caller accepts (any of them); a complaint at another is a 412. */
  ifMatch?: readonly number[];
  /** `Idempotency-Key`, scoped to the caller and the complaint. */
  idempotency?: { scope: string; key: string; body: unknown };
}

/** What a decision answers: the view the caller gets, and whether it is a replay of an earlier answer. */
export interface DecisionAnswer<V> {
  response: V;
  /** The complaint version the answer shows (its ETag). */
  version: number;
  changed: boolean;
  replayed: boolean;
}

const fingerprint = (body: unknown) => createHash("sha256").update(JSON.stringify(body)).digest("hex");

const stateOf = (c: Complaint) => ({
  version: c.version,
  status: c.status,
  allowedActions: allowedStaffActions(c),
});

/**
 * Applies a decision from a person (staff or the customer through their channel) through the commit path.
 * The complaint item is the single source of truth: the change and its audit events are written first —
 * conditional on the version read and, for decisions that move the workflow, on the pending task token —
 * and only then is the workflow resumed with that token (see docs/architecture.md "The token protocol").
 *
 * A decision is applied to the state its caller saw, never to a later one:
 * - with `If-Match`, to that version only (otherwise `412 PRECONDITION_FAILED` with the current state);
 * - without, to the version first read: when the complaint changes before the write lands (another
 *   decision, an SLA checkpoint), the decision is not re-applied to the newer state but refused
 *   (`409 COMPLAINT_CHANGED`), and the caller reads again and decides.
 * With an `Idempotency-Key`, the same key and body answer the first answer again and apply nothing twice
 * (checked before `If-Match`, so a retried success is not a 412); another body under it is a 422.
 */
export const applyDecision = async <V>(
  input: {
    complaintId: string;
    /** Throws when the caller may not act on this complaint (403/404); called on every read. */
    authorize: (complaint: Complaint) => void;
    command: Command;
    teams?: readonly string[];
    conditions?: DecisionConditions;
    /** The caller's view of the complaint after the decision (what the answer's body is). */
    view: (complaint: Complaint) => V;
  },
  deps: Dependencies,
): Promise<DecisionAnswer<V>> => {
  const { command, conditions = {} } = input;
  const idem = conditions.idempotency;
  const requestHash = idem ? fingerprint(idem.body) : "";
  const replay = async (): Promise<DecisionAnswer<V> | undefined> => {
    if (!idem) return undefined;
    const record = await deps.complaints.getDecision(idem.scope, input.complaintId, idem.key);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new DomainError(
        "unprocessable",
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used for this complaint with a different request",
      );
    }
    return { response: record.response as V, version: record.version, changed: false, replayed: true };
  };
  const first = await replay();
  if (first) return first;

  const recordOf = (after: Complaint): DecisionRecord | undefined =>
    idem
      ? {
          scope: idem.scope,
          complaintId: input.complaintId,
          key: idem.key,
          requestHash,
          version: after.version,
          response: input.view(after),
          expiresAt: new Date(deps.clock.now().getTime() + DECISION_RECORD_MS),
        }
      : undefined;

  let seen: number | undefined;
  try {
    const committed = await commitChange(
      {
        complaintId: input.complaintId,
        ...(input.teams ? { teams: input.teams } : {}),
        ...(idem ? { decision: (after: Complaint) => recordOf(after) as DecisionRecord } : {}),
        plan: ({ complaint }) => {
          input.authorize(complaint);
          if (conditions.ifMatch && !conditions.ifMatch.includes(complaint.version)) {
            throw new DomainError(
              "precondition",
              "PRECONDITION_FAILED",
              `The complaint is at version ${complaint.version}, not the one this action was decided on`,
              stateOf(complaint),
            );
          }
          // Stored but its workflow not yet started: the staff stage is a moment away.
          if (complaint.status === "received" && ALLOWED.in_progress.includes(command.type))
            return { kind: "wait" };
          if (seen === undefined) seen = complaint.version;
          else if (complaint.version !== seen) {
            throw new DomainError(
              "conflict",
              "COMPLAINT_CHANGED",
              "The complaint changed while this action was being applied; nothing was applied: read it again and decide",
              stateOf(complaint),
            );
          }
          const resumes =
            RESUMES_WORKFLOW.has(command.type) && ALLOWED[complaint.status].includes(command.type);
          return { kind: "apply", command, ...(resumes ? { task: "resume" as const } : {}) };
        },
      },
      deps,
    );
    if (committed.changed) {
      deps.log.info("decision applied", { complaintId: committed.complaint.id, action: command.type });
    } else if (idem) {
      // Nothing changed (a claim of a complaint one holds): the answer is kept all the same.
      const record = recordOf(committed.complaint) as DecisionRecord;
      if (!(await deps.complaints.putDecision(record))) return (await replay()) as DecisionAnswer<V>;
    }
    return {
      response: input.view(committed.complaint),
      version: committed.complaint.version,
      changed: committed.changed,
      replayed: false,
    };
  } catch (e) {
    // The same decision sent twice at once: the one that lost answers what the winner stored.
    if (idem && e instanceof DomainError && e.code === "COMPLAINT_CHANGED") {
      const answered = await replay();
      if (answered) return answered;
    }
    if (e instanceof IllegalTransitionError) {
      throw new DomainError("conflict", "ACTION_NOT_ALLOWED", e.message, {
        status: e.status,
        allowedActions: [...e.allowedActions],
      });
    }
    throw e;
  }
};
