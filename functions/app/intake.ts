import { createHash } from "node:crypto";
import { calendarFor } from "../domain/calendar";
import { type Channel, DEFAULT_JURISDICTION } from "../domain/codes";
import { DomainError } from "../domain/errors";
import { formatReference, openComplaint } from "../domain/lifecycle";
import { withCustomerNotices } from "../domain/notices";
import type { IntakeRequest, IntakeResponse } from "../domain/schemas";
import { toIntakeResponse } from "../domain/views";
import type { Dependencies } from "./dependencies";
import { deliveriesOf } from "./outbox";
import type { IdempotencyRecord } from "./ports";

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
 * Takes a complaint in: classify, route, plan, and store it — the complaint, its first audit events, its
 * acknowledgement notice, its reference and the idempotency record — in one transaction. That one durable
 * write is all the request path waits for: the workflow is started, and the integration events published,
 * from the table's change stream (the `ComplaintReceived` event's outbox), and repeat detection runs when
 * the workflow takes the complaint up. Exactly one complaint per Idempotency-Key: the transaction's
 * condition on the key decides, so a first submission (nearly every request) reads nothing first; a
 * replay is recognised when its transaction is refused, then answered from the stored record.
 */
export const submitComplaint = async (cmd: IntakeCommand, deps: Dependencies): Promise<IntakeResult> => {
  const requestHash = fingerprint(cmd.request);
  // Every deadline below is computed on the calendars in force: a year loaded a moment ago included.
  await deps.calendars.refresh();
  const now = deps.clock.now();
  const id = deps.newId();
  const request: IntakeRequest = {
    ...cmd.request,
    jurisdiction: cmd.request.jurisdiction ?? deps.defaultJurisdiction ?? DEFAULT_JURISDICTION[cmd.channel],
  };
  // References count per local day of the jurisdiction's business calendar, from a block this container holds.
  const localDate = calendarFor(request.jurisdiction ?? "CN").localDateOf(now);
  const sequence = await deps.references.next(localDate);
  const { complaint, events } = openComplaint(request, {
    id,
    reference: formatReference(localDate, sequence),
    channel: cmd.channel,
    now,
    routing: deps.routing,
    policy: deps.policy,
    teamRegions: deps.teamRegions,
  });
  if (complaint.sla.provisional) {
    // Never silently final: a deadline in a year without confirmed holidays is flagged, logged and counted.
    deps.log.warn("provisional deadline: calendar year not confirmed", {
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
    deliveries: deliveriesOf(complaint, outgoing.events),
    notices: outgoing.notices,
    idempotency: record,
    idempotencyExpiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  });
  if (created) {
    deps.log.info("complaint received", {
      complaintId: id,
      reference: complaint.reference,
      team: complaint.team,
    });
    return { created: true, response };
  }
  // The key was seen before (a replay, or a concurrent duplicate that won the race): answer what the first
  // submission was answered, or refuse a different body under the same key.
  const existing = await deps.complaints.getIdempotency(cmd.channel, cmd.idempotencyKey);
  if (!existing) throw new Error("idempotency record vanished between a conflict and its read");
  if (existing.requestHash !== requestHash) {
    throw new DomainError(
      "unprocessable",
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key was already used with a different request body",
      { complaintId: existing.complaintId },
    );
  }
  return { created: false, response: existing.response };
};
