import { type Attachment, retainUntilOf } from "./attachments";
import type { Role } from "./codes";
import type { Complaint } from "./complaint";
import { allowedActionsFor, calendarOf, slaFactsOf } from "./lifecycle";
import type { ComplaintView, IntakeResponse } from "./schemas";
import { businessTime } from "./sla";
import { isStatutoryDeadline, STATUTORY_RULE_KIND } from "./sla/statutory";

/**
 * The deadlines every view shows, all at once, in the calendar's own offset: internal SLA, warning,
 * statutory clock, current tier and its time box, and business time used and remaining.
 */
export const deadlinesOf = (c: Complaint, now: Date): ComplaintView["deadlines"] => {
  const cal = calendarOf(c);
  const local = (iso: string) => cal.formatLocal(new Date(iso));
  const time = businessTime(slaFactsOf(c), c.sla, cal, now);
  return {
    acknowledgedAt: local(c.sla.acknowledgedAt),
    firstResponseBy: local(c.sla.firstResponseBy),
    resolveBy: local(c.sla.resolveBy),
    warningAt: local(c.sla.warningAt),
    statutory: c.sla.statutory.map((s) => ({
      rule: s.rule,
      dueBy: local(s.dueBy),
      ...(s.paused ? { paused: true } : {}),
      ...(STATUTORY_RULE_KIND[s.rule] === "window" ? { window: true } : {}),
      ...(c.statutoryBreaches.includes(s.rule) ? { breached: true } : {}),
    })),
    tier: c.tier,
    ...(c.sla.tierDueBy ? { tierDueBy: local(c.sla.tierDueBy) } : {}),
    calendar: c.sla.calendar,
    timeZone: cal.timeZone,
    provisional: c.sla.provisional,
    businessTime: time,
  };
};

/** The intake answer: the acknowledgement, with team and every deadline. */
export const toIntakeResponse = (c: Complaint, now: Date): IntakeResponse => ({
  id: c.id,
  reference: c.reference,
  status: c.status,
  team: c.team,
  priority: c.priority,
  deadlines: deadlinesOf(c, now),
});

/** What the owning channel system sees: no personal data beyond what it sent, no internal notes or tokens. */
export const toChannelView = (c: Complaint, now: Date): ComplaintView => ({
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
  ...(c.region ? { region: c.region } : {}),
  receivedAt: c.receivedAt,
  recordedAt: c.recordedAt ?? c.receivedAt,
  deadlines: deadlinesOf(c, now),
  ...(c.resolution
    ? {
        resolution: {
          outcome: c.resolution.outcome,
          summary: c.resolution.summary,
          ...(c.resolution.remedy ? { remedy: c.resolution.remedy } : {}),
        },
      }
    : {}),
  ...(c.pendingQuestion ? { pendingQuestion: c.pendingQuestion } : {}),
  ...(c.feedback
    ? {
        feedback: { satisfaction: c.feedback.satisfaction, accepted: c.feedback.accepted, at: c.feedback.at },
      }
    : {}),
  ...(c.feedbackDueBy && c.status === "awaiting_feedback" ? { feedbackDueBy: c.feedbackDueBy } : {}),
  cycle: c.cycle,
  ...(c.closedAt ? { closedAt: c.closedAt } : {}),
  version: c.version,
});

/**
 * What staff of the owning team see: the whole complaint (still never a task token), with the actions
 * the caller's role may take on it now.
 */
export const toStaffView = (c: Complaint, now: Date, role: Role) => ({
  ...toChannelView(c, now),
  allowedActions: allowedActionsFor(c, role),
  customer: c.customer,
  description: c.description,
  codes: c.codes,
  flags: c.flags,
  severity: c.severity,
  assignee: c.assignee ?? null,
  slaPhase: c.slaPhase,
  policyVersion: c.sla.policyVersion,
  pauses: c.pauses,
  extension: c.extension ?? null,
  amountInDispute: c.amountInDispute ?? null,
  branch: c.branch ?? null,
  repeatOf: c.repeatOf ?? null,
  tierSince: c.tierSince ?? null,
  statutoryBreaches: c.statutoryBreaches,
  resolution: c.resolution
    ? {
        outcome: c.resolution.outcome,
        summary: c.resolution.summary,
        ...(c.resolution.remedy ? { remedy: c.resolution.remedy } : {}),
        ...(c.resolution.rootCause ? { rootCause: c.resolution.rootCause } : {}),
        resolvedBy: c.resolution.resolvedBy,
        resolvedAt: c.resolution.resolvedAt,
      }
    : undefined,
  remediation: c.resolution?.remediation
    ? {
        ...c.resolution.remediation,
        completedAt: c.resolution.remediationCompleted?.at ?? null,
        completedBy: c.resolution.remediationCompleted?.by ?? null,
      }
    : null,
  attachments: (c.attachments ?? []).map((a) => toAttachmentView(c, a)),
});

/** A file as readers see it: metadata, status and checks, and until when it is kept (no URL). */
export const toAttachmentView = (c: Complaint, a: Attachment) => ({
  id: a.id,
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
  uploadedBy: a.uploadedBy,
  status: a.status,
  ...(a.reason ? { reason: a.reason } : {}),
  checks: a.checks,
  requestedAt: a.requestedAt,
  ...(a.uploadedAt ? { uploadedAt: a.uploadedAt } : {}),
  ...(a.availableAt ? { availableAt: a.availableAt } : {}),
  ...(a.rejectedAt ? { rejectedAt: a.rejectedAt } : {}),
  // Counted from closure; while the complaint is open, the lock set when the file became available.
  ...(a.status === "available" && a.availableAt
    ? { retainUntil: retainUntilOf(c, new Date(a.availableAt)).toISOString() }
    : {}),
});

/** The earliest statutory deadline of a complaint (windows are options, not deadlines), if any. */
const statutoryDueOf = (c: Complaint): string | undefined =>
  c.sla.statutory
    .filter((s) => isStatutoryDeadline(s.rule))
    .map((s) => s.dueBy)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];

/** A queue row: enough to pick the next complaint, no personal data. */
export const toQueueItem = (c: Complaint, now: Date) => ({
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
  dueBy: calendarOf(c).formatLocal(new Date(c.sla.tierDueBy ?? c.sla.resolveBy)),
  statutoryDueBy: ((due) => (due ? calendarOf(c).formatLocal(new Date(due)) : null))(statutoryDueOf(c)),
  businessMinutesLeft: businessTime(slaFactsOf(c), c.sla, calendarOf(c), now).remainingMinutes,
  timeZone: calendarOf(c).timeZone,
});
