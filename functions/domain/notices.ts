import type { BusinessCalendar } from "./calendar";
import { addLocalDays } from "./calendar/business-calendar";
import {
  DEFAULT_LOCALE,
  type Jurisdiction,
  NOTICE_LOCALES,
  type NoticeKind,
  type NoticeLocale,
} from "./codes";
import type { Complaint, DomainEvent } from "./complaint";
import { calendarOf } from "./lifecycle";
import {
  computeStatutoryDeadlines,
  isPaymentServices,
  isStatutoryDeadline,
  STATUTORY_RULES,
  type StatutoryRule,
  takesEightWeekLetter,
} from "./sla/statutory";

/**
 * Customer notices: what the customer is told, when, in their language. Pure rendering from templates
 * held as data; every date is shown in the jurisdiction's own offset (the calendar's `formatLocal`).
 * Personal data (the customer's name and contact) appears only in a notice's `content`.
 */

export { NOTICE_KINDS, type NoticeKind } from "./codes";

/** The statutory deadline a notice satisfies, and whether it was sent in time. */
export interface SatisfiedDeadline {
  rule: StatutoryRule;
  /** ISO-8601 in the jurisdiction's offset. */
  dueBy: string;
  met: boolean;
}

/** The part of a notice that carries personal data: the addressee and the text. Never logged. */
export interface NoticeContent {
  to: { customerId: string; name?: string; email?: string; phone?: string };
  subject: string;
  body: string;
}

export interface CustomerNotice {
  /** `<complaintId>-<version>-<n>`: stable across retries of the same stored change. */
  noticeId: string;
  complaintId: string;
  reference: string;
  channel: Complaint["channel"];
  jurisdiction: Jurisdiction;
  kind: NoticeKind;
  locale: NoticeLocale;
  at: string;
  satisfies: SatisfiedDeadline | null;
  content: NoticeContent;
}

type Lang = "zh" | "en";
type Localized = Record<Lang, string>;

/** The customer's notice locale: theirs when they named a supported one, else the jurisdiction's. */
export const localeOf = (c: Pick<Complaint, "customer" | "jurisdiction">): NoticeLocale =>
  (NOTICE_LOCALES as readonly string[]).includes(c.customer.locale ?? "")
    ? (c.customer.locale as NoticeLocale)
    : DEFAULT_LOCALE[c.jurisdiction];

const langOf = (locale: NoticeLocale): Lang => (locale === "zh-CN" ? "zh" : "en");

/** What each statutory rule is called in a notice. */
export const STATUTORY_LABELS: Record<StatutoryRule, Localized> = {
  cn_decision: { zh: "法定处理期限", en: "statutory decision deadline (NFRA/PBoC rules)" },
  gb_summary_resolution: { zh: "三个工作日内简易处理期限", en: "summary resolution (three business days)" },
  gb_final_response: { zh: "最终答复期限（八周）", en: "final response (eight weeks, FCA DISP 1.6)" },
  gb_payment_services: {
    zh: "支付服务投诉答复期限",
    en: "final response on a payment service (FCA DISP 1.6.2A)",
  },
  us_response: { zh: "答复期限（15日）", en: "response (15 days)" },
  us_final_response: { zh: "最终答复期限（60日）", en: "final response (60 days)" },
  eu_psd2: { zh: "支付服务投诉答复期限（PSD2）", en: "reply on a payment service (PSD2 art. 101)" },
};

