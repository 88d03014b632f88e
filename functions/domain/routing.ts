import type { BusinessType, Cause, Channel, Segment } from "./codes";
import { BUSINESS_TYPES, CAUSES, CHANNELS, PRIORITIES, type Priority, SEGMENTS } from "./codes";
import { isRegion } from "./regions/index";
import * as z from "./zod";

/**
 * Routing is data: an ordered rule table, first match wins, validated when it is loaded so a bad
 * table fails at start-up rather than on the first complaint it misroutes.
 */
const ruleSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    name: z.string().check(z.minLength(1)),
    when: z.strictObject({
      segment: z.optional(z.array(z.enum(SEGMENTS)).check(z.minLength(1))),
      businessType: z.optional(z.array(z.enum(BUSINESS_TYPES)).check(z.minLength(1))),
      cause: z.optional(z.array(z.enum(CAUSES)).check(z.minLength(1))),
      channel: z.optional(z.array(z.enum(CHANNELS)).check(z.minLength(1))),
      flags: z.optional(
        z.strictObject({
          vulnerableCustomer: z.optional(z.boolean()),
          mediaRisk: z.optional(z.boolean()),
          regulatorReferral: z.optional(z.boolean()),
        }),
      ),
    }),
    team: z.string().check(z.regex(/^[a-z][a-z0-9_]{1,39}$/)),
    priority: z.enum(PRIORITIES),
  }))();

export const routingTableSchema = /* @__PURE__ */ (() =>
  z.array(ruleSchema).check(
    z.minLength(1),
    z.refine((rules) => Object.keys(rules.at(-1)?.when ?? { x: 1 }).length === 0, {
      message: "the last rule must be a catch-all (empty 'when') so every complaint is routed",
    }),
  ))();
export type RoutingRule = z.infer<typeof ruleSchema>;
export type RoutingTable = z.infer<typeof routingTableSchema>;

export interface RoutingFacts {
  segment: Segment;
  businessType: BusinessType;
  cause: Cause;
  channel: Channel;
  flags: { vulnerableCustomer: boolean; mediaRisk: boolean; regulatorReferral: boolean };
}

export interface RoutingDecision {
  team: string;
  priority: Priority;
  rule: string;
}

/**
 * Where each team handles its complaints, when intake does not say: an ISO 3166-2 subdivision
 * (`GB-SCT` for a team in Edinburgh). It picks the calendar for complaints of that country; a team's
 * region of another country is not used. Checked at start against the routing table's teams.
 */
export const loadTeamRegions = (raw: unknown, table: RoutingTable): Record<string, string> => {
  const teams = new Set(table.map((r) => r.team));
  return z
    .record(
      z.string().check(z.refine((t) => teams.has(t), "is not a team of the routing table")),
      z.string().check(z.refine(isRegion, "is not an ISO 3166-2 subdivision")),
    )
    .parse(raw);
};

/** Validates a routing table, throwing with the offending path when it is malformed. */
export const loadRoutingTable = (raw: unknown): RoutingTable => routingTableSchema.parse(raw);

const matches = (rule: RoutingRule, facts: RoutingFacts): boolean => {
  const w = rule.when;
  if (w.segment && !w.segment.includes(facts.segment)) return false;
  if (w.businessType && !w.businessType.includes(facts.businessType)) return false;
  if (w.cause && !w.cause.includes(facts.cause)) return false;
  if (w.channel && !w.channel.includes(facts.channel)) return false;
  if (w.flags) {
    for (const [flag, wanted] of Object.entries(w.flags)) {
      if (facts.flags[flag as keyof RoutingFacts["flags"]] !== wanted) return false;
    }
  }
  return true;
};

/** Picks team and priority for a complaint: the first rule whose conditions all hold. */
export const route = (table: RoutingTable, facts: RoutingFacts): RoutingDecision => {
  const rule = table.find((r) => matches(r, facts));
  // The schema guarantees a catch-all last rule, so this only fails on an unvalidated table.
  if (!rule) throw new Error("routing table has no catch-all rule");
  return { team: rule.team, priority: rule.priority, rule: rule.name };
};

/** Priority is raised (never lowered) one step for complaints that carry extra risk. */
export const raisePriority = (priority: Priority): Priority => {
  const i = PRIORITIES.indexOf(priority);
  return PRIORITIES[Math.max(0, i - 1)] ?? priority;
};

/** The bank's first routing table. Private banking and wealth clients go to their own desk first. */
export const defaultRoutingTable: RoutingTable = /* @__PURE__ */ loadRoutingTable([
  {
    name: "regulator referrals go to regulatory liaison",
    when: { channel: ["regulator_referral"] },
    team: "regulatory_liaison",
    priority: "P1",
  },
  {
    name: "media risk goes to regulatory liaison",
    when: { flags: { mediaRisk: true } },
    team: "regulatory_liaison",
    priority: "P1",
  },
  {
    name: "private banking desk",
    when: { segment: ["private_banking"] },
    team: "private_banking",
    priority: "P1",
  },
  {
    name: "wealth clients: wealth desk",
    when: { segment: ["wealth"] },
    team: "wealth",
    priority: "P2",
  },
  {
    name: "fraud disputes and privacy are urgent",
    when: { cause: ["fraud_dispute", "privacy"] },
    team: "fraud_and_privacy",
    priority: "P1",
  },
  { name: "mis-selling of investments", when: { cause: ["mis_selling"] }, team: "wealth", priority: "P2" },
  { name: "cards", when: { businessType: ["cards"] }, team: "cards", priority: "P3" },
  { name: "loans", when: { businessType: ["loans"] }, team: "loans", priority: "P3" },
  { name: "payments", when: { businessType: ["payments"] }, team: "payments", priority: "P2" },
  {
    name: "digital channels and e-banking",
    when: { businessType: ["e_banking"] },
    team: "digital",
    priority: "P3",
  },
  { name: "deposits", when: { businessType: ["deposits"] }, team: "deposits", priority: "P3" },
  { name: "everything else", when: {}, team: "general", priority: "P4" },
]);
