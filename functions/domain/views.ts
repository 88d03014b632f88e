import type { Complaint } from "./complaint";
import type { ComplaintView, IntakeResponse } from "./schemas";

/** The deadlines every view shows. */
export const deadlinesOf = (c: Complaint): ComplaintView["deadlines"] => ({
  acknowledgedAt: c.sla.acknowledgedAt,
  firstResponseBy: c.sla.firstResponseBy,
  resolveBy: c.sla.resolveBy,
  warningAt: c.sla.warningAt,
  ...(c.sla.tierDueBy ? { tierDueBy: c.sla.tierDueBy } : {}),
});

/** The intake answer: the acknowledgement, with team and every deadline. */
export const toIntakeResponse = (c: Complaint): IntakeResponse => ({
  id: c.id,
  reference: c.reference,
  status: c.status,
  team: c.team,
  priority: c.priority,
  deadlines: deadlinesOf(c),
});

/** What the owning channel system sees: no personal data beyond what it sent, no internal notes or tokens. */
export const toChannelView = (c: Complaint): ComplaintView => ({
  id: c.id,
  reference: c.reference,
  channel: c.channel,
  status: c.status,
  team: c.team,
  priority: c.priority,
  tier: c.tier,
  jurisdiction: c.jurisdiction,
  businessType: c.businessType,
  cause: c.cause,
  receivedAt: c.receivedAt,
  deadlines: deadlinesOf(c),
  ...(c.resolution
    ? {
        resolution: {
          outcome: c.resolution.outcome,
          summary: c.resolution.summary,
          ...(c.resolution.remedy ? { remedy: c.resolution.remedy } : {}),
        },
      }
    : {}),
  ...(c.closedAt ? { closedAt: c.closedAt } : {}),
});

/** What staff of the owning team see: the whole complaint (still never a task token). */
export const toStaffView = (c: Complaint) => ({
  ...toChannelView(c),
  customer: c.customer,
  description: c.description,
  codes: c.codes,
  flags: c.flags,
  severity: c.severity,
  assignee: c.assignee ?? null,
  slaPhase: c.slaPhase,
  policyVersion: c.sla.policyVersion,
  amountInDispute: c.amountInDispute ?? null,
  branch: c.branch ?? null,
  version: c.version,
});

/** A queue row: enough to pick the next complaint, no personal data. */
export const toQueueItem = (c: Complaint) => ({
  id: c.id,
  reference: c.reference,
  status: c.status,
  priority: c.priority,
  tier: c.tier,
  segment: c.customer.segment,
  businessType: c.businessType,
  assignee: c.assignee ?? null,
  slaPhase: c.slaPhase,
  receivedAt: c.receivedAt,
  dueBy: c.sla.tierDueBy ?? c.sla.resolveBy,
});
