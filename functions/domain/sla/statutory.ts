import type { BusinessCalendar } from "../calendar/business-calendar";
import { addLocalDays, localDaysBetween } from "../calendar/business-calendar";
import { type Jurisdiction, PAYMENT_SERVICE_BUSINESS_TYPES, type Role } from "../codes";
import { DomainError } from "../errors";

/**
 * Statutory deadlines: the regulator's clock, which runs beside the bank's internal SLA. Pure and
 * recomputed from the complaint's facts (receipt, pause ledger, extension) every time; never edited.
 *
 * Conventions (each rule's comment says which applies):
 * - Business-day periods end at close of business (end of the last working interval) of the Nth
 *   working day after the local date of receipt (`BusinessCalendar.addBusinessDays`).
 * - Calendar-day periods do not count the day of receipt and end at the end of their last local day,
 *   23:59:59.999 in the calendar's time zone.
 * - Only an external appraisal, test or evaluation stops a clock, and only the CN one (CBIRC Measures 2020,
 *   art. 20); asking the customer for information stops none of them. FCA, CFPB and PSD2 periods have no
 *   stop-the-clock provision at all.
 */

/**
 * The version of these rules. Bump it with every change that can move a stored deadline: the calendar
 * job sees the stored version differ after a deploy and recomputes every open complaint under the new
 * rules, recording what moved and reporting what the correction puts past its deadline.
 * - `2026-12-01`: the CN clock stops for an external appraisal only (no longer while the customer is asked);
 *   DISP 1.6.2A / PSD2 apply to every payment-services complaint (cards and e-banking too), and EU
 *   complaints outside payment services have no statutory deadline.
 */
export const STATUTORY_RULES_VERSION = "2026-12-01";

export const STATUTORY_RULES = [
  "cn_decision",
  "gb_summary_resolution",
  "gb_final_response",
  "gb_payment_services",
  "us_response",
  "us_final_response",
  "eu_psd2",
] as const;
export type StatutoryRule = (typeof STATUTORY_RULES)[number];

/**
 * A deadline is an obligation: passing it unanswered is a statutory breach (recorded, notified, reported).
 * A window is an option with an end: FCA DISP 1.5 lets a complaint resolved by close of business on the
 * third business day be answered with a summary resolution communication instead of a final response;
 * missing it only means DISP 1.6 applies in full. Windows are shown, never breached.
 */
export const STATUTORY_RULE_KIND: Record<StatutoryRule, "deadline" | "window"> = {
  cn_decision: "deadline",
  gb_summary_resolution: "window",
  gb_final_response: "deadline",
  gb_payment_services: "deadline",
  us_response: "deadline",
  us_final_response: "deadline",
  eu_psd2: "deadline",
};

/** Whether passing the rule's time unanswered is a breach (see {@link STATUTORY_RULE_KIND}). */
export const isStatutoryDeadline = (rule: StatutoryRule): boolean => STATUTORY_RULE_KIND[rule] === "deadline";

/**
 * Whether a complaint is about a payment service (the PSD2 and DISP 1.6.2A clocks): as recorded at intake
 * (the channel's flag, or its business type's default), or — for complaints stored before it was
 * recorded — by the business type's default.
 */
export const isPaymentServices = (c: {
  businessType: string;
  flags: { paymentServices?: boolean };
}): boolean =>
  c.flags.paymentServices ?? (PAYMENT_SERVICE_BUSINESS_TYPES as readonly string[]).includes(c.businessType);

/**
 * A GB complaint outside payment services: its holding reply is the FCA's eight-week letter (DISP
 * 1.6.2(2)), which answers the eight-week rule and must say when the final response is expected.
 */
export const takesEightWeekLetter = (c: {
  jurisdiction: Jurisdiction;
  businessType: string;
  flags: { paymentServices?: boolean };
}): boolean => c.jurisdiction === "GB" && !isPaymentServices(c);

