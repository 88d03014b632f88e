/**
 * Closed vocabularies of the complaint contract and their JR/T 0169-2018 axes
 * (A: business channel, B: business type, C: cause). Integrators code against the
 * English identifiers; regulatory reports carry the JR/T 0169 axis and Chinese label.
 *
 * The axis/category assignment follows the standard's published structure (A 前台/中后台渠道,
 * B 业务类型, C 投诉原因). Numeric sub-codes are ours, grouped under the standard's categories;
 * a bank filing to the PBoC maps them to its own code list in `jrt0169` below (data, not code).
 */

export const CHANNELS = [
  "branch",
  "online_banking",
  "mobile_app",
  "phone_centre",
  "wechat",
  "regulator_referral",
] as const;
export type Channel = (typeof CHANNELS)[number];

export const SEGMENTS = [
  "private_banking",
  "wealth",
  "mass_affluent",
  "mass_retail",
  "small_business",
] as const;
export type Segment = (typeof SEGMENTS)[number];

export const BUSINESS_TYPES = [
  "deposits",
  "loans",
  "cards",
  "payments",
  "wealth_management",
  "e_banking",
  "fees_charges",
  "other",
] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

export const CAUSES = [
  "service_attitude",
  "service_quality",
  "fees_pricing",
  "mis_selling",
  "system_failure",
  "debt_collection",
  "privacy",
  "fraud_dispute",
  "other",
] as const;
export type Cause = (typeof CAUSES)[number];

export const JURISDICTIONS = ["CN", "GB", "US", "EU"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Escalation tiers: 0 agent, 1 supervisor, 2 manager, 3 complaints committee. */
export const TIERS = [0, 1, 2, 3] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_NAMES: Record<Tier, string> = {
  0: "agent",
  1: "supervisor",
  2: "manager",
  3: "complaints_committee",
};
export const MAX_TIER: Tier = 3;

export const ROLES = ["agent", "supervisor", "manager"] as const;
export type Role = (typeof ROLES)[number];

/** Default jurisdiction of each channel system when the complaint does not name one. */
export const DEFAULT_JURISDICTION: Record<Channel, Jurisdiction> = {
  branch: "CN",
  online_banking: "CN",
  mobile_app: "CN",
  phone_centre: "CN",
  wechat: "CN",
  regulator_referral: "CN",
};

interface AxisCode {
  code: string;
  zh: string;
}

/** JR/T 0169-2018 classification of each vocabulary value, with the Chinese label regulators expect. */
export const jrt0169 = {
  channel: {
    branch: { code: "A0101", zh: "营业现场" },
    online_banking: { code: "A010301", zh: "电子渠道-网上银行" },
    phone_centre: { code: "A010302", zh: "电子渠道-电话银行" },
    mobile_app: { code: "A010303", zh: "电子渠道-移动客户端" },
    wechat: { code: "A010304", zh: "电子渠道-网络公众平台" },
    regulator_referral: { code: "A0199", zh: "其他渠道-监管转办" },
  } satisfies Record<Channel, AxisCode>,
  businessType: {
    deposits: { code: "B01", zh: "人民币储蓄类" },
    loans: { code: "B02", zh: "贷款类" },
    cards: { code: "B03", zh: "银行卡类" },
    payments: { code: "B04", zh: "支付结算类" },
    wealth_management: { code: "B08", zh: "理财类" },
    e_banking: { code: "B09", zh: "电子银行类" },
    fees_charges: { code: "B10", zh: "收费类" },
    other: { code: "B99", zh: "其他类" },
  } satisfies Record<BusinessType, AxisCode>,
  cause: {
    service_attitude: { code: "C0101", zh: "服务态度" },
    service_quality: { code: "C0102", zh: "服务质量" },
    system_failure: { code: "C02", zh: "服务设施、设备、业务系统" },
    fees_pricing: { code: "C03", zh: "管理制度、业务规则与流程(收费定价)" },
    mis_selling: { code: "C04", zh: "营销方式和手段" },
    debt_collection: { code: "C0301", zh: "管理制度、业务规则与流程(催收)" },
    fraud_dispute: { code: "C09", zh: "消费者资金安全" },
    privacy: { code: "C10", zh: "消费者信息安全" },
    other: { code: "C99", zh: "其他" },
  } satisfies Record<Cause, AxisCode>,
} as const;

/**
 * Root causes recorded when a complaint is resolved: what the complaint reveals, for product owners,
 * branches and the CRM. A maintained list — add values at the end; never rename one (reports and
 * published events carry them).
 */
export const ROOT_CAUSES = [
  "product_design",
  "process",
  "staff_conduct",
  "system_defect",
  "third_party",
  "customer_misunderstanding",
  "pricing_policy",
  "fraud",
  "other",
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];

/** Labels of the root causes for reports, in English and Chinese. */
export const ROOT_CAUSE_LABELS: Record<RootCause, { en: string; zh: string }> = {
  product_design: { en: "Product design", zh: "产品设计" },
  process: { en: "Process", zh: "业务流程" },
  staff_conduct: { en: "Staff conduct", zh: "员工行为" },
  system_defect: { en: "System defect", zh: "系统缺陷" },
  third_party: { en: "Third party", zh: "第三方原因" },
  customer_misunderstanding: { en: "Customer misunderstanding", zh: "客户误解" },
  pricing_policy: { en: "Pricing policy", zh: "定价政策" },
  fraud: { en: "Fraud", zh: "欺诈" },
  other: { en: "Other", zh: "其他" },
};

/**
 * Business types whose complaints are about payment services by default (PSD2 art. 101; in the UK DISP
 * 1.6.2A, complaints about rights and obligations under Parts 6 and 7 of the Payment Services Regulations
 * 2017 or the Electronic Money Regulations 2011): payments, cards (card-based payment instruments) and
 * e-banking (online payment initiation). Intake's `flags.paymentServices` overrides this either way.
 */
export const PAYMENT_SERVICE_BUSINESS_TYPES: readonly BusinessType[] = ["payments", "cards", "e_banking"];

/** What a customer notice can be (each has its template in notices.ts). */
export const NOTICE_KINDS = [
  "acknowledgement",
  "information_request",
  "holding_reply",
  "final_response",
  "satisfaction_survey",
  "appraisal_started",
  "appraisal_ended",
  "deadline_correction",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The locales customer notices are written in. */
export const NOTICE_LOCALES = ["zh-CN", "en-GB", "en-US"] as const;
export type NoticeLocale = (typeof NOTICE_LOCALES)[number];

/** The notice locale of a customer who named none: the language of the complaint's jurisdiction. */
export const DEFAULT_LOCALE: Record<Jurisdiction, NoticeLocale> = {
  CN: "zh-CN",
  GB: "en-GB",
  US: "en-US",
  EU: "en-GB",
};
