import type { Channel } from "../domain/codes";
import { DomainError } from "../domain/errors";
import type { RoutingTable } from "../domain/routing";
import { isComplaintReference, type QueueQuery } from "../domain/schemas";
import { toChannelView, toQueueItem, toStaffView } from "../domain/views";
import { verifyAuditChain } from "./audit-chain";
import type { LookupDependencies, ReadDependencies } from "./dependencies";
import type { StaffIdentity } from "./staff-actions";
import { assertTeamAccess } from "./staff-actions";

const notFound = () => new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");

/** The complaint id a lookup names: the id itself, or the complaint its reference was recorded for. */
const idOf = async (idOrReference: string, deps: LookupDependencies): Promise<string> => {
  if (!isComplaintReference(idOrReference)) return idOrReference;
  const id = await deps.complaints.idByReference(idOrReference);
  if (!id) throw notFound();
  return id;
};

/** A complaint as its channel system sees it. Another channel's complaint is indistinguishable from none. */
export const getForChannel = async (
  input: { complaint: string; channel: Channel },
  deps: LookupDependencies,
) => {
  await deps.calendars.refresh();
  const stored = await deps.complaints.get(await idOf(input.complaint, deps));
  if (!stored || stored.complaint.channel !== input.channel) throw notFound();
  return toChannelView(stored.complaint, deps.clock.now());
};

/** Staff read a complaint of their own teams; managers read every team's. */
export const readableBy = async (
  complaintId: string,
  staff: StaffIdentity,
  deps: Pick<LookupDependencies, "complaints">,
) => {
  const stored = await deps.complaints.get(complaintId);
  if (!stored) throw notFound();
  // Managers read every team; everyone else only the teams they belong to.
  if (staff.role !== "manager") assertTeamAccess(stored.complaint, staff);
  return stored.complaint;
};

/** A complaint with its audit trail and repeat links, for staff of its team (managers read every team). */
export const getForStaff = async (
  input: { complaint: string; staff: StaffIdentity },
  deps: ReadDependencies,
) => {
  await deps.calendars.refresh();
  const complaintId = await idOf(input.complaint, deps);
  const authorized = await readableBy(complaintId, input.staff, deps);
  const [first, repeats] = await Promise.all([
    deps.readModels.audit(complaintId),
    deps.readModels.repeatsOf(authorized.customer.id, authorized.id),
  ]);
  // A snapshot: the trail read between two reads of the complaint at the same version is exactly that
  // version's trail (a change writes the complaint and its events in one transaction, and every change
  // bumps the version). A complaint changing under the reads is read again, a bounded number of times;
  // after that the view may be a change ahead of the trail, never behind it.
  let complaint = authorized;
  let audit = first;
  for (let attempt = 1; ; attempt++) {
    const latest = (await deps.complaints.get(complaintId))?.complaint ?? complaint;
    if (latest.version === complaint.version || attempt === SNAPSHOT_ATTEMPTS) {
      return {
        ...toStaffView(latest, deps.clock.now(), input.staff.role),
        repeatedBy: repeats.map((c) => c.id),
        audit,
      };
    }
    complaint = latest;
    audit = await deps.readModels.audit(complaintId);
  }
};

/** Reads of a complaint and its trail before settling for a view that may be one change ahead. */
const SNAPSHOT_ATTEMPTS = 3;

/** Recomputes a complaint's audit hash chain (tampering with any stored event shows here). */
export const verifyAudit = async (
  input: { complaintId: string; staff: StaffIdentity },
  deps: ReadDependencies,
) => {
  await readableBy(input.complaintId, input.staff, deps);
  const events = await deps.readModels.audit(input.complaintId);
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
  await deps.calendars.refresh();
  const page = await deps.readModels.queue(input.team, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    filter: {
      ...(input.stage ? { status: input.stage } : {}),
      ...(input.tier !== undefined ? { tier: input.tier } : {}),
      ...(input.priority ? { priority: input.priority } : {}),
      ...(input.sla ? { slaPhase: input.sla } : {}),
    },
  });
  return {
    team: input.team,
    items: page.items.map((c) => toQueueItem(c, deps.clock.now())),
    nextCursor: page.cursor ?? null,
  };
};

/**
 * The teams complaints are routed to (from the routing table), each saying whether the caller belongs to
 * it: what a console offers as queues to open and teams to reassign to.
 */
export const listTeams = (input: { staff: StaffIdentity; routing: RoutingTable }) => ({
  teams: [...new Set(input.routing.map((r) => r.team))].sort().map((team) => ({
    team,
    member: input.staff.teams.includes(team),
  })),
});
