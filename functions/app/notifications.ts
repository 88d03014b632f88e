import { TIER_NAMES, type Tier } from "../domain/codes";
import type { Complaint, DomainEvent } from "../domain/complaint";

/** A notice to the people who must act now. Ids, references and deadlines only: never personal data. */
export interface ManagerNotice {
  kind: "sla_warning" | "escalation" | "statutory_breach" | "needs_attention";
  complaintId: string;
  reference: string;
  team: string;
  tier: number;
  /** Who is being called in (the tier's role, or the team for a warning). */
  audience: string;
  subject: string;
  at: string;
  details: Record<string, unknown>;
}

/** The notices a set of domain events calls for: warnings to the team, escalations to the tier's managers. */
export const noticesFor = (c: Complaint, events: readonly DomainEvent[]): ManagerNotice[] => {
  const base = { complaintId: c.id, reference: c.reference, team: c.team, tier: c.tier };
  return events.flatMap((e): ManagerNotice[] => {
    switch (e.type) {
      case "SlaWarning":
        return [
          {
            ...base,
            kind: "sla_warning",
            audience: `team:${c.team}`,
            subject: `${c.reference}: resolution due ${c.sla.resolveBy}`,
            at: e.at,
            details: { resolveBy: c.sla.resolveBy, priority: c.priority },
          },
        ];
      case "Escalated": {
        const tier = e.data.toTier as Tier;
        return [
          {
            ...base,
            kind: "escalation",
            audience: `${TIER_NAMES[tier]}:${c.team}`,
            subject: `${c.reference} escalated to ${TIER_NAMES[tier]} (tier ${tier})`,
            at: e.at,
            details: {
              fromTier: e.data.fromTier,
              toTier: tier,
              reason: e.data.reason,
              tierDueBy: c.sla.tierDueBy,
            },
          },
        ];
      }
      case "StatutoryDeadlineBreached":
        return [
          {
            ...base,
            kind: "statutory_breach",
            audience: `manager:${c.team}`,
            subject: `${c.reference}: statutory deadline ${e.data.rule} passed`,
            at: e.at,
            details: { rule: e.data.rule, dueBy: e.data.dueBy, jurisdiction: c.jurisdiction },
          },
        ];
      case "NeedsAttention":
        return [
          {
            ...base,
            kind: "needs_attention",
            audience: "operations",
            subject: `${c.reference} needs attention: its workflow step failed`,
            at: e.at,
            details: { reason: e.data.reason },
          },
        ];
      default:
        return [];
    }
  });
};
