import type { Channel } from "../domain/codes";
import { DomainError } from "../domain/errors";
import type { ReadDependencies } from "./dependencies";
import { readableBy } from "./queries";
import type { StaffIdentity } from "./staff-actions";

/**
 * `GET /complaints/{id}/notices`: the notices sent to the customer about one of the channel's complaints,
 * in sending order, read from the table (where each was stored with the change that called for it).
 */
export const noticesForChannel = async (
  input: { complaintId: string; channel: Channel },
  deps: ReadDependencies,
) => {
  const stored = await deps.complaints.get(input.complaintId);
  // Another channel's complaint is indistinguishable from none.
  if (!stored || stored.complaint.channel !== input.channel) {
    throw new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");
  }
  const notices = await deps.readModels.notices(input.complaintId);
  return { complaintId: input.complaintId, reference: stored.complaint.reference, notices };
};

/**
 * `GET /staff/complaints/{id}/notices`: the same notices, for staff of the complaint's team (managers
 * read every team's); another team's complaint is a 403.
 */
export const noticesForStaff = async (
  input: { complaintId: string; staff: StaffIdentity },
  deps: ReadDependencies,
) => {
  const complaint = await readableBy(input.complaintId, input.staff, deps);
  const notices = await deps.readModels.notices(input.complaintId);
  return { complaintId: input.complaintId, reference: complaint.reference, notices };
};
