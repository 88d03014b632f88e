import { createHash } from "node:crypto";
import { calendarFor } from "../domain/calendar";
import { type Channel, DEFAULT_JURISDICTION } from "../domain/codes";
import { DomainError } from "../domain/errors";
import { formatReference, openComplaint } from "../domain/lifecycle";
import { withCustomerNotices } from "../domain/notices";
import type { IntakeRequest, IntakeResponse } from "../domain/schemas";
import { toIntakeResponse } from "../domain/views";
import { afterChange } from "./after-change";
import type { Dependencies } from "./dependencies";
import { type IdempotencyRecord, WorkflowUnavailableError } from "./ports";

/** How long an Idempotency-Key is remembered: a channel retrying for a day still gets the same answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

export interface IntakeCommand {
  channel: Channel;
  idempotencyKey: string;
  request: IntakeRequest;
}

export interface IntakeResult {
  created: boolean;
  response: IntakeResponse;
}

/** The request's fingerprint: a replay must carry the same body as the first submission. */
const fingerprint = (request: IntakeRequest): string =>
  createHash("sha256").update(JSON.stringify(request)).digest("hex");

/**
 * Takes a complaint in: classify, route, plan, store (complaint + first audit event + idempotency record
 * in one transaction), then start its workflow. Exactly one complaint per Idempotency-Key.
 *
 * The happy path does not read the idempotency record first: the transaction's condition on it is what
 * guarantees one complaint per key, so a first submission (nearly every request) saves a consistent read.
 * A replay costs a little more instead: it is recognised when the transaction is refused, then answered
 * from the stored record (and a reference number drawn for it is left unused — references may have gaps,
 * never duplicates).
 */
export const submitComplaint = async (cmd: IntakeCommand, deps: Dependencies): Promise<IntakeResult> => {
  const requestHash = fingerprint(cmd.request);
  const now = deps.clock.now();
  const id = deps.newId();
  const request: IntakeRequest = {
    ...cmd.request,
    jurisdiction: cmd.request.jurisdiction ?? deps.defaultJurisdiction ?? DEFAULT_JURISDICTION[cmd.channel],
  };
  // References count per local day of the jurisdiction's business calendar.
  const localDate = calendarFor(request.jurisdiction ?? "CN").localDateOf(now);
  // Independent reads, in parallel. A sequence number lost to a failed transaction leaves a gap in
  // references, never a duplicate. Repeat detection reads the customer index: an open complaint about the
  // same business type links the two.
  const [sequence, ofCustomer] = await Promise.all([
    deps.complaints.nextReferenceSequence(localDate),
    deps.readModels.openComplaintsAbout(request.customer.id, request.businessType),
  ]);
  const { complaint, events } = openComplaint(request, {
    openComplaintsOfCustomer: ofCustomer,
    id,
    reference: formatReference(localDate, sequence),
    channel: cmd.channel,
    now,
    routing: deps.routing,
    policy: deps.policy,
  });
  if (complaint.sla.provisional) {
    // Never silently final: a deadline in a year without loaded holidays is flagged, logged and counted.
    deps.log.warn("provisional deadline: calendar year not loaded", {
      complaintId: id,
      calendar: complaint.sla.calendar,
      resolveBy: complaint.sla.resolveBy,
    });
  }
  const response = toIntakeResponse(complaint, now);
  const record: IdempotencyRecord = {
    channel: cmd.channel,
    key: cmd.idempotencyKey,
    requestHash,
    complaintId: id,
    response,
  };
  // The acknowledgement notice is stored with the complaint and recorded in its audit trail.
  const outgoing = withCustomerNotices(complaint, events, now, complaint.version);
  const created = await deps.complaints.create({
    complaint,
    events: outgoing.events,
    notices: outgoing.notices,
    idempotency: record,
    idempotencyExpiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  });
  if (!created) {
    // The key was seen before (a replay, or a concurrent duplicate that won the race): answer what the
    // first submission was answered, or refuse a different body under the same key.
    const earlier = await replayOf(cmd, requestHash, deps);
    if (earlier) return earlier;
    throw new Error("idempotency record vanished between a conflict and its read");
  }
  deps.log.info("complaint received", {
    complaintId: id,
    reference: complaint.reference,
    team: complaint.team,
  });
  // Stored: starting the workflow and publishing what happened do not depend on each other, so they run
  // side by side. The start's failure is the one that decides the answer (503, replay or reconciler
  // finishes it); publication failures are logged, never turned into an error for a stored complaint.
  const [started, published] = await Promise.allSettled([
    startWorkflow(id, deps),
    afterChange(complaint, outgoing.events, now, deps, outgoing.notices),
  ]);
  if (started.status === "rejected") throw started.reason;
  if (published.status === "rejected") {
    // Stored and started: the complaint is safe, so the client gets its 201; the gap is for operators.
    deps.log.error("after-change work failed", {
      complaintId: id,
      error: (published.reason as Error).name,
    });
  }
  return { created: true, response };
};

const replayOf = async (
  cmd: IntakeCommand,
  requestHash: string,
  deps: Dependencies,
): Promise<IntakeResult | undefined> => {
  const existing = await deps.complaints.getIdempotency(cmd.channel, cmd.idempotencyKey);
  if (!existing) return undefined;
  if (existing.requestHash !== requestHash) {
    throw new DomainError(
      "unprocessable",
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key was already used with a different request body",
      { complaintId: existing.complaintId },
    );
  }
  // The first attempt may have stored the complaint but failed to start its workflow: finish the job.
  const stored = await deps.complaints.get(existing.complaintId);
  if (stored?.complaint.status === "received") await startWorkflow(existing.complaintId, deps);
  return { created: false, response: existing.response };
};

const startWorkflow = async (id: string, deps: Dependencies): Promise<void> => {
  try {
    await deps.workflow.start(id);
  } catch (e) {
    if (e instanceof WorkflowUnavailableError) {
      // Stored, not started: the client's retry (same key) or the reconciler starts it. Nothing is lost.
      deps.log.warn("workflow start failed; complaint left received", { complaintId: id });
    }
    throw e;
  }
};
