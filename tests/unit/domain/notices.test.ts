import { describe, expect, it } from "vitest";
import { calendarFor } from "../../../functions/domain/calendar";
import { JURISDICTIONS, type Jurisdiction, type NoticeLocale } from "../../../functions/domain/codes";
import type { Complaint, DomainEvent } from "../../../functions/domain/complaint";
import { transition } from "../../../functions/domain/lifecycle";
import {
  formatNoticeDate,
  localeOf,
  NOTICE_KINDS,
  type NoticeKind,
  renderNotice,
  withCustomerNotices,
} from "../../../functions/domain/notices";
import { isStatutoryDeadline } from "../../../functions/domain/sla/statutory";
import { agent, ctxAt, newComplaint, system } from "./fixtures";

const supervisor = { ...agent, subject: "sup-1", role: "supervisor" };
const AT = "2026-12-01T03:00:00.000Z";

/** A complaint of a jurisdiction taken through the lifecycle to the stage a notice kind belongs to. */
const complaintFor = (jurisdiction: Jurisdiction, locale: NoticeLocale, kind: NoticeKind): Complaint => {
  // GB and EU extensions exist for payment services only (holding replies under PSD2 / DISP 1.6.2A).
  const businessType = jurisdiction === "GB" || jurisdiction === "EU" ? "payments" : "cards";
  let c = newComplaint({
    jurisdiction,
    businessType,
    customer: { id: "C-9", segment: "mass_retail", name: "Wang Fang", email: "wf@example.com", locale },
  });
  c = transition(c, { type: "start_handling", actor: system }, ctxAt(AT)).complaint;
  if (kind === "information_request") {
    c = transition(c, { type: "request_info", actor: agent, question: "Which card?" }, ctxAt(AT)).complaint;
  }
  if (kind === "holding_reply" && jurisdiction !== "US") {
    const level = jurisdiction === "CN" ? "cn_30" : "holding_reply";
    c = transition(c, { type: "extend", actor: supervisor, level, reason: "scheme" }, ctxAt(AT)).complaint;
  }
  if (kind === "final_response" || kind === "satisfaction_survey") {
    c = transition(
      c,
      {
        type: "resolve",
        actor: agent,
        resolution: {
          outcome: "partially_upheld",
          summary: "Half of the fee is refunded.",
          remedy: { amount: "60.00", currency: "CNY" },
          rootCause: "system_defect",
        },
      },
      ctxAt(AT),
    ).complaint;
  }
  return c;
};

/** What each jurisdiction's final response must name as the customer's escalation route. */
const RIGHTS: Record<Jurisdiction, Record<"zh" | "en", string[]>> = {
  CN: { zh: ["12378", "12363", "国家金融监督管理总局"], en: ["12378", "12363", "NFRA"] },
  GB: {
    zh: ["Financial Ombudsman Service", "六个月"],
    en: ["Financial Ombudsman Service", "within six months of the date of this letter", "free of charge"],
  },
  US: { zh: ["CFPB", "consumerfinance.gov/complaint"], en: ["Consumer Financial Protection Bureau", "CFPB"] },
  EU: { zh: ["ADR", "FIN-NET"], en: ["ADR", "FIN-NET"] },
};
const FINAL_RULE: Record<Jurisdiction, string> = {
  CN: "cn_decision",
  GB: "gb_payment_services",
  US: "us_final_response",
  EU: "eu_psd2",
};

