import * as z from "zod";
import { BUSINESS_TYPES, CAUSES, CHANNELS, JURISDICTIONS, PRIORITIES, ROOT_CAUSES, SEGMENTS } from "./codes";
import { type Complaint, type DomainEvent, STATUSES } from "./complaint";
import { moneySchema } from "./schemas";
import { STATUTORY_RULES } from "./sla/statutory";

/**
 * Integration events: what the complaint system tells the rest of the bank (CRM, product owners,
 * branches) on its event bus. Mapped from the domain events; each type has a versioned schema generated
 * from the zod below and published in `docs/events/` (`npm run events:schemas`). They carry ids, codes
 * and timings — never personal data (no names, contact details, free text written by customers or staff).
 */

/** The `source` of every event the complaint system puts on the bus. */
export const EVENT_SOURCE = "bank.complaints";
/** Bumped on a breaking change of an event's schema; additive changes keep it. */
export const INTEGRATION_EVENT_VERSION = "1";
/** Published schemas are identified under this base. */
export const EVENT_SCHEMA_BASE = "https://schemas.bank.example/complaints/events";

export const INTEGRATION_EVENT_TYPES = [
  "ComplaintReceived",
  "Acknowledged",
  "Assigned",
  "InformationRequested",
  "CustomerReplied",
  "SlaWarning",
  "SlaBreached",
  "Escalated",
  "Reassigned",
  "Extended",
  "Resolved",
  "FeedbackReceived",
  "Reopened",
  "Closed",
] as const;
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[number];

const instant = z.iso.datetime({ offset: true }).describe("ISO-8601 instant");
const tier = z.number().int().min(0).max(3);
const statutory = z
  .array(z.object({ rule: z.enum(STATUTORY_RULES), dueBy: instant }).strict())
  .describe("statutory deadlines in force");

/** What every event says about its complaint: ids, codes, routing and timings. */
const envelope = {
  eventId: z.string().describe("<complaintId>-<complaintVersion>-<n>: the same on a retried publication"),
  version: z.literal(INTEGRATION_EVENT_VERSION),
  occurredAt: instant,
  complaintId: z.string().describe("ULID"),
  complaintVersion: z.number().int().nonnegative().describe("orders a complaint's events"),
  reference: z.string().describe("the business reference, e.g. CMP-20261201-000001"),
  customerId: z
    .string()
    .describe("the bank's pseudonymous customer id (the CRM key); nothing else of the customer"),
  segment: z.enum(SEGMENTS),
  channel: z.enum(CHANNELS),
  jurisdiction: z.enum(JURISDICTIONS),
  businessType: z.enum(BUSINESS_TYPES),
  cause: z.enum(CAUSES),
  codes: z
    .object({ channel: z.string(), businessType: z.string(), cause: z.string() })
    .strict()
    .describe("JR/T 0169-2018 codes (axes A, B, C)"),
  branch: z.string().nullable(),
  team: z.string(),
  priority: z.enum(PRIORITIES),
  tier,
  status: z.enum(STATUSES),
  cycle: z.number().int().positive(),
  receivedAt: instant,
  elapsedMinutes: z.number().int().nonnegative().describe("calendar minutes from receipt to this event"),
};

const event = <T extends IntegrationEventType, D extends z.ZodRawShape>(
  type: T,
  description: string,
  data: D,
) =>
  z
    .object({ type: z.literal(type), ...envelope, data: z.object(data).strict() })
    .strict()
    .describe(description);

