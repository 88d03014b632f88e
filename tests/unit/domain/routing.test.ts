import { describe, expect, it } from "vitest";
import { calendarFor } from "../../../functions/domain/calendar";
import { defaultRoutingTable, loadRoutingTable, route } from "../../../functions/domain/routing";
import { computeSlaPlan, defaultSlaPolicy, loadSlaPolicy } from "../../../functions/domain/sla";
import { newComplaint } from "./fixtures";

const facts = {
  segment: "mass_retail" as const,
  businessType: "cards" as const,
  cause: "fees_pricing" as const,
  channel: "mobile_app" as const,
  flags: { vulnerableCustomer: false, mediaRisk: false, regulatorReferral: false },
};

describe("routing", () => {
  it("sends private banking clients to their desk ahead of the product teams", () => {
    expect(route(defaultRoutingTable, { ...facts, segment: "private_banking" })).toMatchObject({
      team: "private_banking",
      priority: "P1",
    });
  });
  it("sends regulator referrals to regulatory liaison whatever the product", () => {
    expect(
      route(defaultRoutingTable, { ...facts, channel: "regulator_referral", segment: "private_banking" })
        .team,
    ).toBe("regulatory_liaison");
  });
  it("routes by business type, and falls back to the catch-all", () => {
    expect(route(defaultRoutingTable, { ...facts, businessType: "loans" }).team).toBe("loans");
    expect(route(defaultRoutingTable, { ...facts, businessType: "other", cause: "other" })).toMatchObject({
      team: "general",
      priority: "P4",
    });
  });
  it("raises priority one step for a vulnerable customer", () => {
    expect(newComplaint({ flags: { vulnerableCustomer: true } })).toMatchObject({
      priority: "P2",
      severity: "high",
    });
  });
  it("rejects a table without a catch-all, and a rule with an unknown segment", () => {
    expect(() =>
      loadRoutingTable([{ name: "x", when: { businessType: ["cards"] }, team: "cards", priority: "P3" }]),
    ).toThrow(/catch-all/);
    expect(() =>
      loadRoutingTable([{ name: "x", when: { segment: ["vip"] }, team: "cards", priority: "P3" }]),
    ).toThrow(
      expect.objectContaining({
        name: "$ZodError",
        issues: [expect.objectContaining({ code: "invalid_value", path: [0, "when", "segment", 0] })],
      }),
    );
  });
});

describe("SLA policy", () => {
  it("gives private banking tighter targets than mass retail for the same priority", () => {
    // Tue 1 Dec 08:00 in Shanghai. Private banking P1: 2 business days (Thu 3 Dec 17:30 +08:00);
    // mass retail P1: 3 business days (Fri 4 Dec 17:30 +08:00).
    const at = new Date("2026-12-01T00:00:00Z");
    const facts = {
      receivedAt: at.toISOString(),
      priority: "P1" as const,
      jurisdiction: "CN" as const,
      tier: 0 as const,
      pauses: [],
    };
    const pb = computeSlaPlan(
      { ...facts, segment: "private_banking" },
      defaultSlaPolicy,
      calendarFor("CN"),
      at,
    );
    const retail = computeSlaPlan(
      { ...facts, segment: "mass_retail" },
      defaultSlaPolicy,
      calendarFor("CN"),
      at,
    );
    expect(pb.resolveBy).toBe("2026-12-03T09:30:00.000Z");
    expect(retail.resolveBy).toBe("2026-12-04T09:30:00.000Z");
    expect(pb.policyVersion).toBe(defaultSlaPolicy.version);
  });
  it("rejects negative, zero and absurd targets", () => {
    const bad = (amount: number) => ({
      ...defaultSlaPolicy,
      targets: {
        ...defaultSlaPolicy.targets,
        P1: { ...defaultSlaPolicy.targets.P1, resolution: { amount, unit: "days", basis: "calendar" } },
      },
    });
    expect(() => loadSlaPolicy(bad(-1))).toThrow(/positive/);
    expect(() => loadSlaPolicy(bad(0))).toThrow(/positive/);
    expect(() => loadSlaPolicy(bad(10_000_000))).toThrow(/absurd/);
  });
});