/** The customer's escalation rights if they remain dissatisfied, per jurisdiction. */
export const ESCALATION_RIGHTS: Record<Jurisdiction, Localized> = {
  CN: {
    zh:
      "如您对处理结果不满意，可向国家金融监督管理总局及其派出机构反映（消费者投诉维权热线 12378），" +
      "涉及中国人民银行职责范围的，可拨打 12363 金融消费权益保护咨询投诉电话；" +
      "您也可以申请金融纠纷调解组织调解，或依法申请仲裁、向人民法院提起诉讼。",
    en:
      "If you are not satisfied with our decision, you may contact the National Financial Regulatory " +
      "Administration (NFRA) and its local offices on the consumer complaints hotline 12378, or, for " +
      "matters within the People's Bank of China's remit, the PBoC financial consumer hotline 12363. You may " +
      "also ask a financial dispute mediation body to mediate, apply for arbitration or go to court.",
  },
  GB: {
    zh:
      "您有权在本函日期起六个月内，免费将投诉提交至英国金融申诉专员服务机构（Financial Ombudsman Service，" +
      "www.financial-ombudsman.org.uk，0800 023 4567）。逾期提交的，申诉专员只能在非常有限的情况下受理。",
    en:
      "You have the right to refer your complaint to the Financial Ombudsman Service, free of charge, but " +
      "you must do so within six months of the date of this letter. If you do not refer it in time, the " +
      "Ombudsman will not have our permission to consider it and can do so only in very limited " +
      "circumstances. Financial Ombudsman Service: www.financial-ombudsman.org.uk, 0800 023 4567, " +
      "Exchange Tower, London E14 9SR.",
  },
  US: {
    zh:
      "如您对答复不满意，可向美国消费者金融保护局（CFPB）投诉：consumerfinance.gov/complaint，" +
      "电话 (855) 411-2372。",
    en:
      "If you are not satisfied with our response, you may submit a complaint to the Consumer Financial " +
      "Protection Bureau (CFPB) at consumerfinance.gov/complaint or by calling (855) 411-2372.",
  },
  EU: {
    zh:
      "如您对答复不满意，可将争议提交至您所在国负责金融服务的庭外纠纷解决（ADR）机构；" +
      "金融纠纷解决网络 FIN-NET 可告知您适用的机构。您也可以向法院起诉。",
    en:
      "If you are not satisfied with our reply, you may refer the dispute to the out-of-court dispute " +
      "resolution (ADR) body for financial services in your country; FIN-NET, the EU's financial dispute " +
      "resolution network, can tell you which body is competent. You also keep the right to go to court.",
  },
};

/** What the notice that buys more time is called in each jurisdiction. */
export const HOLDING_TITLES: Record<Jurisdiction, Localized> = {
  CN: { zh: "延长处理期限告知书", en: "Notice of extension of the handling period" },
  GB: { zh: "延期答复通知（FCA holding response）", en: "Holding response" },
  US: { zh: "延期答复通知", en: "Update on your complaint" },
  EU: { zh: "延期答复通知（PSD2 holding reply）", en: "Holding reply" },
};

const OUTCOMES: Record<string, Localized> = {
  upheld: { zh: "支持您的投诉请求", en: "we have upheld your complaint" },
  partially_upheld: { zh: "部分支持您的投诉请求", en: "we have partly upheld your complaint" },
  rejected: { zh: "未能支持您的投诉请求", en: "we have not upheld your complaint" },
};

interface Template {
  subject: Localized;
  /** Lines; a line whose placeholders resolve to nothing is left out. */
  body: Record<Lang, string[]>;
}