/** One zod schema per event type: the source of the published JSON Schemas and of the types below. */
export const INTEGRATION_EVENT_SCHEMAS = {
  ComplaintReceived: event("ComplaintReceived", "A complaint was taken in, classified and routed", {
    rule: z.string().describe("the routing rule that matched"),
    policyVersion: z.string(),
    provisional: z.boolean(),
    repeatOf: z.string().nullable(),
  }),
  Acknowledged: event("Acknowledged", "The intake answer acknowledged the complaint with every deadline", {
    acknowledgedAt: instant,
    firstResponseBy: instant,
    resolveBy: instant,
    statutory,
  }),
  Assigned: event("Assigned", "The complaint has a new handler: claimed by staff, or queued to a new team", {
    via: z.enum(["claim", "reassign"]),
    assignee: z
      .string()
      .nullable()
      .describe("the staff subject (an employee id), null when queued to a team"),
  }),
  InformationRequested: event(
    "InformationRequested",
    "The customer was asked for information; clocks paused",
    {
      replyBy: instant,
    },
  ),
  CustomerReplied: event("CustomerReplied", "The customer answered; clocks resumed", {
    pausedMinutes: z.number().int().nonnegative(),
  }),
  SlaWarning: event("SlaWarning", "The internal resolution target is near", { resolveBy: instant }),
  SlaBreached: event("SlaBreached", "The internal resolution target passed", { resolveBy: instant }),
  Escalated: event("Escalated", "The complaint moved one tier up", {
    fromTier: tier,
    toTier: tier,
    reason: z.enum(["manual", "breach", "tier_timeout"]),
    tierDueBy: instant.nullable(),
  }),
  Reassigned: event("Reassigned", "The complaint was queued to another team", {
    fromTeam: z.string(),
    toTeam: z.string(),
  }),
  Extended: event("Extended", "The statutory handling period was extended (holding reply sent)", {
    level: z.enum(["cn_30", "cn_60", "holding_reply"]),
    totalDays: z.number().int().nullable(),
    approved: z.boolean(),
    statutory,
  }),
  Resolved: event("Resolved", "Staff resolved the complaint; the final response was sent", {
    outcome: z.enum(["upheld", "partially_upheld", "rejected"]),
    rootCause: z.enum(ROOT_CAUSES).nullable(),
    remedy: moneySchema.nullable(),
    remediationDueBy: z.iso.date().nullable(),
  }),
  FeedbackReceived: event("FeedbackReceived", "The customer rated the resolution", {
    satisfaction: z.number().int().min(1).max(5),
    accepted: z.boolean(),
  }),
  Reopened: event("Reopened", "The customer did not accept: a new cycle, one tier up", {
    toTier: tier,
  }),
  Closed: event("Closed", "The complaint is closed", {
    outcome: z.enum(["upheld", "partially_upheld", "rejected"]).nullable(),
    reason: z.enum(["accepted", "no_feedback"]),
  }),
} as const satisfies Record<IntegrationEventType, z.ZodType>;

export type IntegrationEvent = {
  [T in IntegrationEventType]: z.infer<(typeof INTEGRATION_EVENT_SCHEMAS)[T]>;
}[IntegrationEventType];

/** The published JSON Schema of an event type (draft 2020-12), with its `$id` and version. */
export const integrationEventJsonSchema = (type: IntegrationEventType): Record<string, unknown> => {
  const schema = z.toJSONSchema(INTEGRATION_EVENT_SCHEMAS[type], { target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: `${EVENT_SCHEMA_BASE}/${type}/v${INTEGRATION_EVENT_VERSION}.json`,
    title: `${type} v${INTEGRATION_EVENT_VERSION}`,
    ...rest,
  };
};

type Data<T extends IntegrationEventType> = z.infer<(typeof INTEGRATION_EVENT_SCHEMAS)[T]>["data"];
type Draft = { [T in IntegrationEventType]: { type: T; at: string; data: Data<T> } }[IntegrationEventType];

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown, fallback = 0): number => (typeof v === "number" ? v : fallback);

