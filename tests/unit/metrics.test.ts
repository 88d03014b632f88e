import { describe, expect, it } from "vitest";
import type { Complaint } from "../../functions/domain/complaint";
import { transition } from "../../functions/domain/lifecycle";
import {
  clockMinutes,
  DIMENSION_NAMES,
  dimensionSetsOf,
  type MetricDatum,
  metricsOf,
  percentile,
} from "../../functions/domain/metrics";
import { agent, ctxAt, eventOf, newComplaint, system } from "./domain/fixtures";

const customer = { kind: "channel" as const, channel: "mobile_app" as const };

/** Runs commands through the real lifecycle, collecting the metric data of every stored change. */
const run = (steps: [string, Parameters<typeof transition>[1]][]) => {
  let c: Complaint = newComplaint();
  const data: MetricDatum[] = [];
  for (const [at, command] of steps) {
    const result = transition(c, command, ctxAt(at));
    c = result.complaint;
    data.push(...metricsOf(c, result.events));
  }
  return { complaint: c, data };
};
const values = (data: MetricDatum[], name: string) => data.filter((d) => d.name === name).map((d) => d.value);

// Tuesday 1 December 2026 in Shanghai; working hours 09:00-12:00 and 13:30-17:30.
const T = (local: string) => new Date(`2026-12-0${local}+08:00`).toISOString();

describe("metricsOf: the SLA figures of a complaint's life, per resolution cycle", () => {
  const { data } = run([
    [T("1T10:00:00"), { type: "start_handling", actor: system }],
    [T("1T11:00:00"), { type: "request_info", actor: agent, question: "Which card?" }],
    [T("1T14:30:00"), { type: "customer_reply", actor: customer, message: "The gold one" }],
    [
      T("1T15:30:00"),
      {
        type: "resolve",
        actor: agent,
        resolution: { outcome: "upheld", summary: "Refunded the second fee" },
      },
    ],
    [T("2T10:00:00"), { type: "feedback", actor: customer, satisfaction: 2, accept: false }],
    [
      T("2T11:00:00"),
      { type: "resolve", actor: agent, resolution: { outcome: "upheld", summary: "Refund confirmed" } },
    ],
    [T("2T11:30:00"), { type: "feedback", actor: customer, satisfaction: 5, accept: true }],
  ]);

  it("counts the complaint once, when handling starts, with an immediate acknowledgement", () => {
    expect(values(data, "ComplaintsReceived")).toEqual([1]);
    expect(values(data, "TimeToAcknowledgeBusiness")).toEqual([0]);
    expect(values(data, "TimeToAcknowledgeCalendar")).toEqual([0]);
    expect(values(data, "RepeatComplaints")).toEqual([]);
  });

  it("takes the first request for information as the first response, and the resolution in a cycle without one", () => {
    // Cycle 1: asked the customer after one business hour; cycle 2 (from the reopen at 10:00): resolved at 11:00.
    expect(values(data, "TimeToFirstResponseBusiness")).toEqual([60, 60]);
    expect(values(data, "TimeToFirstResponseCalendar")).toEqual([60, 60]);
  });

  it("measures each cycle's resolution from the cycle's start, minus the time paused for the customer", () => {
    // 10:00-15:30 is 240 business minutes (lunch 12:00-13:30 excluded); 11:00-14:30 paused is 120 of them.
    // Calendar: 330 elapsed minus 210 paused.
    expect(values(data, "TimeToResolveBusiness")).toEqual([120, 60]);
    expect(values(data, "TimeToResolveCalendar")).toEqual([120, 60]);
    expect(values(data, "Resolutions")).toEqual([1, 1]);
    expect(values(data, "ResolvedWithinSla")).toEqual([1, 1]);
    expect(values(data, "PausedTime")).toEqual([210]);
  });

  it("records the reopen, both satisfaction scores and the close", () => {
    expect(values(data, "Reopened")).toEqual([1]);
    expect(values(data, "Satisfaction")).toEqual([2, 5]);
    expect(values(data, "ComplaintsClosed")).toEqual([1]);
  });

  it("gives every datum the complaint's low-cardinality dimensions only", () => {
    for (const d of data) {
      expect(Object.keys(d.dimensions).every((k) => (DIMENSION_NAMES as readonly string[]).includes(k))).toBe(
        true,
      );
      expect(d.dimensions).toMatchObject({
        Team: "cards",
        Priority: "P3",
        Segment: "mass_retail",
        Channel: "mobile_app",
        Jurisdiction: "CN",
      });
    }
  });
});