describe("customer notices", () => {
  const locales: NoticeLocale[] = ["zh-CN", "en-GB", "en-US"];
  for (const jurisdiction of JURISDICTIONS) {
    for (const locale of locales) {
      const lang = locale === "zh-CN" ? "zh" : "en";
      for (const kind of NOTICE_KINDS) {
        it(`${jurisdiction} ${locale} ${kind}: reference, deadlines and rights in the customer's language`, () => {
          const c = complaintFor(jurisdiction, locale, kind);
          const cal = calendarFor(jurisdiction);
          const date = (iso: string) => formatNoticeDate(cal, iso);
          const n = renderNotice(c, { kind }, new Date(AT), "n-1");
          const { body, subject } = n.content;
          expect(n.locale).toBe(locale);
          expect(subject).toContain(c.reference);
          expect(body).toContain(c.reference);
          expect(body).not.toMatch(/\{\w+\}/);
          // The salutation is the only personal data in the text; contact details are in `to` only.
          expect(body).toContain("Wang Fang");
          expect(body).not.toContain("wf@example.com");
          expect(n.content.to).toEqual({ customerId: "C-9", name: "Wang Fang", email: "wf@example.com" });
          // Chinese notices are written in Chinese, English ones in English.
          expect(/[\u4e00-\u9fff]/.test(body)).toBe(lang === "zh");
          // Every date is in the jurisdiction's own offset.
          const offset = cal.formatLocal(new Date(c.sla.resolveBy)).slice(-6);
          for (const m of body.matchAll(/\(UTC([+-]\d\d:\d\d)\)/g))
            expect([offset, cal.formatLocal(new Date(AT)).slice(-6)]).toContain(m[1]);
          switch (kind) {
            case "acknowledgement":
              expect(body).toContain(date(c.sla.resolveBy));
              // Deadlines are promised; a window (GB's three-day summary resolution) is not.
              for (const s of c.sla.statutory) {
                if (isStatutoryDeadline(s.rule)) expect(body).toContain(date(s.dueBy));
                else expect(body).not.toContain(date(s.dueBy));
              }
              expect(n.satisfies).toBeNull();
              break;
            case "information_request":
              expect(body).toContain("Which card?");
              expect(body).toContain(date(c.pendingQuestion!.replyBy));
              break;
            case "holding_reply": {
              const extended = c.sla.statutory.find((s) => s.rule === FINAL_RULE[jurisdiction]);
              if (jurisdiction === "US") {
                expect(n.satisfies).toBeNull();
              } else {
                expect(body).toContain(date(extended!.dueBy));
                expect(n.satisfies).toMatchObject({ rule: FINAL_RULE[jurisdiction], met: true });
                // The holding reply had to beat the deadline as it stood before the extension.
                expect(Date.parse(n.satisfies!.dueBy)).toBeLessThan(Date.parse(extended!.dueBy));
                expect(body).toContain(date(n.satisfies!.dueBy));
              }
              for (const word of RIGHTS[jurisdiction][lang]) expect(body).toContain(word);
              break;
            }
            case "final_response": {
              const final = c.sla.statutory.find((s) => s.rule === FINAL_RULE[jurisdiction])!;
              expect(body).toContain(date(final.dueBy));
              expect(body).toContain("Half of the fee is refunded.");
              expect(body).toContain("60.00 CNY");
              for (const word of RIGHTS[jurisdiction][lang]) expect(body).toContain(word);
              expect(n.satisfies).toEqual({
                rule: FINAL_RULE[jurisdiction],
                dueBy: cal.formatLocal(new Date(final.dueBy)),
                met: true,
              });
              break;
            }
            case "satisfaction_survey":
              expect(body).toContain(date(c.feedbackDueBy!));
              expect(body).toMatch(lang === "zh" ? /1 分.*5 分/s : /from 1 .* to 5/s);
              break;
          }
        });
      }
    }
  }

  it("defaults the locale from the jurisdiction: CN zh-CN, GB en-GB, US en-US, EU en-GB", () => {
    const of = (jurisdiction: Jurisdiction) =>
      localeOf({ jurisdiction, customer: { id: "C", segment: "mass_retail" } });
    expect(JURISDICTIONS.map(of)).toEqual(["zh-CN", "en-GB", "en-US", "en-GB"]);
  });

  it("records every notice in the audit trail with kind, locale and the deadline it satisfies, no text", () => {
    const c = complaintFor("CN", "zh-CN", "final_response");
    const resolved: DomainEvent = {
      type: "Resolved",
      at: AT,
      actor: agent,
      statusAfter: "awaiting_feedback",
      data: { outcome: "partially_upheld", cycle: 1, rootCause: "process", remediationDueBy: null },
    };
    const { events, notices } = withCustomerNotices(c, [resolved], new Date(AT), 7);
    expect(notices.map((n) => [n.kind, n.noticeId])).toEqual([
      ["final_response", `${c.id}-7-1`],
      ["satisfaction_survey", `${c.id}-7-2`],
    ]);
    expect(events.map((e) => e.type)).toEqual(["Resolved", "NoticeSent", "NoticeSent"]);
    expect(events[1]?.data).toEqual({
      noticeId: `${c.id}-7-1`,
      kind: "final_response",
      locale: "zh-CN",
      satisfies: notices[0]?.satisfies,
    });
    expect(JSON.stringify(events)).not.toContain("Wang Fang");
  });
});

describe("the FCA's eight-week holding response (GB, outside payment services)", () => {
  // Received Tue 1 Dec 2026; the eight weeks end Tue 26 Jan 2027 at 23:59 London time.
  const held = (sentAt: string, locale: NoticeLocale) => {
    let c = newComplaint({
      jurisdiction: "GB",
      businessType: "loans",
      customer: { id: "C-9", segment: "mass_retail", name: "Wang Fang", locale },
    });
    c = transition(c, { type: "start_handling", actor: system }, ctxAt(AT)).complaint;
    c = transition(
      c,
      {
        type: "extend",
        actor: agent,
        level: "holding_reply",
        expectedBy: "2027-03-05",
        reason: "We are still waiting for the card scheme's chargeback records.",
      },
      ctxAt(sentAt),
    ).complaint;
    return renderNotice(c, { kind: "holding_reply" }, new Date(sentAt), "n-1");
  };

  it("says why, when to expect the final response, and from when the Ombudsman can take the complaint", () => {
    const n = held("2027-01-20T10:00:00.000Z", "en-GB");
    const { body, subject } = n.content;
    expect(subject).toBe("Holding response: CMP-20261201-000001");
    expect(body).toContain("received your complaint CMP-20261201-000001 on 2026-12-01");
    expect(body).toContain("We are still waiting for the card scheme's chargeback records.");
    expect(body).toContain("We expect to send you our final response by 2027-03-05.");
    expect(body).toContain("Financial Ombudsman Service, free of charge, from 2027-01-27");
    expect(body).toContain("explanatory leaflet");
    // Not the final response's six-month wording, and no new statutory date: the letter answers DISP 1.6.2.
    expect(body).not.toContain("six months");
    expect(body).not.toMatch(/\{\w+\}/);
    expect(n.satisfies).toEqual({
      rule: "gb_final_response",
      dueBy: "2027-01-26T23:59:59.999+00:00",
      met: true,
    });
  });

  it("tells the customer they may go to the Ombudsman now when it is sent after the eight weeks, as a late letter", () => {
    const n = held("2027-01-28T10:00:00.000Z", "en-GB");
    expect(n.content.body).toContain("You may now refer your complaint to the Financial Ombudsman Service");
    expect(n.satisfies).toMatchObject({ rule: "gb_final_response", met: false });
    const zh = held("2027-01-20T10:00:00.000Z", "zh-CN").content.body;
    expect(zh).toContain("2027-03-05");
    expect(zh).toContain("自 2027-01-27 起");
    expect(zh).toContain("Financial Ombudsman Service");
  });
});
