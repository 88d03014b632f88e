import { describe, expect, it } from "vitest";
import { STATUSES, type Status } from "../../../functions/domain/complaint";
import { IllegalTransitionError } from "../../../functions/domain/errors";
import {
  allowedStaffActions,
  type Command,
  type CommandType,
  transition,
} from "../../../functions/domain/lifecycle";
import { agent, ctxAt, newComplaint, system } from "./fixtures";

const inProgress = () =>
  transition(newComplaint(), { type: "start_handling", actor: system }, ctxAt("2026-12-01T02:00:01Z"))
    .complaint;

/** The columns of the outcome table below, in the order they are written. */
const COLUMNS = [
  "received",
  "in_progress",
  "awaiting_customer",
  "awaiting_feedback",
  "closed",
  "needs_attention",
] as const satisfies readonly Status[];

const resolution = { outcome: "upheld" as const, summary: "Refunded the duplicate fee" };

const supervisor = { ...agent, subject: "sup-1", role: "supervisor" };
const manager = { ...agent, subject: "mgr-1", role: "manager" };
const channel = { kind: "channel" as const, channel: "mobile_app" as const };

const commands: Record<Command["type"], Command> = {
  start_handling: { type: "start_handling", actor: system },
  claim: { type: "claim", actor: agent },
  note: { type: "note", actor: agent, note: "Called the customer" },
  request_info: { type: "request_info", actor: agent, question: "Which card was charged?" },
  customer_reply: { type: "customer_reply", actor: channel, message: "The gold card" },
  customer_reply_overdue: { type: "customer_reply_overdue", actor: system },
  resolve: { type: "resolve", actor: agent, resolution },
  reassign: { type: "reassign", actor: agent, team: "loans", reason: "It is about the card loan" },
  escalate: { type: "escalate", actor: agent, reason: "Customer threatens to go to the regulator" },
  extend: { type: "extend", actor: agent, level: "cn_30", reason: "Needs the card scheme's records" },
  feedback: { type: "feedback", actor: channel, satisfaction: 4, accept: true },
  feedback_timeout: { type: "feedback_timeout", actor: system },
  sla_checkpoint: { type: "sla_checkpoint", actor: system },
  mark_needs_attention: { type: "mark_needs_attention", actor: system, reason: "States.TaskFailed" },
  resume: { type: "resume", actor: supervisor, reason: "Store outage over; hand it back to the team" },
  complete_remediation: {
    type: "complete_remediation",
    actor: agent,
    evidence: "Fee rule fixed in release 42",
  },
  start_appraisal: { type: "start_appraisal", actor: agent, reason: "A forensic check of the card chip" },
  end_appraisal: { type: "end_appraisal", actor: agent, findings: "The chip was cloned" },
  recompute_deadlines: {
    type: "recompute_deadlines",
    actor: system,
    reason: "calendar_loaded",
    detail: "CN 2027 confirmed",
  },
  request_attachment: {
    type: "request_attachment",
    actor: agent,
    attachment: {
      id: "01KB3Q8Y9T6V1S5W2X4Z7N0M3Q",
      fileName: "statement.pdf",
      contentType: "application/pdf",
      size: 1024,
      sha256: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
      requiredChecks: ["content"],
      uploadBy: "2026-12-20T00:05:00.000Z",
    },
  },
  attachment_verdict: {
    type: "attachment_verdict",
    actor: system,
    attachmentId: "01KB3Q8Y9T6V1S5W2X4Z7N0M3Q",
    check: "content",
    passed: true,
    detail: "application/pdf",
  },
};

