import type {
  Actor,
  Complaint,
  DomainEventType,
  EventData,
  EventOf,
} from "../../../functions/domain/complaint";
import { openComplaint } from "../../../functions/domain/lifecycle";
import { defaultRoutingTable } from "../../../functions/domain/routing";
import type { IntakeRequest } from "../../../functions/domain/schemas";
import { defaultSlaPolicy, slaPolicies } from "../../../functions/domain/sla";

// Tuesday 1 December 2026, 10:00 in Shanghai: a CN working day (09:00-12:00, 13:30-17:30).
export const RECEIVED_AT = new Date("2026-12-01T02:00:00.000Z");

export const intakeRequest = (overrides: Partial<IntakeRequest> = {}): IntakeRequest => ({
  customer: { id: "C-1001", segment: "mass_retail" },
  businessType: "cards",
  cause: "fees_pricing",
  description: "Annual fee charged twice",
  ...overrides,
});

/** A freshly opened complaint, as intake would create it. */
export const newComplaint = (overrides: Partial<IntakeRequest> = {}): Complaint =>
  openComplaint(intakeRequest(overrides), {
    id: "01JDEMO0000000000000000000",
    reference: "CMP-20261201-000001",
    channel: "mobile_app",
    now: RECEIVED_AT,
    routing: defaultRoutingTable,
    policy: defaultSlaPolicy,
  }).complaint;

export const ctxAt = (iso: string) => ({ now: new Date(iso), policies: slaPolicies });

export const agent = { kind: "staff" as const, subject: "agent-1", role: "agent", teams: ["cards"] };
export const system = { kind: "system" as const, component: "workflow" };

/** One domain event of a type, with its whole payload (the union makes the payload match the type). */
export const eventOf = <T extends DomainEventType>(
  type: T,
  data: EventData[T],
  opts: { at?: string; actor?: Actor; statusAfter?: Complaint["status"] } = {},
): EventOf<T> => ({
  type,
  at: opts.at ?? RECEIVED_AT.toISOString(),
  actor: opts.actor ?? system,
  statusAfter: opts.statusAfter ?? "in_progress",
  data,
});

/** A ComplaintReceived event for a complaint, as intake records it. */
export const receivedEvent = (c: Complaint): EventOf<"ComplaintReceived"> =>
  eventOf(
    "ComplaintReceived",
    {
      team: c.team,
      priority: c.priority,
      rule: "cards",
      codes: c.codes,
      policyVersion: c.sla.policyVersion,
      provisional: c.sla.provisional,
      repeatOf: null,
    },
    { at: c.receivedAt, actor: { kind: "channel", channel: c.channel }, statusAfter: "received" },
  );
