import type { Channel } from "../domain/codes";
import { DomainError } from "../domain/errors";
import { toChannelView, toQueueItem, toStaffView } from "../domain/views";
import type { Dependencies } from "./dependencies";
import { assertTeamAccess, type StaffIdentity } from "./staff-actions";

const notFound = () => new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");

/** A complaint as its channel system sees it. Another channel's complaint is indistinguishable from none. */
export const getForChannel = async (input: { complaintId: string; channel: Channel }, deps: Dependencies) => {
  const stored = await deps.store.get(input.complaintId);
  if (!stored || stored.complaint.channel !== input.channel) throw notFound();
  return toChannelView(stored.complaint, deps.clock.now());
};

/** A complaint with its audit trail, for staff of its team (managers read every team). */
export const getForStaff = async (
  input: { complaintId: string; staff: StaffIdentity },
  deps: Dependencies,
) => {
  const stored = await deps.store.get(input.complaintId);
  if (!stored) throw notFound();
  if (input.staff.role !== "manager") assertTeamAccess(stored.complaint, input.staff);
  const audit = await deps.store.audit(input.complaintId);
  return { ...toStaffView(stored.complaint, deps.clock.now()), audit };
};

/** A team's open complaints, nearest deadline first. */
export const teamQueue = async (
  input: { team: string; staff: StaffIdentity; limit: number; cursor?: string },
  deps: Dependencies,
) => {
  if (input.staff.role !== "manager" && !input.staff.teams.includes(input.team)) {
    throw new DomainError("forbidden", "FORBIDDEN_TEAM", "You can only read the queues of your own teams");
  }
  const page = await deps.store.queue(input.team, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  return { team: input.team, items: page.items.map(toQueueItem), nextCursor: page.cursor ?? null };
};