describe("lifecycle transition", () => {
  it("opens a complaint as received, routed and planned, with one ComplaintReceived event", () => {
    const c = newComplaint();
    expect(c.status).toBe("received");
    expect(c.team).toBe("cards");
    expect(c.priority).toBe("P3");
    // P3 mass retail, CN calendar. First response: close of business of the 2nd working day after
    // Tue 1 Dec = Thu 3 Dec 17:30 +08:00. Resolution: 10th working day = Tue 15 Dec 17:30 +08:00.
    expect(c.sla.firstResponseBy).toBe("2026-12-03T09:30:00.000Z");
    expect(c.sla.resolveBy).toBe("2026-12-15T09:30:00.000Z");
    // Business minutes to resolution: 360 on 1 Dec (10:00-12:00, 13:30-17:30) + 10 x 420 = 4560; 75% = 3420.
    // 360 on 1 Dec + 7 full days (2940) = 3300, so 120 minutes into Fri 11 Dec: 11:00 +08:00.
    expect(c.sla.warningAt).toBe("2026-12-11T03:00:00.000Z");
    // CN statutory decision: 15 days, acceptance day not counted: end of Wed 16 Dec, Shanghai time.
    expect(c.sla.statutory).toEqual([
      { rule: "cn_decision", dueBy: "2026-12-16T15:59:59.999Z", provisional: false, paused: false },
    ]);
    expect(c.sla.provisional).toBe(false);
    expect(c.codes).toEqual({ channel: "A010303", businessType: "B03", cause: "C03" });
  });

  it("starts handling once: a retried start records nothing", () => {
    const first = transition(newComplaint(), commands.start_handling, ctxAt("2026-12-01T02:00:01Z"));
    expect(first.complaint.status).toBe("in_progress");
    expect(first.events.map((e) => e.type)).toEqual(["HandlingStarted"]);
    const again = transition(first.complaint, commands.start_handling, ctxAt("2026-12-01T02:00:02Z"));
    expect(again.events).toEqual([]);
    expect(again.complaint).toBe(first.complaint);
  });

  it("resolves with the resolver and time recorded, asks for feedback, and closes on acceptance", () => {
    const resolved = transition(inProgress(), commands.resolve, ctxAt("2026-12-02T03:00:00Z"));
    expect(resolved.complaint.status).toBe("awaiting_feedback");
    expect(resolved.complaint.resolution).toMatchObject({
      ...resolution,
      resolvedBy: "agent-1",
      resolvedAt: "2026-12-02T03:00:00.000Z",
    });
    // The feedback window is 14 calendar days.
    expect(resolved.complaint.feedbackDueBy).toBe("2026-12-16T03:00:00.000Z");
    const closed = transition(resolved.complaint, commands.feedback, ctxAt("2026-12-03T03:00:00Z"));
    expect(closed.complaint.status).toBe("closed");
    expect(closed.complaint.closedAt).toBe("2026-12-03T03:00:00.000Z");
    expect(closed.complaint.feedback).toMatchObject({ satisfaction: 4, accepted: true });
    expect(closed.events.map((e) => e.type)).toEqual(["FeedbackReceived", "Closed"]);
  });

  it("closes without feedback when the window runs out", () => {
    const resolved = transition(inProgress(), commands.resolve, ctxAt("2026-12-02T03:00:00Z")).complaint;
    const closed = transition(resolved, commands.feedback_timeout, ctxAt("2026-12-16T03:00:00Z"));
    expect(closed.complaint.status).toBe("closed");
    expect(closed.events[0]).toMatchObject({ type: "Closed", data: { reason: "no_feedback" } });
  });

  it("reopens one tier up as a new resolution cycle with fresh internal targets", () => {
    const resolved = transition(inProgress(), commands.resolve, ctxAt("2026-12-02T03:00:00Z")).complaint;
    const reopened = transition(
      resolved,
      { type: "feedback", actor: channel, satisfaction: 1, accept: false },
      ctxAt("2026-12-03T01:00:00Z"),
    );
    expect(reopened.complaint).toMatchObject({
      status: "in_progress",
      cycle: 2,
      tier: 1,
      slaPhase: "on_track",
    });
    expect(reopened.events.map((e) => e.type)).toEqual(["FeedbackReceived", "Reopened"]);
    // New cycle from Thu 3 Dec 09:00 +08:00: 10 business days later is Thu 17 Dec 17:30 +08:00.
    expect(reopened.complaint.sla.resolveBy).toBe("2026-12-17T09:30:00.000Z");
    // The statutory clock never restarts: still the end of 16 Dec.
    expect(reopened.complaint.sla.statutory[0]?.dueBy).toBe("2026-12-16T15:59:59.999Z");
  });

  it("pauses the SLA clock while the customer is asked, but not the statutory one", () => {
    const c = inProgress();
    // Asked on Wed 2 Dec at 10:00 +08:00; answered Mon 7 Dec at 10:00 +08:00.
    const asked = transition(c, commands.request_info, ctxAt("2026-12-02T02:00:00Z"));
    expect(asked.complaint.status).toBe("awaiting_customer");
    expect(asked.complaint.pauses).toEqual([
      { start: "2026-12-02T02:00:00.000Z", reason: "awaiting_customer" },
    ]);
    // The reply window is 10 business days: close of business Wed 16 Dec.
    expect(asked.complaint.pendingQuestion?.replyBy).toBe("2026-12-16T09:30:00.000Z");
    const replied = transition(asked.complaint, commands.customer_reply, ctxAt("2026-12-07T02:00:00Z"));
    expect(replied.complaint.status).toBe("in_progress");
    expect(replied.complaint.pendingQuestion).toBeUndefined();
    expect(replied.complaint.pauses[0]?.end).toBe("2026-12-07T02:00:00.000Z");
    // Paused business time: Wed 2 Dec 10:00-17:30 (6h) + Thu, Fri (14h) + Mon 09:00-10:00 (1h) = 21h, i.e. 3
    // working days: the bank's own resolution target moves from Tue 15 Dec 17:30 to Fri 18 Dec 17:30 (+08:00).
    expect(replied.complaint.sla.resolveBy).toBe("2026-12-18T09:30:00.000Z");
    // The CN Measures (art. 20) stop the 15 days for nothing but an external appraisal: waiting for the
    // customer leaves the statutory deadline at the end of 16 Dec.
    expect(replied.complaint.sla.statutory[0]?.dueBy).toBe("2026-12-16T15:59:59.999Z");
    expect(replied.events[0]).toMatchObject({ type: "CustomerReplied", data: { pausedMinutes: 7200 } });
  });

  it("stops the CN statutory clock for an external appraisal only, in whole days", () => {
    const c = inProgress();
    // Appraisal from Wed 2 Dec to Mon 7 Dec: 2 Dec (start) still counts, 3-7 Dec do not (5 days).
    const started = transition(c, commands.start_appraisal, ctxAt("2026-12-02T02:00:00Z"));
    expect(started.events[0]).toMatchObject({ type: "AppraisalStarted" });
    expect(started.complaint.sla.statutory[0]).toMatchObject({ rule: "cn_decision", paused: true });
    expect(() =>
      transition(started.complaint, commands.start_appraisal, ctxAt("2026-12-03T02:00:00Z")),
    ).toThrow(expect.objectContaining({ code: "APPRAISAL_ALREADY_OPEN" }));
    const ended = transition(started.complaint, commands.end_appraisal, ctxAt("2026-12-07T02:00:00Z"));
    expect(ended.events[0]).toMatchObject({ type: "AppraisalEnded" });
    expect(ended.complaint.sla.statutory[0]?.dueBy).toBe("2026-12-21T15:59:59.999Z");
    expect(() => transition(ended.complaint, commands.end_appraisal, ctxAt("2026-12-08T02:00:00Z"))).toThrow(
      expect.objectContaining({ code: "NO_OPEN_APPRAISAL" }),
    );
    const gb = transition(
      newComplaint({ jurisdiction: "GB", businessType: "loans" }),
      commands.start_handling,
      ctxAt("2026-12-01T02:00:01Z"),
    ).complaint;
    expect(() => transition(gb, commands.start_appraisal, ctxAt("2026-12-02T02:00:00Z"))).toThrow(
      expect.objectContaining({ code: "APPRAISAL_NOT_APPLICABLE" }),
    );
  });

  it("reassigns to an existing team only, dropping the assignee", () => {
    const claimed = transition(inProgress(), commands.claim, ctxAt("2026-12-01T03:00:00Z")).complaint;
    const moved = transition(claimed, commands.reassign, {
      ...ctxAt("2026-12-01T04:00:00Z"),
      teams: ["cards", "loans"],
    });
    expect(moved.complaint).toMatchObject({ team: "loans" });
    expect(moved.complaint.assignee).toBeUndefined();
    expect(() =>
      transition(claimed, { ...commands.reassign, team: "nowhere" } as Command, {
        ...ctxAt("2026-12-01T04:00:00Z"),
        teams: ["cards", "loans"],
      }),
    ).toThrow(expect.objectContaining({ code: "UNKNOWN_TEAM" }));
  });

  it("extends the CN period to 30 days freely, and to 60 only with a manager's recorded approval", () => {
    const c = inProgress();
    const thirty = transition(c, commands.extend, ctxAt("2026-12-05T02:00:00Z"));
    // 30 days from the day after acceptance (2 Dec): 31 Dec, a working day.
    expect(thirty.complaint.sla.statutory[0]?.dueBy).toBe("2026-12-31T15:59:59.999Z");
    const sixtyByAgent = { ...commands.extend, level: "cn_60" } as Command;
    // CBIRC Measures art. 20: head-office senior management approves the further 30 days, not the team.
    for (const actor of [agent, supervisor]) {
      expect(() =>
        transition(c, { ...sixtyByAgent, actor } as Command, ctxAt("2026-12-05T02:00:00Z")),
      ).toThrow(expect.objectContaining({ code: "FORBIDDEN_ROLE" }));
    }
    const sixty = transition(
      c,
      { ...sixtyByAgent, actor: manager } as Command,
      ctxAt("2026-12-05T02:00:00Z"),
    );
    expect(sixty.complaint.extension?.approvedBy).toMatchObject({ role: "manager", subject: "mgr-1" });
    expect(sixty.events[0]).toMatchObject({ type: "Extended", data: { approvedBy: "mgr-1" } });
    const tooLong = { ...commands.extend, level: "cn_60", totalDays: 61, actor: manager } as Command;
    expect(() => transition(c, tooLong, ctxAt("2026-12-05T02:00:00Z"))).toThrow(
      expect.objectContaining({ code: "EXTENSION_LIMIT_EXCEEDED" }),
    );
  });

  it("answers the FCA's eight weeks with a holding response that says when the final one will come", () => {
    // Received Tue 1 Dec 2026 (02:00Z, 02:00 London): eight weeks end Tue 26 Jan 2027, 23:59 London.
    const gb = transition(
      newComplaint({ jurisdiction: "GB", businessType: "loans" }),
      { type: "start_handling", actor: system },
      ctxAt("2026-12-01T02:00:01Z"),
    ).complaint;
    expect(gb.sla.statutory.map((s) => [s.rule, s.dueBy])).toEqual([
      ["gb_summary_resolution", "2026-12-04T17:00:00.000Z"],
      ["gb_final_response", "2027-01-26T23:59:59.999Z"],
    ]);
    const letter = {
      type: "extend",
      actor: agent,
      level: "holding_reply",
      reason: "The card scheme has not replied",
    };
    const when = ctxAt("2027-01-20T10:00:00Z");
    // The date the final response is expected by is required, and must be ahead.
    for (const [expectedBy, message] of [
      [undefined, "is required: the holding response must say when to expect the final one"],
      ["2027-01-20", "must be a date after today"],
    ] as const) {
      const command = { ...letter, ...(expectedBy ? { expectedBy } : {}) } as Command;
      expect(() => transition(gb, command, when)).toThrow(
        expect.objectContaining({
          code: "VALIDATION_FAILED",
          kind: "validation",
          details: [{ path: "expectedBy", message }],
        }),
      );
    }
    const held = transition(gb, { ...letter, expectedBy: "2027-02-26" } as Command, when);
    expect(held.complaint.extension).toMatchObject({ level: "holding_reply", expectedBy: "2027-02-26" });
    // The eight-week obligation is answered; only the summary window (never breached) is left.
    expect(held.complaint.sla.statutory.map((s) => s.rule)).toEqual(["gb_summary_resolution"]);
    expect(held.events[0]).toMatchObject({
      type: "Extended",
      data: {
        expectedBy: "2027-02-26",
        statutory: [{ rule: "gb_summary_resolution", dueBy: "2026-12-04T17:00:00.000Z" }],
      },
    });
    // Nothing else takes the date: CN extensions and GB payment services refuse it.
    const cnWithDate = { ...commands.extend, expectedBy: "2027-02-26" } as Command;
    expect(() => transition(inProgress(), cnWithDate, ctxAt("2026-12-05T02:00:00Z"))).toThrow(
      expect.objectContaining({
        details: [{ path: "expectedBy", message: "applies only to a GB eight-week holding response" }],
      }),
    );
  });

  it("never breaches the FCA's summary-resolution window: the first statutory checkpoint is the eighth week", () => {
    const gb = transition(
      newComplaint({ jurisdiction: "GB", businessType: "loans" }),
      { type: "start_handling", actor: system },
      ctxAt("2026-12-01T02:00:01Z"),
    ).complaint;
    // Well past the third business day, with the internal clock already breached and escalated to the top.
    const late = { ...gb, slaPhase: "breached" as const, tier: 3 as const };
    const checked = transition(late, commands.sla_checkpoint, ctxAt("2026-12-20T00:00:00Z"));
    expect(checked.events).toEqual([]);
    const eightWeeks = transition(late, commands.sla_checkpoint, ctxAt("2027-01-27T00:00:00Z"));
    expect(eightWeeks.events.map((e) => [e.type, "rule" in e.data ? e.data.rule : undefined])).toEqual([
      ["StatutoryDeadlineBreached", "gb_final_response"],
    ]);
  });

  it("warns, breaches, escalates tier by tier and records the statutory breach, on business time", () => {
    const c = inProgress();
    const early = transition(c, commands.sla_checkpoint, ctxAt("2026-12-11T02:59:59Z"));
    expect(early.events).toEqual([]);
    const warned = transition(c, commands.sla_checkpoint, ctxAt("2026-12-11T03:00:00Z"));
    expect(warned.complaint.slaPhase).toBe("at_risk");
    expect(warned.events.map((e) => e.type)).toEqual(["SlaWarning"]);
    const breached = transition(warned.complaint, commands.sla_checkpoint, ctxAt("2026-12-15T09:30:00Z"));
    expect(breached.complaint.tier).toBe(1);
    expect(breached.complaint.slaPhase).toBe("breached");
    // Tier 1 (supervisor) gets one business day: close of business Wed 16 Dec.
    expect(breached.complaint.sla.tierDueBy).toBe("2026-12-16T09:30:00.000Z");
    expect(breached.events.map((e) => e.type)).toEqual(["SlaBreached", "Escalated"]);
    const tier2 = transition(breached.complaint, commands.sla_checkpoint, ctxAt("2026-12-16T09:30:00Z"));
    expect(tier2.complaint.tier).toBe(2);
    // Tier 2 (manager): two business days from Wed 16 Dec = Fri 18 Dec 17:30.
    expect(tier2.complaint.sla.tierDueBy).toBe("2026-12-18T09:30:00.000Z");
    // The statutory deadline (end of 16 Dec) comes before tier 2's time box: it is the next checkpoint.
    const statutory = transition(tier2.complaint, commands.sla_checkpoint, ctxAt("2026-12-16T16:00:00Z"));
    expect(statutory.events.map((e) => e.type)).toEqual(["StatutoryDeadlineBreached"]);
    expect(statutory.complaint.statutoryBreaches).toEqual(["cn_decision"]);
    const tier3 = transition(statutory.complaint, commands.sla_checkpoint, ctxAt("2026-12-18T09:30:00Z"));
    expect(tier3.complaint.tier).toBe(3);
    // Five business days from Fri 18 Dec: 21-25 Dec (Christmas is a working day in CN).
    expect(tier3.complaint.sla.tierDueBy).toBe("2026-12-25T09:30:00.000Z");
    // The committee is the last tier: nothing further escalates.
    const after = transition(tier3.complaint, commands.sla_checkpoint, ctxAt("2026-12-30T02:00:00Z"));
    expect(after.events).toEqual([]);
    expect(after.complaint.tier).toBe(3);
  });

  it("starts a tier's time box when the deadline passed, however late the checkpoint is served", () => {
    const warned = transition(inProgress(), commands.sla_checkpoint, ctxAt("2026-12-11T03:00:00Z")).complaint;
    // The breach at Tue 15 Dec 17:30 is served two days late (an outage): tier 1 still ends Wed 16 Dec 17:30.
    const late = transition(warned, commands.sla_checkpoint, ctxAt("2026-12-17T09:30:00Z"));
    expect(late.complaint.tierSince).toBe("2026-12-15T09:30:00.000Z");
    expect(late.complaint.sla.tierDueBy).toBe("2026-12-16T09:30:00.000Z");
    // That box is already over, so the next checkpoint escalates at once to tier 2.
    const next = transition(late.complaint, commands.sla_checkpoint, ctxAt("2026-12-17T09:30:01Z"));
    expect(next.events.map((e) => e.type)).toContain("Escalated");
    expect(next.complaint.tier).toBe(2);
  });

  it("keeps notes in the audit trail only", () => {
    const c = inProgress();
    const noted = transition(c, commands.note, ctxAt("2026-12-01T03:00:00Z"));
    expect(noted.complaint).toBe(c);
    expect(noted.events[0]).toMatchObject({ type: "NoteAdded", data: { note: "Called the customer" } });
  });

  it("resumes a needs_attention complaint: supervisors and managers only, counting the resumes", () => {
    const flagged = transition(inProgress(), commands.mark_needs_attention, ctxAt("2026-12-01T03:00:00Z"));
    expect(flagged.complaint.status).toBe("needs_attention");
    expect(() =>
      transition(
        flagged.complaint,
        { ...commands.resume, actor: agent } as Command,
        ctxAt("2026-12-01T04:00:00Z"),
      ),
    ).toThrow(expect.objectContaining({ code: "FORBIDDEN_ROLE", kind: "forbidden" }));
    const first = transition(flagged.complaint, commands.resume, ctxAt("2026-12-01T04:00:00Z"));
    expect(first.complaint).toMatchObject({ status: "in_progress", resumes: 1, sla: flagged.complaint.sla });
    expect(first.events).toEqual([
      expect.objectContaining({
        type: "Resumed",
        statusBefore: "needs_attention",
        statusAfter: "in_progress",
        data: { reason: commands.resume.type === "resume" ? commands.resume.reason : "", attempt: 1 },
      }),
    ]);
    const again = transition(
      transition(first.complaint, commands.mark_needs_attention, ctxAt("2026-12-01T05:00:00Z")).complaint,
      { ...commands.resume, actor: { ...supervisor, role: "manager" } } as Command,
      ctxAt("2026-12-01T06:00:00Z"),
    );
    expect(again.complaint.resumes).toBe(2);
    // Only a flagged complaint can be resumed.
    expect(() => transition(first.complaint, commands.resume, ctxAt("2026-12-01T05:00:00Z"))).toThrow(
      IllegalTransitionError,
    );
  });

  it("completes a resolution's remediation once, after resolving, even when closed", () => {
    const remediation = { description: "Fix the fee rule", owner: "cards ops", dueBy: "2026-12-31" };
    const resolved = transition(
      inProgress(),
      { ...commands.resolve, resolution: { ...resolution, remediation } } as Command,
      ctxAt("2026-12-02T03:00:00Z"),
    );
    const closed = transition(resolved.complaint, commands.feedback, ctxAt("2026-12-03T03:00:00Z")).complaint;
    const done = transition(closed, commands.complete_remediation, ctxAt("2026-12-10T03:00:00Z"));
    expect(done.complaint.status).toBe("closed");
    expect(done.complaint.resolution?.remediationCompleted).toEqual({
      at: "2026-12-10T03:00:00.000Z",
      by: "agent-1",
    });
    expect(done.events).toEqual([
      expect.objectContaining({
        type: "RemediationCompleted",
        statusBefore: "closed",
        statusAfter: "closed",
        data: { dueBy: "2026-12-31", owner: "cards ops", evidence: "Fee rule fixed in release 42" },
      }),
    ]);
    const twice = () =>
      transition(done.complaint, commands.complete_remediation, ctxAt("2026-12-11T03:00:00Z"));
    expect(twice).toThrow(expect.objectContaining({ code: "REMEDIATION_ALREADY_COMPLETED" }));
    // A resolution without a remediation action has nothing to complete.
    const plain = transition(inProgress(), commands.resolve, ctxAt("2026-12-02T03:00:00Z")).complaint;
    expect(() => transition(plain, commands.complete_remediation, ctxAt("2026-12-03T03:00:00Z"))).toThrow(
      expect.objectContaining({ code: "NO_REMEDIATION" }),
    );
    // What a 409 offers instead follows the complaint, not only its status.
    expect(allowedStaffActions(closed)).toEqual(["complete_remediation"]);
    expect(allowedStaffActions(done.complaint)).toEqual([]);
    expect(allowedStaffActions(plain)).toEqual(["note"]);
    expect(() => transition(closed, commands.resolve, ctxAt("2026-12-11T03:00:00Z"))).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({ allowedActions: ["complete_remediation"] }),
      }),
    );
  });

  // Every (status, command) pair, stated: the status a command leaves the complaint in, or NO when the
  // status refuses it (IllegalTransitionError). Written out rather than read from ALLOWED, so a change to
  // the table in lifecycle.ts fails here until this one is changed too.
  const NO = "refused";
  const [rec, prog, cust, feed, shut, attn] = COLUMNS;
  // biome-ignore format: a status × command table reads best aligned
  const EXPECTED: Record<CommandType, readonly (Status | typeof NO)[]> = {
    //                      received  in_progress  awaiting_customer  awaiting_feedback  closed  needs_attention
    start_handling:        [prog,     prog,        NO,                NO,                NO,     NO  ],
    claim:                 [rec,      prog,        cust,              NO,                NO,     NO  ],
    note:                  [rec,      prog,        cust,              feed,              NO,     attn],
    request_info:          [NO,       cust,        NO,                NO,                NO,     NO  ],
    customer_reply:        [NO,       NO,          prog,              NO,                NO,     NO  ],
    customer_reply_overdue:[NO,       NO,          prog,              NO,                NO,     NO  ],
    resolve:               [NO,       feed,        NO,                NO,                NO,     NO  ],
    reassign:              [NO,       prog,        NO,                NO,                NO,     NO  ],
    escalate:              [NO,       prog,        NO,                NO,                NO,     NO  ],
    extend:                [NO,       prog,        cust,              NO,                NO,     NO  ],
    feedback:              [NO,       NO,          NO,                shut,              NO,     NO  ],
    feedback_timeout:      [NO,       NO,          NO,                shut,              NO,     NO  ],
    sla_checkpoint:        [NO,       prog,        cust,              NO,                NO,     NO  ],
    mark_needs_attention:  [attn,     attn,        attn,              attn,              NO,     NO  ],
    resume:                [NO,       NO,          NO,                NO,                NO,     prog],
    complete_remediation:  [NO,       NO,          NO,                feed,              shut,   NO  ],
    start_appraisal:       [NO,       prog,        cust,              NO,                NO,     NO  ],
    end_appraisal:         [NO,       prog,        cust,              NO,                NO,     NO  ],
    recompute_deadlines:   [rec,      prog,        cust,              NO,                NO,     attn],
    request_attachment:    [rec,      prog,        cust,              feed,              shut,   attn],
    attachment_verdict:    [rec,      prog,        cust,              feed,              shut,   attn],
  };
  // What a refusal offers instead: the staff actions among the accepted ones, in the API's order (the
  // fixture's resolution has an open remediation action, so complete_remediation counts where accepted;
  // the fixture has an appraisal under way only for end_appraisal, so only one of the two is offered).
  const STAFF: readonly CommandType[] = [
    "claim",
    "note",
    "request_info",
    "start_appraisal",
    "end_appraisal",
    "resolve",
    "reassign",
    "escalate",
    "extend",
    "resume",
    "complete_remediation",
  ];
  const staffOffered = (column: number, command: Command) =>
    STAFF.filter((type) => EXPECTED[type][column] !== NO).filter((type) =>
      command.type === "end_appraisal" ? type !== "start_appraisal" : type !== "end_appraisal",
    );

  it("states an outcome for every status and every command", () => {
    expect([...COLUMNS].sort()).toEqual([...STATUSES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(commands).sort());
  });

  // end_appraisal needs an appraisal under way; every other command sees none.
  const at = (status: Status, command: Command) => ({
    ...inProgress(),
    status,
    pauses:
      command.type === "end_appraisal"
        ? [{ start: "2026-12-02T00:00:00.000Z", reason: "external_appraisal" as const }]
        : [],
    pendingQuestion: {
      question: "q",
      askedAt: "2026-12-02T00:00:00.000Z",
      replyBy: "2026-12-16T09:30:00.000Z",
    },
    resolution: {
      ...resolution,
      remediation: { description: "Fix the fee rule", owner: "cards ops", dueBy: "2026-12-31" },
      resolvedBy: "a",
      resolvedAt: "2026-12-01T00:00:00.000Z",
    },
  });
  for (const [column, status] of COLUMNS.entries()) {
    for (const command of Object.values(commands)) {
      const expected = EXPECTED[command.type][column];
      const outcome = expected === NO ? "refuses" : `moves to ${expected} on`;
      it(`${outcome} ${command.type} while ${status}`, () => {
        const run = () => transition(at(status, command), command, ctxAt("2026-12-20T00:00:00Z"));
        if (expected === NO) {
          expect(run).toThrow(IllegalTransitionError);
          expect(run).toThrow(
            expect.objectContaining({
              code: "ILLEGAL_TRANSITION",
              details: { status, action: command.type, allowedActions: staffOffered(column, command) },
            }),
          );
        } else {
          const result = run();
          expect(result.complaint.status).toBe(expected);
          for (const event of result.events) {
            expect(event.statusBefore).toBe(status);
            expect(event.statusAfter).toBe(expected);
          }
        }
      });
    }
  }
});