describe("metricsOf: SLA clock events", () => {
  const base = newComplaint();
  const at = { at: T("3T10:00:00") };

  it("maps warnings, breaches, statutory breaches and needs-attention to one count each", () => {
    const data = metricsOf(base, [
      eventOf("SlaWarning", { resolveBy: base.sla.resolveBy }, at),
      eventOf("SlaBreached", { resolveBy: base.sla.resolveBy }, at),
      eventOf("StatutoryDeadlineBreached", { rule: "cn_decision", dueBy: base.sla.resolveBy }, at),
      eventOf("NeedsAttention", { reason: "States.TaskFailed" }, at),
    ]);
    expect(data.map((d) => [d.name, d.value])).toEqual([
      ["SlaWarning", 1],
      ["SlaBreached", 1],
      ["StatutoryBreached", 1],
      ["NeedsAttention", 1],
    ]);
  });

  it("breaks escalations down by the tier reached, and counts an expired time box as stuck work", () => {
    const manual = metricsOf(base, [
      eventOf("Escalated", { fromTier: 0, toTier: 1, reason: "manual", tierDueBy: null }, at),
    ]);
    expect(manual.map((d) => [d.name, d.dimensions.Tier])).toEqual([["Escalations", "1"]]);
    const timedOut = metricsOf(base, [
      eventOf("Escalated", { fromTier: 1, toTier: 2, reason: "tier_timeout", tierDueBy: null }, at),
    ]);
    expect(timedOut.map((d) => [d.name, d.dimensions.Tier])).toEqual([
      ["Escalations", "2"],
      ["TimeBoxExceeded", "1"],
    ]);
  });

  it("counts a reassignment against the team the complaint left", () => {
    const moved = { ...base, team: "payments" };
    const [d] = metricsOf(moved, [
      eventOf("Reassigned", { fromTeam: "cards", toTeam: "payments", reason: "x" }, at),
    ]);
    expect(d).toMatchObject({ name: "Reassignments", value: 1, dimensions: { Team: "cards" } });
  });

  it("flags repeat complaints and provisional deadlines at receipt", () => {
    const flagged: Complaint = {
      ...base,
      flags: { ...base.flags, repeat: true },
      sla: { ...base.sla, provisional: true },
    };
    const names = metricsOf(flagged, [eventOf("HandlingStarted", { team: "cards", priority: "P3" }, at)]).map(
      (d) => d.name,
    );
    expect(names).toEqual(
      expect.arrayContaining(["ComplaintsReceived", "RepeatComplaints", "ProvisionalDeadlines"]),
    );
  });

  it("emits nothing for events that measure nothing", () => {
    expect(
      metricsOf(base, [
        eventOf("NoteAdded", { note: "called back" }, at),
        eventOf("Claimed", { previousAssignee: null }, at),
      ]),
    ).toEqual([]);
  });
});

describe("dimension sets and shared arithmetic", () => {
  it("publishes each datum under the total and one set per axis; escalations by tier too", () => {
    const dims = { Team: "cards", Priority: "P2", Segment: "wealth", Channel: "wechat", Jurisdiction: "CN" };
    expect(dimensionSetsOf({ name: "SlaBreached", dimensions: dims })).toEqual([
      {},
      { Team: "cards" },
      { Priority: "P2" },
      { Segment: "wealth" },
      { Channel: "wechat" },
      { Jurisdiction: "CN" },
    ]);
    expect(dimensionSetsOf({ name: "Escalations", dimensions: { ...dims, Tier: "2" } }).at(-1)).toEqual({
      Tier: "2",
    });
  });

  it("counts business minutes on the jurisdiction's calendar across a weekend", () => {
    const c = newComplaint();
    // Friday 4 Dec 17:00 to Monday 7 Dec 09:30 (Shanghai): 30 + 30 business minutes, 3870 elapsed.
    const m = clockMinutes(c, new Date(T("4T17:00:00")), new Date(T("7T09:30:00")));
    expect(m).toEqual({ business: 60, calendar: 3870 });
  });

  it("uses nearest-rank percentiles", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([7], 90)).toBe(7);
  });
});
