import { BUSINESS_TYPES, CAUSES, CHANNELS, JURISDICTIONS, PRIORITIES, SEGMENTS } from "./codes";
import { type Complaint, type DomainEvent, STATUSES } from "./complaint";
import { EVENT_DATA, statutoryDueSchema } from "./events";
import { moneySchema } from "./schemas";
import * as z from "./zod";

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
  "RepeatDetected",
] as const;
export type IntegrationEventType = (typeof INTEGRATION_EVENT_TYPES)[number];

const instant = /* @__PURE__ */ (() =>
  z.iso.datetime({ offset: true }).check(z.describe("ISO-8601 instant")))();
const tier = /* @__PURE__ */ (() => z.int().check(z.gte(0), z.lte(3)))();
const statutory = /* @__PURE__ */ (() =>
  z.array(statutoryDueSchema).check(z.describe("statutory deadlines in force")))();

/** What every event says about its complaint: ids, codes, routing and timings. */
const envelope = /* @__PURE__ */ (() => ({
  eventId: z
    .string()
    .check(z.describe("<complaintId>-<complaintVersion>-<n>: the same on a retried publication")),
  version: z.literal(INTEGRATION_EVENT_VERSION),
  occurredAt: instant,
  complaintId: z.string().check(z.describe("ULID")),
  complaintVersion: z.int().check(z.nonnegative(), z.describe("orders a complaint's events")),
  reference: z.string().check(z.describe("the business reference, e.g. CMP-20261201-000001")),
  customerId: z
    .string()
    .check(z.describe("the bank's pseudonymous customer id (the CRM key); nothing else of the customer")),
  segment: z.enum(SEGMENTS),
  channel: z.enum(CHANNELS),
  jurisdiction: z.enum(JURISDICTIONS),
  businessType: z.enum(BUSINESS_TYPES),
  cause: z.enum(CAUSES),
  codes: z
    .strictObject({ channel: z.string(), businessType: z.string(), cause: z.string() })
    .check(z.describe("JR/T 0169-2018 codes (axes A, B, C)")),
  branch: z.nullable(z.string()),
  team: z.string(),
  priority: z.enum(PRIORITIES),
  tier,
  status: z.enum(STATUSES),
  cycle: z.int().check(z.positive()),
  receivedAt: instant,
  elapsedMinutes: z.int().check(z.nonnegative(), z.describe("calendar minutes from receipt to this event")),
}))();

const event = <T extends IntegrationEventType, D extends z.core.$ZodShape>(
  type: T,
  description: string,
  data: D,
) =>
  z
    .strictObject({ type: z.literal(type), ...envelope, data: z.strictObject(data) })
    .check(z.describe(description));

/** One zod schema per event type: the source of the published JSON Schemas and of the types below. */
export const INTEGRATION_EVENT_SCHEMAS = /* @__PURE__ */ (() =>
  ({
    ComplaintReceived: event(
      "ComplaintReceived",
      "A complaint was taken in, classified and routed",
      z.pick(EVENT_DATA.ComplaintReceived, {
        rule: true,
        policyVersion: true,
        provisional: true,
        repeatOf: true,
      }).shape,
    ),
    Acknowledged: event("Acknowledged", "The intake answer acknowledged the complaint with every deadline", {
      acknowledgedAt: instant,
      firstResponseBy: instant,
      resolveBy: instant,
      statutory,
    }),
    Assigned: event(
      "Assigned",
      "The complaint has a new handler: claimed by staff, or queued to a new team",
      {
        via: z.enum(["claim", "reassign"]),
        assignee: z
          .nullable(z.string())
          .check(z.describe("the staff subject (an employee id), null when queued to a team")),
      },
    ),
    InformationRequested: event(
      "InformationRequested",
      "The customer was asked for information; clocks paused",
      EVENT_DATA.InformationRequested.shape,
    ),
    CustomerReplied: event(
      "CustomerReplied",
      "The customer answered; clocks resumed",
      z.pick(EVENT_DATA.CustomerReplied, { pausedMinutes: true }).shape,
    ),
    SlaWarning: event("SlaWarning", "The internal resolution target is near", EVENT_DATA.SlaWarning.shape),
    SlaBreached: event("SlaBreached", "The internal resolution target passed", EVENT_DATA.SlaBreached.shape),
    Escalated: event(
      "Escalated",
      "The complaint moved one tier up",
      z.pick(EVENT_DATA.Escalated, { fromTier: true, toTier: true, reason: true, tierDueBy: true }).shape,
    ),
    Reassigned: event(
      "Reassigned",
      "The complaint was queued to another team",
      z.pick(EVENT_DATA.Reassigned, { fromTeam: true, toTeam: true }).shape,
    ),
    Extended: event("Extended", "The statutory handling period was extended (holding reply sent)", {
      ...z.pick(EVENT_DATA.Extended, { level: true, totalDays: true }).shape,
      approved: z.boolean(),
      statutory,
    }),
    Resolved: event("Resolved", "Staff resolved the complaint; the final response was sent", {
      ...z.pick(EVENT_DATA.Resolved, { outcome: true, rootCause: true }).shape,
      remedy: z.nullable(moneySchema),
      ...z.pick(EVENT_DATA.Resolved, { remediationDueBy: true }).shape,
    }),
    FeedbackReceived: event(
      "FeedbackReceived",
      "The customer rated the resolution",
      EVENT_DATA.FeedbackReceived.shape,
    ),
    Reopened: event(
      "Reopened",
      "The customer did not accept: a new cycle, one tier up",
      z.pick(EVENT_DATA.Reopened, { toTier: true }).shape,
    ),
    Closed: event("Closed", "The complaint is closed", EVENT_DATA.Closed.shape),
    RepeatDetected: event(
      "RepeatDetected",
      "The complaint repeats an open one of the same customer about the same business type; priority raised",
      z.pick(EVENT_DATA.RepeatDetected, {
        repeatOf: true,
        priorityBefore: true,
        priorityAfter: true,
        resolveBy: true,
      }).shape,
    ),
  }) as const satisfies Record<IntegrationEventType, z.ZodMiniType>)();

