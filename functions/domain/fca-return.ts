import type { BusinessType, Cause } from "./codes";

/*
 * The FCA complaints return (DISP 1.10): what it groups by, and how this system's business types and
 * causes map onto it. Data, not code: a bank changes the mapping here (and its test) when its product
 * catalogue says otherwise.
 *
 * Source: FCA Handbook, DISP 1.10.1R (a firm reports complaints to the FCA twice a year, in the format of
 * DISP 1 Annex 1R) and DISP 1 Annex 1R (the return: complaints opened, closed, closed within three business
 * days, closed after three business days and within eight weeks, upheld, redress paid, by product/service
 * grouping). The five grouping names below are as we read the return's form; the lines within each
 * grouping and the assignment of our business types to them are ours and UNVERIFIED against a filed
 * return (see docs/reports.md).
 */

/** The return's product/service groupings (DISP 1 Annex 1R), in the form's order. */
export const FCA_PRODUCT_GROUPS = {
  banking_credit_cards: "Banking and credit cards",
  home_finance: "Home finance",
  insurance_pure_protection: "Insurance and pure protection",
  decumulation_pensions: "Decumulation and pensions",
  investments: "Investments",
} as const;
export type FcaProductGroup = keyof typeof FCA_PRODUCT_GROUPS;

/** Which grouping a complaint belongs to: by business type, unless a (business type, cause) override says otherwise. */
export const FCA_PRODUCT_MAPPING: {
  source: string;
  byBusinessType: Record<BusinessType, FcaProductGroup>;
  overrides: { businessType: BusinessType; cause: Cause; group: FcaProductGroup }[];
} = {
  source:
    "the bank's own assignment of its business types to DISP 1 Annex 1R groupings (unverified against a filed return)",
  byBusinessType: {
    deposits: "banking_credit_cards",
    loans: "banking_credit_cards",
    cards: "banking_credit_cards",
    payments: "banking_credit_cards",
    wealth_management: "investments",
    e_banking: "banking_credit_cards",
    fees_charges: "banking_credit_cards",
    other: "banking_credit_cards",
  },
  // Mis-selling with no business type of its own is, in this bank, about an investment product sold.
  overrides: [{ businessType: "other", cause: "mis_selling", group: "investments" }],
};

/** The grouping of a business type and cause under the mapping. */
export const fcaGroupOf = (businessType: BusinessType, cause: Cause): FcaProductGroup =>
  FCA_PRODUCT_MAPPING.overrides.find((o) => o.businessType === businessType && o.cause === cause)?.group ??
  FCA_PRODUCT_MAPPING.byBusinessType[businessType];
