import { describe, expect, it } from "vitest";
import { calendarFor } from "../../../functions/domain/calendar/index";
import {
  computeStatutoryDeadlines,
  ExtensionApprovalRequiredError,
  ExtensionLimitExceededError,
  isStatutoryDeadline,
  STATUTORY_RULE_KIND,
  STATUTORY_RULES,
  type StatutoryInput,
} from "../../../functions/domain/sla/statutory";

const at = (iso: string) => new Date(iso);
// Far after every deadline below, so it only matters where a test gives an open pause.
const LATER = at("2027-06-30T00:00:00Z");

const deadlines = (input: Partial<StatutoryInput> & Pick<StatutoryInput, "jurisdiction" | "receivedAt">) =>
  computeStatutoryDeadlines({ pauses: [], calendar: calendarFor(input.jurisdiction), asOf: LATER, ...input });

const cn = (receivedAt: string, extra: Partial<StatutoryInput> = {}) => {
  const result = deadlines({ jurisdiction: "CN", receivedAt: at(receivedAt), ...extra });
  expect(result).toHaveLength(1);
  expect(result[0]?.rule).toBe("cn_decision");
  return result[0]!;
};

const approval = { role: "manager" as const, subject: "mgr-1", at: at("2026-03-10T10:00:00+08:00") };

describe("CN: decision within 15 days, day of acceptance not counted", () => {
  it("ends at the end of the 15th day after acceptance", () => {
    // Accepted Mon Mar 2; the period runs Mar 3..Mar 17 (Tue, a working day); due 23:59:59.999 local.
    expect(cn("2026-03-02T10:00:00+08:00")).toEqual({
      rule: "cn_decision",
      dueBy: at("2026-03-17T23:59:59.999+08:00"),
      provisional: false,
      paused: false,
    });
  });

  it("moves a last day inside Spring Festival to the next working day", () => {
    // Accepted Wed Feb 4: Feb 4 + 15 = Thu Feb 19, a holiday; Feb 20-23 off too; Tue Feb 24 is the next working day.
    expect(cn("2026-02-04T10:00:00+08:00").dueBy).toEqual(at("2026-02-24T23:59:59.999+08:00"));
  });

  it("keeps a last day that is a make-up Saturday", () => {
    // Accepted Fri Feb 13: Feb 13 + 15 = Sat Feb 28, a make-up working day, so it stays.
    expect(cn("2026-02-13T10:00:00+08:00").dueBy).toEqual(at("2026-02-28T23:59:59.999+08:00"));
    // Accepted Sat Sep 5: Sep 5 + 15 = Sun Sep 20, a make-up working day.
    expect(cn("2026-09-05T10:00:00+08:00").dueBy).toEqual(at("2026-09-20T23:59:59.999+08:00"));
    // Accepted on a holiday (Fri Sep 25): Sep 25 + 15 = Sat Oct 10, a make-up working day.
    expect(cn("2026-09-25T10:00:00+08:00").dueBy).toEqual(at("2026-10-10T23:59:59.999+08:00"));
  });

  it("moves a last day inside National Day to the day after the holiday", () => {
    // Accepted Wed Sep 16: Sep 16 + 15 = Thu Oct 1; Oct 1-7 off; Thu Oct 8.
    expect(cn("2026-09-16T10:00:00+08:00").dueBy).toEqual(at("2026-10-08T23:59:59.999+08:00"));
  });

  it("moves a last day on an ordinary Sunday to Monday", () => {
    // Accepted Sat Mar 7: Mar 7 + 15 = Sun Mar 22 -> Mon Mar 23.
    expect(cn("2026-03-07T10:00:00+08:00").dueBy).toEqual(at("2026-03-23T23:59:59.999+08:00"));
  });

  it("counts acceptance by the Shanghai date, not the UTC one", () => {
    // 2026-03-01T17:00Z is Mon Mar 2 01:00 in Shanghai: acceptance day Mar 2, due Mar 17.
    expect(cn("2026-03-01T17:00:00Z").dueBy).toEqual(at("2026-03-17T23:59:59.999+08:00"));
  });
});