/** The templates, as data. `{name}` placeholders are filled by `fill`. */
export const TEMPLATES: Record<NoticeKind, Template> = {
  acknowledgement: {
    subject: { zh: "投诉受理通知（编号 {reference}）", en: "We have received your complaint {reference}" },
    body: {
      zh: [
        "{salutation}：",
        "我们已于 {receivedAt} 受理您的投诉，投诉编号：{reference}。",
        "我们将于 {firstResponseBy} 前与您联系，并力争于 {resolveBy} 前完成处理。",
        "{statutoryLines}",
        "如需补充材料或查询进度，请提供投诉编号 {reference}。",
      ],
      en: [
        "{salutation},",
        "We received your complaint on {receivedAt}. Your reference is {reference}.",
        "We will contact you by {firstResponseBy} and aim to resolve your complaint by {resolveBy}.",
        "{statutoryLines}",
        "Please quote {reference} whenever you contact us about this complaint.",
      ],
    },
  },
  information_request: {
    subject: { zh: "请补充投诉材料（编号 {reference}）", en: "We need more information: {reference}" },
    body: {
      zh: [
        "{salutation}：",
        "为处理您的投诉（编号 {reference}），请您补充以下信息：",
        "{question}",
        "请于 {replyBy} 前答复。",
        "{statutoryRunning}",
      ],
      en: [
        "{salutation},",
        "To handle your complaint {reference} we need the following from you:",
        "{question}",
        "Please reply by {replyBy}.",
        "{statutoryRunning}",
      ],
    },
  },
  holding_reply: {
    subject: { zh: "{holdingTitle}（编号 {reference}）", en: "{holdingTitle}: {reference}" },
    body: {
      zh: [
        "{salutation}：",
        "{holdingTitle}",
        "由于情况复杂，我们需要更多时间处理您的投诉（编号 {reference}）。",
        "原定期限为 {originalDueBy}，现延长至 {newDueBy}。",
        "{rights}",
      ],
      en: [
        "{salutation},",
        "{holdingTitle}",
        "We need more time to reach a decision on your complaint {reference}, as it requires further investigation.",
        "We were due to reply by {originalDueBy}; we will now send you our final reply by {newDueBy}.",
        "{rights}",
      ],
    },
  },
  final_response: {
    subject: {
      zh: "投诉处理结果（编号 {reference}）",
      en: "Our final response to your complaint {reference}",
    },
    body: {
      zh: [
        "{salutation}：",
        "关于您的投诉（编号 {reference}），经调查，{outcome}。",
        "{summary}",
        "{remedyLine}",
        "本答复日期：{sentAt}；{deadlineLine}",
        "{rights}",
      ],
      en: [
        "{salutation},",
        "This is our final response to your complaint {reference}: {outcome}.",
        "{summary}",
        "{remedyLine}",
        "Date of this response: {sentAt}. {deadlineLine}",
        "{rights}",
      ],
    },
  },
  appraisal_started: {
    subject: {
      zh: "投诉处理进展：外部鉴定（编号 {reference}）",
      en: "Your complaint {reference}: an external appraisal",
    },
    body: {
      zh: [
        "{salutation}：",
        "为处理您的投诉（编号 {reference}），我们需要外部机构进行鉴定、检测或评估：",
        "{reason}",
        "依据《银行业保险业消费投诉处理管理办法》第二十条，鉴定、检测、评估期间不计入投诉处理期限。鉴定结束后我们将及时告知您，并继续处理。",
      ],
      en: [
        "{salutation},",
        "To decide on your complaint {reference} we need an outside body to appraise, test or evaluate the following:",
        "{reason}",
        "Under article 20 of the NFRA complaint-handling rules, the time the appraisal takes is not counted in the period we have to decide. We will tell you when it ends, and continue.",
      ],
    },
  },
  appraisal_ended: {
    subject: {
      zh: "投诉处理进展：鉴定已完成（编号 {reference}）",
      en: "Your complaint {reference}: the appraisal is complete",
    },
    body: {
      zh: [
        "{salutation}：",
        "您的投诉（编号 {reference}）所需的外部鉴定、检测或评估已经完成，我们将继续处理。",
        "{statutoryNow}",
      ],
      en: [
        "{salutation},",
        "The outside appraisal your complaint {reference} needed is complete, and we are continuing with it.",
        "{statutoryNow}",
      ],
    },
  },
  deadline_correction: {
    subject: {
      zh: "处理期限更正（编号 {reference}）",
      en: "A correction to the dates we gave you: {reference}",
    },
    body: {
      zh: [
        "{salutation}：",
        "我们此前告知您的投诉（编号 {reference}）处理日期有误，现更正如下：",
        "{corrections}",
        "由此给您带来的不便，我们深表歉意。",
      ],
      en: [
        "{salutation},",
        "A date we gave you for your complaint {reference} was wrong. The correct dates are:",
        "{corrections}",
        "We apologise for the confusion.",
      ],
    },
  },
  satisfaction_survey: {
    subject: {
      zh: "满意度评价邀请（编号 {reference}）",
      en: "How did we handle your complaint {reference}?",
    },
    body: {
      zh: [
        "{salutation}：",
        "请您对投诉（编号 {reference}）的处理进行评价（1 分为非常不满意，5 分为非常满意），",
        "并告知您是否接受处理结果。如不接受，我们将重新处理。请于 {feedbackBy} 前答复。",
      ],
      en: [
        "{salutation},",
        "Please rate how we handled your complaint {reference} from 1 (very dissatisfied) to 5 (very satisfied),",
        "and tell us whether you accept our response; if you do not, we will look at it again. Please reply by {feedbackBy}.",
      ],
    },
  },
};

/**
 * The FCA's eight-week holding response (DISP 1.6.2(2)), a GB complaint outside payment services: why there
 * is no final response yet, when to expect it, and that the customer may refer the complaint to the
 * Financial Ombudsman Service (from eight weeks after receipt; the leaflet goes with it).
 */
export const EIGHT_WEEK_REPLY: Template = {
  subject: { zh: "{holdingTitle}（编号 {reference}）", en: "{holdingTitle}: {reference}" },
  body: {
    zh: [
      "{salutation}：",
      "{holdingTitle}",
      "我们于 {receivedOn} 收到您的投诉（编号 {reference}），目前尚无法作出最终答复，原因如下：",
      "{reason}",
      "我们预计将于 {expectedBy} 前向您发送最终答复。",
      "{fosLine}",
    ],
    en: [
      "{salutation},",
      "{holdingTitle}",
      "We received your complaint {reference} on {receivedOn} and are not yet able to give you our final response, because:",
      "{reason}",
      "We expect to send you our final response by {expectedBy}.",
      "{fosLine}",
    ],
  },
};

