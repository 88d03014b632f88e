import { afterEach, describe, expect, it } from "vitest";
import { SHIPPED_YEARS, useCalendarYears } from "../../../functions/domain/calendar";
import type { Complaint } from "../../../functions/domain/complaint";
import { transition } from "../../../functions/domain/lifecycle";
import { withCustomerNotices } from "../../../functions/domain/notices";
import { agent, ctxAt, newComplaint, system } from "./fixtures";

const recomputeCommand = {
  type: "recompute_deadlines" as const,
  actor: system,
  reason: "calendar_loaded" as const,
  detail: "CN 2026 loaded (test)",
};

const inProgress = () =>
  transition(newComplaint(), { type: "start_handling", actor: system }, ctxAt("2026-12-01T02:00:01Z"))
    .complaint;

/** CN 2026 as shipped, plus one closed day of the test's own (test data, not a claim about any notice). */
const cn2026With = (extra: { date: string; name: string }) => {
  const shipped = SHIPPED_YEARS.find((y) => y.calendar === "CN" && y.year === 2026);
  if (!shipped) throw new Error("CN 2026 is not shipped");
  return { ...shipped, source: "test", holidays: [...shipped.holidays, extra] };
};

afterEach(() => useCalendarYears([]));

describe("recomputing deadlines under the calendars and rules in force", () => {
  it("changes nothing when nothing moved", () => {
    const c = inProgress();
    const result = transition(c, recomputeCommand, ctxAt("2026-12-02T02:00:00Z"));
    expect(result.events).toEqual([]);
    expect(result.complaint).toBe(c);
  });

  it("records every deadline that moved, from and to, and sends the customer a correction", () => {
    const c = inProgress();
    // Received Tue 1 Dec: ten working days end Tue 15 Dec 17:30; the 15 days, Wed 16 Dec. Close Mon 7 Dec.
    useCalendarYears([cn2026With({ date: "2026-12-07", name: "test closure" })]);
    const result = transition(c, recomputeCommand, ctxAt("2026-12-02T02:00:00Z"));
    expect(result.events.map((e) => e.type)).toEqual(["DeadlinesRecomputed"]);
    const data = result.events[0]!.data as {
      changes: unknown[];
      toldToCustomer: boolean;
      provisional: boolean;
    };
    expect(data.changes).toEqual(
      expect.arrayContaining([
        { deadline: "resolveBy", from: "2026-12-15T09:30:00.000Z", to: "2026-12-16T09:30:00.000Z" },
      ]),
    );
    // Calendar days do not move for a closed day, unless the last one is closed: the 15 days stay.
    expect(data.changes).not.toContainEqual(expect.objectContaining({ deadline: "cn_decision" }));
    expect(data.toldToCustomer).toBe(true);
    expect(result.complaint.sla.resolveBy).toBe("2026-12-16T09:30:00.000Z");
    const notices = withCustomerNotices(result.complaint, result.events, new Date("2026-12-02T02:00:00Z"), 3);
    expect(notices.notices.map((n) => n.kind)).toEqual(["deadline_correction"]);
    expect(notices.notices[0]!.content.body).toContain("2026-12-16");
  });

  it("corrects a statutory deadline older rules left, and reports the breach the correction uncovers, once", () => {
    const c = inProgress();
    // As older rules left it: a statutory deadline ten days later than the law's, still ahead.
    const stored: Complaint = {
      ...c,
      sla: {
        ...c.sla,
        statutory: c.sla.statutory.map((s) => ({ ...s, dueBy: "2026-12-26T15:59:59.999Z" })),
      },
    };
    const at = "2026-12-20T02:00:00Z";
    const result = transition(stored, { ...recomputeCommand, reason: "rules_corrected" }, ctxAt(at));
    expect(result.events.map((e) => e.type)).toEqual(["DeadlinesRecomputed", "StatutoryDeadlineBreached"]);
    expect(result.events[0]!.data).toMatchObject({
      reason: "rules_corrected",
      changes: [
        { deadline: "cn_decision", from: "2026-12-26T15:59:59.999Z", to: "2026-12-16T15:59:59.999Z" },
      ],
    });
    expect(result.events[1]!.data).toEqual({ rule: "cn_decision", dueBy: "2026-12-16T15:59:59.999Z" });
    expect(result.complaint.statutoryBreaches).toEqual(["cn_decision"]);
    // Recomputing again finds nothing more, and records no second breach.
    expect(transition(result.complaint, recomputeCommand, ctxAt(at)).events).toEqual([]);
  });

  it("is refused where deadlines no longer matter (resolved, awaiting feedback)", () => {
    const resolved = transition(
      inProgress(),
      { type: "resolve", actor: agent, resolution: { outcome: "upheld", summary: "Refunded" } },
      ctxAt("2026-12-02T02:00:00Z"),
    ).complaint;
    expect(() => transition(resolved, recomputeCommand, ctxAt("2026-12-03T02:00:00Z"))).toThrow(
      expect.objectContaining({ code: "ILLEGAL_TRANSITION" }),
    );
  });
});
