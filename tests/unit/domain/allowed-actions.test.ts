import { describe, expect, it } from "vitest";
import type { Complaint } from "../../../functions/domain/complaint";
import { allowedActionsFor, transition } from "../../../functions/domain/lifecycle";
import { ctxAt, newComplaint, system } from "./fixtures";

/**
 * What the console offers a caller: the lifecycle table's staff actions for the complaint now, less what
 * the caller's role may not do. Each row states its expected list; nothing is derived from the table.
 */
const inProgress = (overrides: Partial<Complaint> = {}): Complaint => ({
  ...transition(newComplaint(), { type: "start_handling", actor: system }, ctxAt("2026-12-01T02:00:01Z"))
    .complaint,
  ...overrides,
});

const ALL_IN_PROGRESS_CN = [
  "claim",
  "note",
  "request_info",
  "start_appraisal",
  "resolve",
  "reassign",
  "escalate",
  "extend",
];

describe("allowedActionsFor (the staff view's allowedActions)", () => {
  const rows: [
    name: string,
    complaint: () => Complaint,
    role: "agent" | "supervisor" | "manager",
    expected: string[],
  ][] = [
    ["an agent, in progress at tier 0", () => inProgress(), "agent", ALL_IN_PROGRESS_CN],
    ["a supervisor, in progress at tier 1", () => inProgress({ tier: 1 }), "supervisor", ALL_IN_PROGRESS_CN],
    [
      "an agent at tier 1 (still the agent's tier)",
      () => inProgress({ tier: 1 }),
      "agent",
      ALL_IN_PROGRESS_CN,
    ],
    ["an agent at tier 2: a supervisor or manager must act", () => inProgress({ tier: 2 }), "agent", []],
    ["a manager at tier 2", () => inProgress({ tier: 2 }), "manager", ALL_IN_PROGRESS_CN],
    [
      "an agent, needs attention: note only (resume is not theirs)",
      () => inProgress({ status: "needs_attention" }),
      "agent",
      ["note"],
    ],
    [
      "a supervisor, needs attention",
      () => inProgress({ status: "needs_attention" }),
      "supervisor",
      ["note", "resume"],
    ],
    ["an agent, received (the workflow not started)", () => newComplaint(), "agent", ["claim", "note"]],
    [
      "a GB complaint: no CN appraisal",
      () => inProgress({ jurisdiction: "GB" }),
      "agent",
      ALL_IN_PROGRESS_CN.filter((a) => a !== "start_appraisal"),
    ],
    [
      "awaiting feedback without a remediation",
      () => inProgress({ status: "awaiting_feedback" }),
      "agent",
      ["note"],
    ],
    ["closed", () => inProgress({ status: "closed" }), "manager", []],
  ];
  for (const [name, complaint, role, expected] of rows) {
    it(name, () => {
      expect(allowedActionsFor(complaint(), role)).toEqual(expected);
    });
  }
});
