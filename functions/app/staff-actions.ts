import type { Role } from "../domain/codes";
import type { Complaint } from "../domain/complaint";
import { DomainError } from "../domain/errors";
import { type Command, requiredRoleFor } from "../domain/lifecycle";
import type { StaffAction } from "../domain/schemas";
import { toStaffView } from "../domain/views";
import { applyDecision } from "./apply-decision";
import type { Dependencies } from "./dependencies";

/** The member of staff acting, from the verified JWT (Cognito groups on AWS, local JWT on the embedded target). */
export interface StaffIdentity {
  subject: string;
  role: Role;
  teams: string[];
}

const toCommand = (action: StaffAction, staff: StaffIdentity): Command => {
  const actor = { kind: "staff" as const, subject: staff.subject, role: staff.role, teams: staff.teams };
  switch (action.type) {
    case "claim":
      return { type: "claim", actor, ...(action.takeOver ? { takeOver: true } : {}) };
    case "note":
      return { type: "note", actor, note: action.note };
    case "request_info":
      return { type: "request_info", actor, question: action.question };
    case "start_appraisal":
      return { type: "start_appraisal", actor, reason: action.reason };
    case "end_appraisal":
      return { type: "end_appraisal", actor, findings: action.findings };
    case "resolve":
      return { type: "resolve", actor, resolution: action.resolution };
    case "reassign":
      return { type: "reassign", actor, team: action.team, reason: action.reason };
    case "escalate":
      return { type: "escalate", actor, reason: action.reason };
    case "extend":
      return {
        type: "extend",
        actor,
        level: action.level,
        reason: action.reason,
        ...(action.totalDays !== undefined ? { totalDays: action.totalDays } : {}),
        ...(action.expectedBy !== undefined ? { expectedBy: action.expectedBy } : {}),
      };
    case "resume":
      return { type: "resume", actor, reason: action.reason };
    case "complete_remediation":
      return { type: "complete_remediation", actor, evidence: action.evidence };
  }
};

/** Staff act only on complaints queued to one of their teams. */
export const assertTeamAccess = (complaint: Complaint, staff: StaffIdentity): void => {
  if (!staff.teams.includes(complaint.team)) {
    throw new DomainError(
      "forbidden",
      "FORBIDDEN_TEAM",
      "This complaint is queued to a team you do not belong to",
    );
  }
};

/** Reports are for managers. */
export const assertManager = (staff: StaffIdentity): void => {
  if (staff.role !== "manager") {
    throw new DomainError("forbidden", "FORBIDDEN_ROLE", "Reports are for managers");
  }
};

/** Complaints at tier 2 (manager) and above are acted on by supervisors and managers only. */
export const assertTierRole = (complaint: Complaint, staff: StaffIdentity): void => {
  if (requiredRoleFor(complaint) === "supervisor" && staff.role === "agent") {
    throw new DomainError(
      "forbidden",
      "FORBIDDEN_ROLE",
      "At this escalation tier a supervisor or manager must act",
      {
        tier: complaint.tier,
      },
    );
  }
};

/** Applies a staff action through the complaint's pending task (see applyDecision). */
export const actOnComplaint = async (
  input: {
    complaintId: string;
    action: StaffAction;
    staff: StaffIdentity;
    ifMatch?: readonly number[];
    idempotencyKey?: string;
  },
  deps: Dependencies,
) => {
  const teams = [...new Set(deps.routing.map((r) => r.team))];
  return applyDecision(
    {
      complaintId: input.complaintId,
      authorize: (c) => {
        assertTeamAccess(c, input.staff);
        assertTierRole(c, input.staff);
      },
      command: toCommand(input.action, input.staff),
      teams,
      conditions: {
        ...(input.ifMatch ? { ifMatch: input.ifMatch } : {}),
        ...(input.idempotencyKey
          ? {
              idempotency: {
                scope: `staff:${input.staff.subject}`,
                key: input.idempotencyKey,
                body: input.action,
              },
            }
          : {}),
      },
      view: (c: Complaint) => toStaffView(c, deps.clock.now(), input.staff.role),
    },
    deps,
  );
};