export interface StatutoryPause {
  start: Date;
  /** Absent while the pause is still open. */
  end?: Date;
  reason: string;
}

export type ExtensionLevel = "cn_30" | "cn_60" | "holding_reply";

export interface StatutoryExtension {
  level: ExtensionLevel;
  /** GB eight-week holding response: the local date the final response is expected by. */
  expectedBy?: string;
  /** CN only: the total period in days when it is not the level's maximum (e.g. 45 under `cn_60`). */
  totalDays?: number;
  /** CN only: who approved a period longer than 30 days (a manager: head-office senior management). */
  approvedBy?: { role: Exclude<Role, "agent">; subject: string; at: Date };
  reason?: string;
}

export interface StatutoryInput {
  jurisdiction: Jurisdiction;
  receivedAt: Date;
  pauses: readonly StatutoryPause[];
  extension?: StatutoryExtension;
  /**
   * The complaint is about a payment service: in GB, DISP 1.6.2A replaces the eight-week rule; in the EU,
   * only payment-service complaints have PSD2's statutory period.
   */
  paymentServices?: boolean;
  /** The jurisdiction's business calendar. */
  calendar: BusinessCalendar;
  /** The instant an open pause is assumed to end at (normally now). */
  asOf: Date;
}

export interface StatutoryDeadline {
  rule: StatutoryRule;
  dueBy: Date;
  /** The deadline depends on a year the calendar has no holiday data for. */
  provisional: boolean;
  /** An open pause was assumed to end at `asOf`: the deadline will move while it stays open. */
  paused: boolean;
}

const CN_BASE_DAYS = 15;
const CN_UNAPPROVED_MAX_DAYS = 30;
const CN_MAX_DAYS = 60;
const GB_SUMMARY_BUSINESS_DAYS = 3;
const GB_FINAL_CALENDAR_DAYS = 56;
const PSD_BUSINESS_DAYS = 15;
const PSD_HOLDING_REPLY_BUSINESS_DAYS = 35;
const US_RESPONSE_DAYS = 15;
const US_FINAL_DAYS = 60;

/** A CN period past 30 days without a recorded approval of head-office senior management (a manager). */
export class ExtensionApprovalRequiredError extends DomainError {
  constructor(totalDays: number) {
    super(
      "unprocessable",
      "EXTENSION_APPROVAL_REQUIRED",
      `A ${totalDays}-day handling period needs the recorded approval of head-office senior management (a manager)`,
      { totalDays },
    );
    this.name = "ExtensionApprovalRequiredError";
  }
}

/** A CN period past the 60-day ceiling. */
export class ExtensionLimitExceededError extends DomainError {
  constructor(totalDays: number) {
    super(
      "unprocessable",
      "EXTENSION_LIMIT_EXCEEDED",
      `A handling period cannot exceed 60 days (got ${totalDays})`,
      {
        totalDays,
        maxDays: CN_MAX_DAYS,
      },
    );
    this.name = "ExtensionLimitExceededError";
  }
}

/** An extension the jurisdiction (or this kind of complaint) has no provision for. */
export class ExtensionNotApplicableError extends DomainError {
  constructor(level: ExtensionLevel, jurisdiction: Jurisdiction) {
    super(
      "unprocessable",
      "EXTENSION_NOT_APPLICABLE",
      `Extension '${level}' does not apply in ${jurisdiction}`,
      {
        level,
        jurisdiction,
      },
    );
    this.name = "ExtensionNotApplicableError";
  }
}

/** Input the rules cannot be applied to (e.g. a pause ending before it starts). */
export class InvalidStatutoryInputError extends DomainError {
  constructor(message: string) {
    super("validation", "INVALID_STATUTORY_INPUT", message);
    this.name = "InvalidStatutoryInputError";
  }
}

/**
 * Who may approve the further 30 days: CBIRC Measures art. 20 asks for the approval of the institution's
 * superior body or of head-office senior management (经其上级机构或者总行、总公司高级管理人员审批), which in
 * this bank's roles is a manager — a supervisor of a team is neither.
 */
