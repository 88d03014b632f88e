import type { Channel } from "../domain/codes";
import { DomainError } from "../domain/errors";
import type { QueueQuery } from "../domain/schemas";
import { toChannelView, toQueueItem, toStaffView } from "../domain/views";
import { verifyAuditChain } from "./audit-chain";
import type { ReadDependencies } from "./dependencies";
import type { StaffIdentity } from "./staff-actions";
import { assertTeamAccess } from "./staff-actions";

const notFound = () => new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");

/** A complaint as its channel system sees it. Another channel's complaint is indistinguishable from none. */
export const getForChannel = async (
  input: { complaintId: string; channel: Channel },
  deps: ReadDependencies,
) => {
  const stored = await deps.store.get(input.complaintId);
  if (!stored || stored.complaint.channel !== input.channel) throw notFound();
  return toChannelView(stored.complaint, deps.clock.now());
};

const readableBy = async (complaintId: string, staff: StaffIdentity, deps: ReadDependencies) => {
  const stored = await deps.store.get(complaintId);
  if (!stored) throw notFound();
  // Managers read every team; everyone else only the teams they belong to.
  if (staff.role !== "manager") assertTeamAccess(stored.complaint, staff);
  return stored.complaint;
};

/** A complaint with its audit trail and repeat links, for staff of its team (managers read every team). */
export const getForStaff = async (
  input: { complaintId: string; staff: StaffIdentity },
  deps: ReadDependencies,
) => {
  const authorized = await readableBy(input.complaintId, input.staff, deps);
  const [audit, repeats] = await Promise.all([
    deps.store.audit(input.complaintId),
    deps.store.repeatsOf(authorized.customer.id, authorized.id),
  ]);
  // Read the complaint again after its trail, so the view is never older than the events it lists.
  const complaint = (await deps.store.get(input.complaintId))?.complaint ?? authorized;
  return { ...toStaffView(complaint, deps.clock.now()), repeatedBy: repeats.map((c) => c.id), audit };
};

/** Recomputes a complaint's audit hash chain (tampering with any stored event shows here). */
export const verifyAudit = async (
  input: { complaintId: string; staff: StaffIdentity },
  deps: ReadDependencies,
) => {
  await readableBy(input.complaintId, input.staff, deps);
  const events = await deps.store.audit(input.complaintId);
  return { complaintId: input.complaintId, ...verifyAuditChain(events) };
};

/** A team's open complaints, nearest deadline first, with filters and a cursor. */
export const teamQueue = async (
  input: { team: string; staff: StaffIdentity } & QueueQuery,
  deps: ReadDependencies,
) => {
  if (input.staff.role !== "manager" && !input.staff.teams.includes(input.team)) {
    throw new DomainError("forbidden", "FORBIDDEN_TEAM", "You can only read the queues of your own teams");
  }
  const page = await deps.store.queue(input.team, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    filter: {
      ...(input.stage ? { status: input.stage } : {}),
      ...(input.tier !== undefined ? { tier: input.tier } : {}),
      ...(input.priority ? { priority: input.priority } : {}),
      ...(input.sla ? { slaPhase: input.sla } : {}),
    },
  });
  return { team: input.team, items: page.items.map(toQueueItem), nextCursor: page.cursor ?? null };
};