const FOS_CONTACT =
  "Financial Ombudsman Service: www.financial-ombudsman.org.uk, 0800 023 4567, Exchange Tower, London E14 9SR.";

/** What the eight-week letter says about the Ombudsman: "now" once eight weeks have passed, else from when. */
const fosLine = (lang: Lang, fosFrom: string | undefined): string => {
  if (lang === "zh") {
    return fosFrom
      ? `如您对延误不满意，自 ${fosFrom} 起（即我们收到投诉满八周后），您可免费将投诉提交至英国金融申诉专员服务机构（Financial Ombudsman Service）。随函附上申诉专员服务的说明手册。${FOS_CONTACT}`
      : `您现在可以免费将投诉提交至英国金融申诉专员服务机构（Financial Ombudsman Service）。随函附上申诉专员服务的说明手册。${FOS_CONTACT}`;
  }
  return fosFrom
    ? `If you are unhappy with the delay, you may refer your complaint to the Financial Ombudsman Service, free of charge, from ${fosFrom} (eight weeks after we received it). We enclose the Ombudsman's explanatory leaflet. ${FOS_CONTACT}`
    : `You may now refer your complaint to the Financial Ombudsman Service, free of charge. We enclose the Ombudsman's explanatory leaflet. ${FOS_CONTACT}`;
};