/** Any integration event, validated by its type (as read back from where it waits for delivery). */
export const integrationEventSchema = /* @__PURE__ */ (() =>
  z.discriminatedUnion("type", [
    INTEGRATION_EVENT_SCHEMAS.ComplaintReceived,
    INTEGRATION_EVENT_SCHEMAS.Acknowledged,
    INTEGRATION_EVENT_SCHEMAS.Assigned,
    INTEGRATION_EVENT_SCHEMAS.InformationRequested,
    INTEGRATION_EVENT_SCHEMAS.CustomerReplied,
    INTEGRATION_EVENT_SCHEMAS.SlaWarning,
    INTEGRATION_EVENT_SCHEMAS.SlaBreached,
    INTEGRATION_EVENT_SCHEMAS.Escalated,
    INTEGRATION_EVENT_SCHEMAS.Reassigned,
    INTEGRATION_EVENT_SCHEMAS.Extended,
    INTEGRATION_EVENT_SCHEMAS.Resolved,
    INTEGRATION_EVENT_SCHEMAS.FeedbackReceived,
    INTEGRATION_EVENT_SCHEMAS.Reopened,
    INTEGRATION_EVENT_SCHEMAS.Closed,
    INTEGRATION_EVENT_SCHEMAS.RepeatDetected,
  ]))();

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

/** The integration events one domain event maps to (none for internal ones: notes, notices, task stages). */
const draftsOf = (c: Complaint, e: DomainEvent): Draft[] => {
  const at = e.at;
  const deadlines = () => c.sla.statutory.map((s) => ({ rule: s.rule, dueBy: s.dueBy }));
  switch (e.type) {
    case "ComplaintReceived": {
      const { rule, policyVersion, provisional, repeatOf } = e.data;
      return [
        { type: "ComplaintReceived", at, data: { rule, policyVersion, provisional, repeatOf } },
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
    }
    case "Claimed":
      return [{ type: "Assigned", at, data: { via: "claim", assignee: c.assignee ?? null } }];
    case "Reassigned":
      return [
        { type: "Reassigned", at, data: { fromTeam: e.data.fromTeam, toTeam: e.data.toTeam } },
        { type: "Assigned", at, data: { via: "reassign", assignee: null } },
      ];
    case "InformationRequested":
      return [{ type: "InformationRequested", at, data: { replyBy: e.data.replyBy } }];
    case "CustomerReplied":
      return [{ type: "CustomerReplied", at, data: { pausedMinutes: e.data.pausedMinutes } }];
    case "SlaWarning":
    case "SlaBreached":
      return [{ type: e.type, at, data: { resolveBy: e.data.resolveBy } }];
    case "Escalated": {
      const { fromTier, toTier, reason, tierDueBy } = e.data;
      return [{ type: "Escalated", at, data: { fromTier, toTier, reason, tierDueBy } }];
    }
    case "Extended":
      return [
        {
          type: "Extended",
          at,
          data: {
            level: e.data.level,
            totalDays: e.data.totalDays,
            approved: e.data.approvedBy !== null,
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
            outcome: e.data.outcome,
            rootCause: e.data.rootCause,
            remedy: c.resolution?.remedy ?? null,
            remediationDueBy: e.data.remediationDueBy,
          },
        },
      ];
    case "FeedbackReceived":
      return [{ type: "FeedbackReceived", at, data: { ...e.data } }];
    case "Reopened":
      return [{ type: "Reopened", at, data: { toTier: e.data.toTier } }];
    case "Closed":
      return [{ type: "Closed", at, data: { ...e.data } }];
    case "RepeatDetected": {
      const { repeatOf, priorityBefore, priorityAfter, resolveBy } = e.data;
      return [{ type: "RepeatDetected", at, data: { repeatOf, priorityBefore, priorityAfter, resolveBy } }];
    }
    default:
      return [];
  }
};

/**
 * The integration events of a stored change, grouped by the domain event each comes from (pure). `c` is the
 * complaint as stored by the change: its `version` orders the events of one complaint (EventBridge itself
 * does not keep order), and ids number the change's events in order, `<id>-<version>-<n>`, stable across
 * redeliveries.
 */
export const integrationEventsByEvent = (
  c: Complaint,
  events: readonly DomainEvent[],
): IntegrationEvent[][] => {
  let n = 0;
  return events.map((e) => draftsOf(c, e).map((draft) => toIntegrationEvent(c, draft, ++n)));
};

/** The integration events of a stored change, in order (pure). */
export const integrationEventsFor = (c: Complaint, events: readonly DomainEvent[]): IntegrationEvent[] =>
  integrationEventsByEvent(c, events).flat();

const toIntegrationEvent = (c: Complaint, draft: Draft, n: number): IntegrationEvent =>
  ({
    type: draft.type,
    eventId: `${c.id}-${c.version}-${n}`,
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
  }) as IntegrationEvent;