describe("CN extensions", () => {
  it("extends to 30 days for a complex case", () => {
    // Mar 2 + 30 = Apr 1 (Wed).
    expect(cn("2026-03-02T10:00:00+08:00", { extension: { level: "cn_30" } }).dueBy).toEqual(
      at("2026-04-01T23:59:59.999+08:00"),
    );
    // Mar 5 + 30 = Sat Apr 4, first day of Qingming (Apr 4-6 off) -> Tue Apr 7.
    expect(cn("2026-03-05T10:00:00+08:00", { extension: { level: "cn_30" } }).dueBy).toEqual(
      at("2026-04-07T23:59:59.999+08:00"),
    );
  });

  it("extends up to 60 days with a recorded approval", () => {
    // Mar 2 + 30 = Apr 1, and Apr 1 + 30 = May 1; May 1-5 off -> Wed May 6.
    expect(
      cn("2026-03-02T10:00:00+08:00", { extension: { level: "cn_60", approvedBy: approval } }).dueBy,
    ).toEqual(at("2026-05-06T23:59:59.999+08:00"));
    // An approved 45-day period: Mar 2 + 45 = Thu Apr 16.
    expect(
      cn("2026-03-02T10:00:00+08:00", { extension: { level: "cn_60", totalDays: 45, approvedBy: approval } })
        .dueBy,
    ).toEqual(at("2026-04-16T23:59:59.999+08:00"));
  });

  it("refuses more than 30 days without the approval of head-office senior management (a manager)", () => {
    const receivedAt = at("2026-03-02T10:00:00+08:00");
    expect(() => deadlines({ jurisdiction: "CN", receivedAt, extension: { level: "cn_60" } })).toThrow(
      ExtensionApprovalRequiredError,
    );
    expect(() => deadlines({ jurisdiction: "CN", receivedAt, extension: { level: "cn_60" } })).toThrow(
      expect.objectContaining({
        name: "ExtensionApprovalRequiredError",
        code: "EXTENSION_APPROVAL_REQUIRED",
      }),
    );
    // An agent is not an approver, whatever the data says; nor is a team's supervisor (art. 20 asks for the
    // superior body or head-office senior management).
    const byAgent = { ...approval, role: "agent" } as unknown as typeof approval;
    expect(() =>
      deadlines({ jurisdiction: "CN", receivedAt, extension: { level: "cn_60", approvedBy: byAgent } }),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_APPROVAL_REQUIRED" }));
    const bySupervisor = { ...approval, role: "supervisor" as const };
    expect(() =>
      deadlines({ jurisdiction: "CN", receivedAt, extension: { level: "cn_60", approvedBy: bySupervisor } }),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_APPROVAL_REQUIRED" }));
    // The approval rule follows the days asked for, not the label.
    expect(() =>
      deadlines({ jurisdiction: "CN", receivedAt, extension: { level: "cn_30", totalDays: 40 } }),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_APPROVAL_REQUIRED" }));
  });

  it("refuses more than 60 days even with approval", () => {
    const receivedAt = at("2026-03-02T10:00:00+08:00");
    const extension = { level: "cn_60" as const, totalDays: 61, approvedBy: approval };
    expect(() => deadlines({ jurisdiction: "CN", receivedAt, extension })).toThrow(
      ExtensionLimitExceededError,
    );
    expect(() => deadlines({ jurisdiction: "CN", receivedAt, extension })).toThrow(
      expect.objectContaining({ code: "EXTENSION_LIMIT_EXCEEDED" }),
    );
  });

  it("has no holding reply", () => {
    expect(() =>
      deadlines({ jurisdiction: "CN", receivedAt: LATER, extension: { level: "holding_reply" } }),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_NOT_APPLICABLE" }));
  });
});

describe("CN appraisal pauses (whole local days: the start day counts, the days after it up to the end day do not)", () => {
  it("stops only for an external appraisal: waiting for the customer's information stops nothing (art. 20)", () => {
    // Received Mon Mar 2; a ten-day wait for the customer does not move the 15 days: due Tue Mar 17.
    const waiting = [
      {
        start: at("2026-03-04T10:00:00+08:00"),
        end: at("2026-03-14T10:00:00+08:00"),
        reason: "awaiting_customer",
      },
    ];
    expect(cn("2026-03-02T10:00:00+08:00", { pauses: waiting }).dueBy).toEqual(
      at("2026-03-17T23:59:59.999+08:00"),
    );
    // The same ten days as an external appraisal stop the clock: Mar 5..Mar 14 = 10 days, so Fri Mar 27.
    const appraisal = waiting.map((p) => ({ ...p, reason: "external_appraisal" }));
    expect(cn("2026-03-02T10:00:00+08:00", { pauses: appraisal }).dueBy).toEqual(
      at("2026-03-27T23:59:59.999+08:00"),
    );
  });

  it("excludes a pause spanning National Day", () => {
    // Accepted Mon Sep 21. Counted: Sep 22, Sep 23 (the pause starts on Sep 23, which still counts) = 2 days.
    // Stopped: Sep 24..Oct 9. The clock restarts Oct 10 and needs 13 more days: Oct 10..Oct 22 (Thu, working).
    const pauses = [
      {
        start: at("2026-09-23T15:00:00+08:00"),
        end: at("2026-10-09T11:00:00+08:00"),
        reason: "external_appraisal",
      },
    ];
    expect(cn("2026-09-21T10:00:00+08:00", { pauses })).toEqual({
      rule: "cn_decision",
      dueBy: at("2026-10-22T23:59:59.999+08:00"),
      provisional: false,
      paused: false,
    });
  });

  it("moves nothing for a pause that starts and ends on the same day", () => {
    const pauses = [
      {
        start: at("2026-03-05T10:00:00+08:00"),
        end: at("2026-03-05T16:00:00+08:00"),
        reason: "external_appraisal",
      },
    ];
    expect(cn("2026-03-02T10:00:00+08:00", { pauses }).dueBy).toEqual(at("2026-03-17T23:59:59.999+08:00"));
  });

  it("never stops a day twice for overlapping pauses", () => {
    // A stops Mar 5 and 6, B stops Mar 6 and 7: 3 days in all, so Mar 2 + 15 + 3 = Fri Mar 20.
    const pauses = [
      {
        start: at("2026-03-04T10:00:00+08:00"),
        end: at("2026-03-06T10:00:00+08:00"),
        reason: "external_appraisal",
      },
      {
        start: at("2026-03-05T09:00:00+08:00"),
        end: at("2026-03-07T09:00:00+08:00"),
        reason: "external_appraisal",
      },
    ];
    expect(cn("2026-03-02T10:00:00+08:00", { pauses }).dueBy).toEqual(at("2026-03-20T23:59:59.999+08:00"));
  });

  it("treats an open pause as ending at asOf and says the deadline is not final", () => {
    // Open since Tue Mar 10; asOf Fri Mar 13 stops Mar 11, 12, 13: Mar 2 + 15 + 3 = Fri Mar 20.
    const pauses = [{ start: at("2026-03-10T10:00:00+08:00"), reason: "external_appraisal" }];
    expect(cn("2026-03-02T10:00:00+08:00", { pauses, asOf: at("2026-03-13T12:00:00+08:00") })).toEqual({
      rule: "cn_decision",
      dueBy: at("2026-03-20T23:59:59.999+08:00"),
      provisional: false,
      paused: true,
    });
  });

  it("ignores a pause that starts after the deadline has passed", () => {
    // Due Mar 17 (see above); a pause opened on Mar 20 cannot revive it.
    const pauses = [{ start: at("2026-03-20T10:00:00+08:00"), reason: "external_appraisal" }];
    expect(cn("2026-03-02T10:00:00+08:00", { pauses, asOf: at("2026-03-25T10:00:00+08:00") })).toMatchObject({
      dueBy: at("2026-03-17T23:59:59.999+08:00"),
      paused: false,
    });
  });

  it("rejects a pause that ends before it starts", () => {
    const pauses = [
      {
        start: at("2026-03-05T10:00:00+08:00"),
        end: at("2026-03-04T10:00:00+08:00"),
        reason: "awaiting_customer",
      },
    ];
    expect(() => cn("2026-03-02T10:00:00+08:00", { pauses })).toThrow(
      expect.objectContaining({ code: "INVALID_STATUTORY_INPUT" }),
    );
  });
});

describe("CN year end (2027 provisional: no State Council notice yet)", () => {
  it("is final when the last day is in 2026", () => {
    // Accepted Wed Dec 16: Dec 16 + 15 = Thu Dec 31, a working day.
    expect(cn("2026-12-16T10:00:00+08:00")).toMatchObject({
      dueBy: at("2026-12-31T23:59:59.999+08:00"),
      provisional: false,
    });
  });

  it("is provisional when the last day is in 2027", () => {
    // Accepted Mon Dec 21: Dec 21 + 15 = Tue Jan 5 2027, a working day; 2027 is provisional, so is the deadline.
    expect(cn("2026-12-21T10:00:00+08:00")).toMatchObject({
      dueBy: at("2027-01-05T23:59:59.999+08:00"),
      provisional: true,
    });
    // Accepted Fri Dec 18: Dec 18 + 15 = Sat Jan 2 2027 -> Mon Jan 4 (the law's 2027 holidays: only Jan 1).
    expect(cn("2026-12-18T10:00:00+08:00")).toMatchObject({
      dueBy: at("2027-01-04T23:59:59.999+08:00"),
      provisional: true,
    });
  });
});

describe("GB (FCA DISP)", () => {
  it("summary resolution by close of business on the 3rd business day, across the DST change", () => {
    // Received Wed Mar 25: Thu 26 (1), Fri 27 (2), Mon 30 (3); close 17:00 BST. Final: Mar 25 + 56 = Wed May 20.
    expect(deadlines({ jurisdiction: "GB", receivedAt: at("2026-03-25T14:00:00+00:00") })).toEqual([
      {
        rule: "gb_summary_resolution",
        dueBy: at("2026-03-30T17:00:00+01:00"),
        provisional: false,
        paused: false,
      },
      {
        rule: "gb_final_response",
        dueBy: at("2026-05-20T23:59:59.999+01:00"),
        provisional: false,
        paused: false,
      },
    ]);
  });

  it("summary resolution skips Good Friday and Easter Monday", () => {
    // Received Thu Apr 2: Fri 3 and Mon 6 are bank holidays; Tue 7 (1), Wed 8 (2), Thu 9 (3).
    const [summary] = deadlines({ jurisdiction: "GB", receivedAt: at("2026-04-02T11:00:00+01:00") });
    expect(summary?.dueBy).toEqual(at("2026-04-09T17:00:00+01:00"));
  });

  it("does not stop the eight-week clock for pauses", () => {
    const pauses = [{ start: at("2026-03-26T10:00:00+00:00"), reason: "awaiting_customer" }];
    const result = deadlines({ jurisdiction: "GB", receivedAt: at("2026-03-25T14:00:00+00:00"), pauses });
    expect(result[1]).toEqual({
      rule: "gb_final_response",
      dueBy: at("2026-05-20T23:59:59.999+01:00"),
      provisional: false,
      paused: false,
    });
  });

  it("payment services: 15 business days, 35 with a holding reply, instead of eight weeks", () => {
    const receivedAt = at("2026-03-02T10:00:00+00:00");
    // After Mon Mar 2: Mar 3-6 (4), 9-13 (9), 16-20 (14), Mon Mar 23 (15); close 17:00 GMT.
    expect(deadlines({ jurisdiction: "GB", receivedAt, paymentServices: true }).map((d) => d.rule)).toEqual([
      "gb_summary_resolution",
      "gb_payment_services",
    ]);
    expect(deadlines({ jurisdiction: "GB", receivedAt, paymentServices: true })[1]?.dueBy).toEqual(
      at("2026-03-23T17:00:00+00:00"),
    );
    // Then Mar 24-27 (19), Mar 30-Apr 2 (23), Apr 3 and 6 off, Apr 7-10 (27), 13-17 (32), 20, 21, Wed Apr 22 (35).
    const extension = { level: "holding_reply" as const };
    expect(deadlines({ jurisdiction: "GB", receivedAt, paymentServices: true, extension })[1]?.dueBy).toEqual(
      at("2026-04-22T17:00:00+01:00"),
    );
  });

  it("outside payment services, a holding response answers the eight-week rule: no deadline remains", () => {
    const receivedAt = at("2026-03-25T14:00:00+00:00");
    const extension = { level: "holding_reply" as const, expectedBy: "2026-06-30" };
    expect(deadlines({ jurisdiction: "GB", receivedAt, extension }).map((d) => d.rule)).toEqual([
      "gb_summary_resolution",
    ]);
    // The CN levels have no meaning in GB.
    expect(() => deadlines({ jurisdiction: "GB", receivedAt, extension: { level: "cn_30" } })).toThrow(
      expect.objectContaining({ code: "EXTENSION_NOT_APPLICABLE" }),
    );
  });

  it("treats the three-day summary resolution as a window, never a deadline to breach", () => {
    expect(STATUTORY_RULE_KIND.gb_summary_resolution).toBe("window");
    expect(isStatutoryDeadline("gb_summary_resolution")).toBe(false);
    const obligations = STATUTORY_RULES.filter(isStatutoryDeadline);
    expect(obligations).toEqual(STATUTORY_RULES.filter((r) => r !== "gb_summary_resolution"));
  });
});

describe("US (CFPB)", () => {
  it("15 and 60 calendar days, ending at the end of the New York day", () => {
    // Received Fri Oct 30 (EDT). Oct 30 + 15 = Sat Nov 14 (calendar days: no roll), after the Nov 1 change.
    // Oct 30 + 60: Oct 30 + 32 = Dec 1, so + 60 = Dec 29.
    expect(deadlines({ jurisdiction: "US", receivedAt: at("2026-10-30T15:00:00-04:00") })).toEqual([
      { rule: "us_response", dueBy: at("2026-11-14T23:59:59.999-05:00"), provisional: false, paused: false },
      {
        rule: "us_final_response",
        dueBy: at("2026-12-29T23:59:59.999-05:00"),
        provisional: false,
        paused: false,
      },
    ]);
  });
});

describe("EU (PSD2 art. 101)", () => {
  const receivedAt = at("2026-03-25T10:00:00+01:00");
  const paymentServices = true;

  it("applies to payment services only: any other EU complaint has the internal SLA and no statutory deadline", () => {
    expect(deadlines({ jurisdiction: "EU", receivedAt })).toEqual([]);
    expect(() =>
      deadlines({ jurisdiction: "EU", receivedAt, extension: { level: "holding_reply" } }),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_NOT_APPLICABLE" }));
  });

  it("15 business days over Easter", () => {
    // After Wed Mar 25: Mar 26, 27, 30, 31, Apr 1, 2 (6); Apr 3 and 6 closed; Apr 7-10 (10), Apr 13-17 (15).
    expect(deadlines({ jurisdiction: "EU", receivedAt, paymentServices })).toEqual([
      { rule: "eu_psd2", dueBy: at("2026-04-17T17:00:00+02:00"), provisional: false, paused: false },
    ]);
  });

  it("35 business days with a holding reply, skipping 1 May", () => {
    // From Apr 17 (15): Apr 20-24 (20), 27-30 (24), May 1 closed, May 4-8 (29), 11-15 (34), Mon May 18 (35).
    expect(
      deadlines({ jurisdiction: "EU", receivedAt, paymentServices, extension: { level: "holding_reply" } })[0]
        ?.dueBy,
    ).toEqual(at("2026-05-18T17:00:00+02:00"));
  });

  it("is final across the year end (2027's TARGET closing days are loaded)", () => {
    // After Mon Dec 21: 22, 23, 24 (3), 25 closed, 28-31 (7); Fri Jan 1 2027 closed (New Year's Day),
    // Jan 4-8 (12), Jan 11, 12, Wed Jan 13 (15).
    expect(
      deadlines({ jurisdiction: "EU", receivedAt: at("2026-12-21T10:00:00+01:00"), paymentServices }),
    ).toEqual([
      { rule: "eu_psd2", dueBy: at("2027-01-13T17:00:00+01:00"), provisional: false, paused: false },
    ]);
  });

  it("has no CN extension", () => {
    expect(() =>
      deadlines({ jurisdiction: "EU", receivedAt, paymentServices, extension: { level: "cn_30" } }),
    ).toThrow(expect.objectContaining({ code: "EXTENSION_NOT_APPLICABLE" }));
  });
});

/*
 * Deadlines on the calendars in force (data generated from their sources, checked day by day in
 * calendar-sources.test.ts). Each expectation is counted by hand in its comment from those data files.
 */
describe("statutory deadlines across the holidays that matter", () => {
  const gbPayments = (receivedAt: string, calendar = "GB-EAW") =>
    deadlines({
      jurisdiction: "GB",
      receivedAt: at(receivedAt),
      paymentServices: true,
      calendar: calendarFor(calendar),
    }).find((d) => d.rule === "gb_payment_services");

  it("CN: a period ending in the Spring Festival holiday rolls to the first working day after it", () => {
    // Received Thu Feb 5 2026: Feb 5 + 15 = Fri Feb 20, inside 春节 (Feb 15-23) -> Tue Feb 24.
    expect(cn("2026-02-05T10:00:00+08:00").dueBy).toEqual(at("2026-02-24T23:59:59.999+08:00"));
  });

  it("CN: National Day rolls forward, and its make-up Saturday is a working day that ends a period", () => {
    // Received Wed Sep 16: + 15 = Thu Oct 1, National Day (Oct 1-7) -> Thu Oct 8.
    expect(cn("2026-09-16T10:00:00+08:00").dueBy).toEqual(at("2026-10-08T23:59:59.999+08:00"));
    // Received Fri Sep 25 (中秋, a holiday: receipt still counts as day 0): + 15 = Sat Oct 10, a 调休
    // working Saturday -> due that Saturday.
    expect(cn("2026-09-25T10:00:00+08:00").dueBy).toEqual(at("2026-10-10T23:59:59.999+08:00"));
  });

  it("CN: a period ending on New Year's Day 2027 rolls to Monday, and is provisional until the notice", () => {
    // Received Thu Dec 17 2026: + 15 = Fri Jan 1 2027 (元旦, fixed by law) -> Sat, Sun -> Mon Jan 4.
    expect(cn("2026-12-17T10:00:00+08:00")).toEqual({
      rule: "cn_decision",
      dueBy: at("2027-01-04T23:59:59.999+08:00"),
      provisional: true,
      paused: false,
    });
  });

  it("GB: fifteen business days over Christmas and New Year 2027, final (both years confirmed)", () => {
    // Received Mon Dec 14 2026: Dec 15-18 (4), 21-24 (8), Fri 25 and Mon 28 closed (Boxing Day
    // substitute), 29-31 (11), Fri Jan 1 closed, Jan 4-7 (15) -> Thu Jan 7, 17:00 GMT.
    expect(gbPayments("2026-12-14T10:00:00Z")).toEqual({
      rule: "gb_payment_services",
      dueBy: at("2027-01-07T17:00:00Z"),
      provisional: false,
      paused: false,
    });
  });

  it("GB: close of business follows the clocks going back (BST ends Sun Oct 25 2026)", () => {
    // Received Mon Oct 19: Oct 20-23 (4), 26-30 (9), Nov 2-6 (14), Mon Nov 9 (15): 17:00 GMT = 17:00Z.
    expect(gbPayments("2026-10-19T10:00:00+01:00")?.dueBy).toEqual(at("2026-11-09T17:00:00Z"));
    // Received Mon Oct 5: Oct 6-9 (4), 12-16 (9), 19-23 (14), Mon Oct 26 (15) -> after the change: 17:00Z.
    // Received Mon Sep 28: Sep 29-Oct 2 (4), 5-9 (9), 12-16 (14), Mon Oct 19 (15) -> still BST: 16:00Z.
    expect(gbPayments("2026-09-28T10:00:00+01:00")?.dueBy).toEqual(at("2026-10-19T16:00:00Z"));
  });

  it("US: calendar days end at local midnight across the spring clock change (EDT from Sun Mar 8 2026)", () => {
    // Received Sun Mar 1 (EST): + 15 calendar days = Mon Mar 16, ending 23:59:59.999 EDT (-04:00).
    const [response] = deadlines({ jurisdiction: "US", receivedAt: at("2026-03-01T12:00:00-05:00") });
    expect(response?.dueBy).toEqual(at("2026-03-16T23:59:59.999-04:00"));
  });

  it("GB-SCT: St Andrew's Day (Mon Nov 30 2026) is a Scottish bank holiday, not an English one", () => {
    // Received Mon Nov 9: Nov 10-13 (4), 16-20 (9), 23-27 (14); Mon Nov 30 is the 15th in England and
    // Wales, closed in Scotland, so Tue Dec 1 there.
    expect(gbPayments("2026-11-09T10:00:00Z", "GB-EAW")?.dueBy).toEqual(at("2026-11-30T17:00:00Z"));
    expect(gbPayments("2026-11-09T10:00:00Z", "GB-SCT")?.dueBy).toEqual(at("2026-12-01T17:00:00Z"));
  });

  it("GB-NIR: St Patrick's Day (Tue Mar 17 2026) is a Northern Irish bank holiday", () => {
    // Received Tue Feb 24: Feb 25-27 (3), Mar 2-6 (8), 9-13 (13), Mon 16 (14); Tue Mar 17 is the 15th in
    // England and Wales, closed in Northern Ireland, so Wed Mar 18 there.
    expect(gbPayments("2026-02-24T10:00:00Z", "GB-EAW")?.dueBy).toEqual(at("2026-03-17T17:00:00Z"));
    expect(gbPayments("2026-02-24T10:00:00Z", "GB-NIR")?.dueBy).toEqual(at("2026-03-18T17:00:00Z"));
  });
});