/** A local instant as notices show it: `2026-12-22 23:59 (UTC+08:00)`, from the calendar's `formatLocal`. */
export const formatNoticeDate = (cal: BusinessCalendar, iso: string): string => {
  const local = cal.formatLocal(new Date(iso));
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (UTC${local.slice(-6)})`;
};

const fill = (line: string, values: Record<string, string>): string | undefined => {
  let empty = false;
  const out = line.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined || v === "") empty = true;
    return v ?? "";
  });
  return empty ? undefined : out;
};

/** The final deadline each jurisdiction's final response is measured against. */
const FINAL_RULES: readonly StatutoryRule[] = [
  "cn_decision",
  "gb_payment_services",
  "gb_final_response",
  "us_final_response",
  "eu_psd2",
];
/** The rules a holding reply (extension notice) must be sent within. */
const HOLDING_RULES: readonly StatutoryRule[] = [
  "cn_decision",
  "gb_payment_services",
  "gb_final_response",
  "eu_psd2",
];

/** The deadlines a complaint would have without its extension: what the holding reply had to beat. */
const unextendedDeadlines = (c: Complaint, at: Date) =>
  computeStatutoryDeadlines({
    jurisdiction: c.jurisdiction,
    receivedAt: new Date(c.receivedAt),
    pauses: c.pauses.map((p) => ({
      start: new Date(p.start),
      ...(p.end ? { end: new Date(p.end) } : {}),
      reason: p.reason,
    })),
    paymentServices: isPaymentServices(c),
    calendar: calendarOf(c),
    asOf: at,
  });

export interface NoticeRequest {
  kind: NoticeKind;
  /** For a request for information: when the reply is due (else the complaint's pending question says). */
  replyBy?: string;
  /** For an appraisal notice: what is appraised, as staff wrote it for the customer. */
  reason?: string;
  /** For a deadline correction: the dates the customer was given that moved. */
  corrections?: readonly { deadline: string; from: string | null; to: string | null }[];
}

/** What the dates a customer is told are called, for a correction. */
const TOLD_LABELS: Record<string, Localized> = {
  firstResponseBy: { zh: "我们与您联系的时间", en: "when we will contact you" },
  resolveBy: { zh: "我们力争完成处理的时间", en: "when we aim to resolve your complaint" },
};

/** Renders one notice for a complaint as it stands after the change that called for it (pure). */
export const renderNotice = (
  c: Complaint,
  request: NoticeRequest,
  at: Date,
  noticeId: string,
): CustomerNotice => {
  const locale = localeOf(c);
  const lang = langOf(locale);
  const cal = calendarOf(c);
  const date = (iso: string) => formatNoticeDate(cal, iso);
  const sentAt = at.toISOString();
  const due = (
    rules: readonly StatutoryRule[],
    from: readonly { rule: StatutoryRule; dueBy: string }[] = c.sla.statutory,
  ) => from.find((s) => rules.includes(s.rule));

  let satisfies: SatisfiedDeadline | null = null;
  const values: Record<string, string> = {
    reference: c.reference,
    salutation:
      lang === "zh"
        ? c.customer.name
          ? `尊敬的${c.customer.name}`
          : "尊敬的客户"
        : c.customer.name
          ? `Dear ${c.customer.name}`
          : "Dear customer",
    sentAt: date(sentAt),
    rights: ESCALATION_RIGHTS[c.jurisdiction][lang],
    holdingTitle: HOLDING_TITLES[c.jurisdiction][lang],
  };
  switch (request.kind) {
    case "acknowledgement":
      values.receivedAt = date(c.receivedAt);
      values.firstResponseBy = date(c.sla.firstResponseBy);
      values.resolveBy = date(c.sla.resolveBy);
      // Deadlines only: a window (the FCA's three-day summary resolution) is the bank's option, not a promise.
      values.statutoryLines = c.sla.statutory
        .filter((s) => isStatutoryDeadline(s.rule))
        .map((s) =>
          lang === "zh"
            ? `${STATUTORY_LABELS[s.rule].zh}：${date(s.dueBy)}。`
            : `Regulatory deadline, ${STATUTORY_LABELS[s.rule].en}: ${date(s.dueBy)}.`,
        )
        .join("\n");
      break;
    case "information_request": {
      const replyBy = request.replyBy ?? c.pendingQuestion?.replyBy;
      values.question = c.pendingQuestion?.question ?? "";
      values.replyBy = replyBy ? date(replyBy) : "";
      // No regulator's clock stops while the customer is asked (only the bank's own target does): the
      // letter must not say the time is not counted where a statutory deadline keeps running.
      const running = c.sla.statutory.find((s) => isStatutoryDeadline(s.rule));
      values.statutoryRunning = running
        ? lang === "zh"
          ? `您的投诉的${STATUTORY_LABELS[running.rule].zh}仍为 ${date(running.dueBy)}，不因等待您的答复而顺延。`
          : `The ${STATUTORY_LABELS[running.rule].en} for your complaint remains ${date(running.dueBy)}: the time you take to reply does not extend it.`
        : "";
      break;
    }
    case "appraisal_started":
      values.reason = request.reason ?? "";
      break;
    case "appraisal_ended": {
      const due = c.sla.statutory.find((s) => s.rule === "cn_decision");
      values.statutoryNow = due
        ? lang === "zh"
          ? `${STATUTORY_LABELS[due.rule].zh}现为 ${date(due.dueBy)}。`
          : `The ${STATUTORY_LABELS[due.rule].en} is now ${date(due.dueBy)}.`
        : "";
      break;
    }
    case "deadline_correction":
      values.corrections = (request.corrections ?? [])
        .map((change) => {
          const label =
            TOLD_LABELS[change.deadline]?.[lang] ??
            (change.deadline in STATUTORY_LABELS
              ? STATUTORY_LABELS[change.deadline as StatutoryRule][lang]
              : change.deadline);
          const from = change.from ? date(change.from) : "—";
          const to = change.to ? date(change.to) : lang === "zh" ? "不再适用" : "no longer applies";
          return lang === "zh" ? `${label}：${from} → ${to}` : `${label}: ${from} → ${to}`;
        })
        .join("\n");
      break;
    case "holding_reply": {
      const original = due(
        HOLDING_RULES,
        unextendedDeadlines(c, at).map((d) => ({ ...d, dueBy: d.dueBy.toISOString() })),
      );
      const extended = due(HOLDING_RULES) ?? due(FINAL_RULES);
      if (original) {
        values.originalDueBy = date(original.dueBy);
        satisfies = {
          rule: original.rule,
          dueBy: cal.formatLocal(new Date(original.dueBy)),
          met: at.getTime() <= Date.parse(original.dueBy),
        };
      }
      // A jurisdiction without an extension rule (US) still says when the reply will come.
      values.originalDueBy ??= date(c.sla.resolveBy);
      values.newDueBy = date(extended?.dueBy ?? c.sla.resolveBy);
      if (takesEightWeekLetter(c)) {
        values.receivedOn = cal.localDateOf(new Date(c.receivedAt));
        values.reason = c.extension?.reason ?? "";
        values.expectedBy = c.extension?.expectedBy ?? "";
        const eightWeeks = original ? Date.parse(original.dueBy) : undefined;
        values.fosLine = fosLine(
          lang,
          // The Ombudsman may consider the complaint from the day after the eight weeks end.
          eightWeeks !== undefined && at.getTime() <= eightWeeks
            ? addLocalDays(cal.localDateOf(new Date(eightWeeks)), 1)
            : undefined,
        );
      }
      break;
    }
    case "final_response": {
      const r = c.resolution;
      values.outcome = OUTCOMES[r?.outcome ?? ""]?.[lang] ?? "";
      values.summary = r?.summary ?? "";
      values.remedyLine = r?.remedy
        ? lang === "zh"
          ? `我们将向您支付 ${r.remedy.amount} ${r.remedy.currency}。`
          : `We will pay you ${r.remedy.amount} ${r.remedy.currency}.`
        : "";
      const final = due(FINAL_RULES);
      if (final) {
        satisfies = {
          rule: final.rule,
          dueBy: cal.formatLocal(new Date(final.dueBy)),
          met: at.getTime() <= Date.parse(final.dueBy),
        };
        values.deadlineLine =
          lang === "zh"
            ? `${STATUTORY_LABELS[final.rule].zh}为 ${date(final.dueBy)}。`
            : `The regulatory deadline for this response, ${STATUTORY_LABELS[final.rule].en}, is ${date(final.dueBy)}.`;
      }
      break;
    }
    case "satisfaction_survey":
      values.feedbackBy = c.feedbackDueBy ? date(c.feedbackDueBy) : "";
      break;
  }
  const template =
    request.kind === "holding_reply" && takesEightWeekLetter(c) ? EIGHT_WEEK_REPLY : TEMPLATES[request.kind];
  const body = template.body[lang]
    .map((line) => fill(line, values))
    .filter((l): l is string => l !== undefined)
    .join("\n");
  const { id: customerId, name, email, phone } = c.customer;
  return {
    noticeId,
    complaintId: c.id,
    reference: c.reference,
    channel: c.channel,
    jurisdiction: c.jurisdiction,
    kind: request.kind,
    locale,
    at: sentAt,
    satisfies,
    content: {
      to: { customerId, ...(name ? { name } : {}), ...(email ? { email } : {}), ...(phone ? { phone } : {}) },
      subject: fill(template.subject[lang], values) ?? c.reference,
      body,
    },
  };
};

/** The notices a change calls for, from its domain events (in order). */
export const noticeRequestsFor = (events: readonly DomainEvent[]): NoticeRequest[] =>
  events.flatMap((e): NoticeRequest[] => {
    switch (e.type) {
      case "ComplaintReceived":
        return [{ kind: "acknowledgement" }];
      case "InformationRequested":
        return [{ kind: "information_request", replyBy: e.data.replyBy }];
      case "Extended":
        return [{ kind: "holding_reply" }];
      case "Resolved":
        return [{ kind: "final_response" }, { kind: "satisfaction_survey" }];
      case "AppraisalStarted":
        return [{ kind: "appraisal_started", reason: e.data.reason }];
      case "AppraisalEnded":
        return [{ kind: "appraisal_ended" }];
      case "DeadlinesRecomputed": {
        if (!e.data.toldToCustomer) return [];
        const told = e.data.changes.filter(
          (change) =>
            change.deadline in TOLD_LABELS ||
            ((STATUTORY_RULES as readonly string[]).includes(change.deadline) &&
              isStatutoryDeadline(change.deadline as StatutoryRule)),
        );
        return told.length ? [{ kind: "deadline_correction", corrections: told }] : [];
      }
      default:
        return [];
    }
  });

/**
 * Renders the notices a stored change calls for and the `NoticeSent` audit events that record them, so
 * both are written with the change itself. `version` is the complaint version the change stores.
 */
export const withCustomerNotices = (
  after: Complaint,
  events: readonly DomainEvent[],
  at: Date,
  version: number,
): { events: DomainEvent[]; notices: CustomerNotice[] } => {
  const notices = noticeRequestsFor(events).map((request, i) =>
    renderNotice(after, request, at, `${after.id}-${version}-${i + 1}`),
  );
  const sent: DomainEvent[] = notices.map((n) => ({
    type: "NoticeSent",
    at: n.at,
    actor: { kind: "system", component: "customer-notices" },
    statusBefore: after.status,
    statusAfter: after.status,
    data: { noticeId: n.noticeId, kind: n.kind, locale: n.locale, satisfies: n.satisfies },
  }));
  return { events: [...events, ...sent], notices };
};