const APPROVER_ROLES: readonly string[] = ["manager"];

/** The CN handling period in days after checking the extension's approval and ceiling. */
const cnPeriodDays = (extension: StatutoryExtension | undefined): number => {
  if (!extension) return CN_BASE_DAYS;
  if (extension.level === "holding_reply") throw new ExtensionNotApplicableError(extension.level, "CN");
  const total = extension.totalDays ?? (extension.level === "cn_30" ? CN_UNAPPROVED_MAX_DAYS : CN_MAX_DAYS);
  if (!Number.isInteger(total) || total < CN_BASE_DAYS) {
    throw new InvalidStatutoryInputError(
      `An extended period must be a whole number of days >= 15 (got ${total})`,
    );
  }
  if (total > CN_MAX_DAYS) throw new ExtensionLimitExceededError(total);
  // The level only names the request; the approval rule follows the days actually asked for.
  if (total > CN_UNAPPROVED_MAX_DAYS && !APPROVER_ROLES.includes(extension.approvedBy?.role ?? "")) {
    throw new ExtensionApprovalRequiredError(total);
  }
  return total;
};

const holdingReply = (jurisdiction: Jurisdiction, extension: StatutoryExtension | undefined): boolean => {
  if (!extension) return false;
  if (extension.level !== "holding_reply")
    throw new ExtensionNotApplicableError(extension.level, jurisdiction);
  return true;
};

const checkPauses = (pauses: readonly StatutoryPause[]): void => {
  for (const p of pauses) {
    if (!(p.start instanceof Date) || Number.isNaN(p.start.getTime())) {
      throw new InvalidStatutoryInputError("A pause has no valid start");
    }
    if (p.end !== undefined && !(p.end.getTime() >= p.start.getTime())) {
      throw new InvalidStatutoryInputError("A pause ends before it starts");
    }
  }
};

/**
 * CN: CBIRC Measures 2020 (银行业保险业消费投诉处理管理办法, CBIRC Order 2020 No. 3), art. 20: a decision
 * within 15 days of receiving the complaint (自收到消费投诉之日起15日内); a complex one may be extended to 30
 * days; a particularly complex one, with the approval of the superior body or head-office senior management
 * and the complainant told, by a further 30 (60 in all). "Where the handling needs an external body to
 * appraise, test or evaluate (鉴定、检测、评估), that time may be left out of the period, the complainant
 * told promptly": that is the only pause — time spent waiting for the customer's information is not.
 * Counted as the Civil Code counts periods (arts. 201, 203): the day of receipt is not counted; a period
 * whose last day is a holiday or other non-working day ends at the end of the next working day
 * (23:59:59.999 local).
 *
 * Appraisal pauses are counted in whole local days. A pause stops the clock from the day after it starts up to
 * and including the day it ends: the day it starts still counts (the clock ran for part of it) and the
 * clock restarts the day after it ends, just as it first started the day after acceptance. So a pause
 * that starts and ends on the same day moves nothing, and overlapping pauses never stop a day twice.
 * A pause that starts after the deadline it would extend has passed extends nothing.
 */
const cnDecision = (input: StatutoryInput, periodDays: number): StatutoryDeadline => {
  const { calendar, receivedAt, asOf } = input;
  const acceptance = calendar.localDateOf(receivedAt);
  const stopped = new Set<string>();
  let paused = false;

  const deadline = () => {
    let day = addLocalDays(acceptance, periodDays + stopped.size);
    let provisional = false;
    for (;;) {
      const info = calendar.dayInfo(day);
      provisional ||= info.provisional;
      if (info.working) break;
      day = addLocalDays(day, 1);
    }
    return { dueBy: calendar.endOfDay(day), provisional };
  };

  let current = deadline();
  const ordered = input.pauses
    .filter((p) => p.reason === "external_appraisal")
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const pause of ordered) {
    // Sorted by start and the deadline only moves later, so one pass sees every pause that counts.
    if (pause.start.getTime() > current.dueBy.getTime()) break;
    const start = new Date(Math.max(pause.start.getTime(), receivedAt.getTime()));
    const end = pause.end ?? new Date(Math.max(asOf.getTime(), start.getTime()));
    if (end.getTime() <= receivedAt.getTime()) continue;
    const from = calendar.localDateOf(start);
    const days = localDaysBetween(from, calendar.localDateOf(end));
    for (let i = 1; i <= days; i++) stopped.add(addLocalDays(from, i));
    if (pause.end === undefined) paused = true;
    current = deadline();
  }
  return { rule: "cn_decision", ...current, paused };
};

