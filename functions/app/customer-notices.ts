import type { Channel } from "../domain/codes";
import { DomainError } from "../domain/errors";
import type { ReadDependencies } from "./dependencies";

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