/** The integration events one domain event maps to (none for internal ones: notes, notices, task stages). */
const draftsOf = (c: Complaint, e: DomainEvent): Draft[] => {
  const d = e.data ?? {};
  const at = e.at;
  const deadlines = () => c.sla.statutory.map((s) => ({ rule: s.rule, dueBy: s.dueBy }));
  switch (e.type) {
    case "ComplaintReceived":
      return [
        {
          type: "ComplaintReceived",
          at,
          data: {
            rule: String(d.rule ?? ""),
            policyVersion: c.sla.policyVersion,
            provisional: c.sla.provisional,
            repeatOf: c.repeatOf ?? null,
          },
        },
        // The 201 of intake is the acknowledgement: it carries the team and every deadline.
        {
          type: "Acknowledged",
          at,
          data: {
            acknowledgedAt: c.sla.acknowledgedAt,
            firstResponseBy: c.sla.firstResponseBy,
            resolveBy: c.sla.resolveBy,
            statutory: deadlines(),
          },
        },
      ];
    case "Claimed":
      return [{ type: "Assigned", at, data: { via: "claim", assignee: c.assignee ?? null } }];
    case "Reassigned":
      return [
        {
          type: "Reassigned",
          at,
          data: { fromTeam: String(d.fromTeam ?? ""), toTeam: String(d.toTeam ?? c.team) },
        },
        { type: "Assigned", at, data: { via: "reassign", assignee: null } },
      ];
    case "InformationRequested":
      return [
        {
          type: "InformationRequested",
          at,
          data: { replyBy: str(d.replyBy) ?? c.pendingQuestion?.replyBy ?? at },
        },
      ];
    case "CustomerReplied":
      return [{ type: "CustomerReplied", at, data: { pausedMinutes: Math.max(0, num(d.pausedMinutes)) } }];
    case "SlaWarning":
      return [{ type: "SlaWarning", at, data: { resolveBy: str(d.resolveBy) ?? c.sla.resolveBy } }];
    case "SlaBreached":
      return [{ type: "SlaBreached", at, data: { resolveBy: str(d.resolveBy) ?? c.sla.resolveBy } }];
    case "Escalated": {
      const reason = d.reason === "breach" || d.reason === "tier_timeout" ? d.reason : "manual";
      return [
        {
          type: "Escalated",
          at,
          data: {
            fromTier: num(d.fromTier) as 0,
            toTier: num(d.toTier, c.tier) as 0,
            reason,
            tierDueBy: str(d.tierDueBy),
          },
        },
      ];
    }
    case "Extended":
      return [
        {
          type: "Extended",
          at,
          data: {
            level: c.extension?.level ?? "holding_reply",
            totalDays: typeof d.totalDays === "number" ? d.totalDays : null,
            approved: c.extension?.approvedBy !== undefined,
            statutory: deadlines(),
          },
        },
      ];
    case "Resolved":
      return [
        {
          type: "Resolved",
          at,
          data: {
            outcome: c.resolution?.outcome ?? "rejected",
            rootCause: c.resolution?.rootCause ?? null,
            remedy: c.resolution?.remedy ?? null,
            remediationDueBy: c.resolution?.remediation?.dueBy ?? null,
          },
        },
      ];
    case "FeedbackReceived":
      return [
        {
          type: "FeedbackReceived",
          at,
          data: { satisfaction: num(d.satisfaction, 1), accepted: d.accepted === true },
        },
      ];
    case "Reopened":
      return [{ type: "Reopened", at, data: { toTier: num(d.toTier, c.tier) as 0 } }];
    case "Closed":
      return [
        {
          type: "Closed",
          at,
          data: {
            outcome: c.resolution?.outcome ?? null,
            reason: d.reason === "accepted" ? "accepted" : "no_feedback",
          },
        },
      ];
    default:
      return [];
  }
};

/**
 * The integration events of a stored change, in order (pure). `c` is the complaint as stored by the
 * change (its `version` orders the events of one complaint; EventBridge itself does not keep order).
 */
export const integrationEventsFor = (c: Complaint, events: readonly DomainEvent[]): IntegrationEvent[] => {
  const drafts = events.flatMap((e) => draftsOf(c, e));
  return drafts.map(
    (draft, i) =>
      ({
        type: draft.type,
        eventId: `${c.id}-${c.version}-${i + 1}`,
        version: INTEGRATION_EVENT_VERSION,
        occurredAt: draft.at,
        complaintId: c.id,
        complaintVersion: c.version,
        reference: c.reference,
        customerId: c.customer.id,
        segment: c.customer.segment,
        channel: c.channel,
        jurisdiction: c.jurisdiction,
        businessType: c.businessType,
        cause: c.cause,
        codes: { ...c.codes },
        branch: c.branch ?? null,
        team: c.team,
        priority: c.priority,
        tier: c.tier,
        status: c.status,
        cycle: c.cycle,
        receivedAt: c.receivedAt,
        elapsedMinutes: Math.max(0, Math.floor((Date.parse(draft.at) - Date.parse(c.receivedAt)) / 60_000)),
        data: draft.data,
      }) as IntegrationEvent,
  );
};