/** End of the local day `days` calendar days after the local date of receipt; holidays do not matter. */
const calendarDays = (input: StatutoryInput, rule: StatutoryRule, days: number): StatutoryDeadline => ({
  rule,
  dueBy: input.calendar.endOfDay(addLocalDays(input.calendar.localDateOf(input.receivedAt), days)),
  provisional: false,
  paused: false,
});

const businessDays = (input: StatutoryInput, rule: StatutoryRule, days: number): StatutoryDeadline => {
  const { at, provisional } = input.calendar.addBusinessDays(input.receivedAt, days);
  return { rule, dueBy: at, provisional, paused: false };
};

/** Every statutory deadline that applies to a complaint in its jurisdiction. */
export const computeStatutoryDeadlines = (input: StatutoryInput): StatutoryDeadline[] => {
  if (Number.isNaN(input.receivedAt.getTime()) || Number.isNaN(input.asOf.getTime())) {
    throw new InvalidStatutoryInputError("receivedAt and asOf must be valid instants");
  }
  checkPauses(input.pauses);
  switch (input.jurisdiction) {
    case "CN":
      return [cnDecision(input, cnPeriodDays(input.extension))];
    case "GB": {
      // DISP 1.5: summary resolution by close of business on the third business day after receipt.
      const summary = businessDays(input, "gb_summary_resolution", GB_SUMMARY_BUSINESS_DAYS);
      if (input.paymentServices) {
        // DISP 1.6.2A: 15 business days, 35 after a holding reply; it replaces the eight-week rule.
        const days = holdingReply("GB", input.extension)
          ? PSD_HOLDING_REPLY_BUSINESS_DAYS
          : PSD_BUSINESS_DAYS;
        return [summary, businessDays(input, "gb_payment_services", days)];
      }
      // DISP 1.6.2: by the end of eight weeks after receipt, a final response — or a holding response
      // that explains why there is none yet, says when to expect it and that the customer may refer the
      // complaint to the Financial Ombudsman Service. Once that holding response is recorded (an
      // extension at level `holding_reply`) the eight-week obligation is answered: no deadline remains.
      if (holdingReply("GB", input.extension)) return [summary];
      return [summary, calendarDays(input, "gb_final_response", GB_FINAL_CALENDAR_DAYS)];
    }
    case "US":
      if (input.extension) throw new ExtensionNotApplicableError(input.extension.level, "US");
      // CFPB: respond within 15 calendar days, final response within 60.
      return [
        calendarDays(input, "us_response", US_RESPONSE_DAYS),
        calendarDays(input, "us_final_response", US_FINAL_DAYS),
      ];
    case "EU": {
      // PSD2 art. 101(2): a reply within 15 business days, 35 when a holding reply explains the delay —
      // for complaints about payment services only; other EU complaints have the internal SLA alone.
      if (!input.paymentServices) {
        if (input.extension) throw new ExtensionNotApplicableError(input.extension.level, "EU");
        return [];
      }
      const days = holdingReply("EU", input.extension) ? PSD_HOLDING_REPLY_BUSINESS_DAYS : PSD_BUSINESS_DAYS;
      return [businessDays(input, "eu_psd2", days)];
    }
  }
};
