import { BUSINESS_TYPES, CAUSES, CHANNELS, JURISDICTIONS, ROOT_CAUSES } from "../domain/codes";
import { type Complaint, STATUSES } from "../domain/complaint";
import { moneySchema, queryInteger } from "../domain/schemas";
import * as z from "../domain/zod";
import type { ReadDependencies } from "./dependencies";
import type { StaffIdentity } from "./staff-actions";

/** `GET /customers/{id}/complaints` query: a page size and the cursor of the previous page. */
export const customerHistoryQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    limit: queryInteger(1, 100, 25),
    cursor: z.optional(z.string().check(z.maxLength(1024))),
  }))();
export type CustomerHistoryQuery = z.infer<typeof customerHistoryQuerySchema>;

export const customerIdSchema = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.regex(
        /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/,
        "must be a customer id (1-64 letters, digits or . _ : -)",
      ),
    ))();

/** One complaint in a customer's history: outcome, satisfaction and repeat links; no personal data. */
const historyItem = (c: Complaint, repeatedBy: string[]) => ({
  id: c.id,
  reference: c.reference,
  channel: c.channel,
  jurisdiction: c.jurisdiction,
  businessType: c.businessType,
  cause: c.cause,
  team: c.team,
  status: c.status,
  tier: c.tier,
  receivedAt: c.receivedAt,
  closedAt: c.closedAt ?? null,
  cycles: c.cycle,
  reopened: c.cycle > 1,
  outcome: c.resolution?.outcome ?? null,
  rootCause: c.resolution?.rootCause ?? null,
  remedy: c.resolution?.remedy ?? null,
  satisfaction: c.feedback?.satisfaction ?? null,
  accepted: c.feedback?.accepted ?? null,
  repeatOf: c.repeatOf ?? null,
  repeatedBy,
});

/**
 * Every complaint of a customer, newest first, one page at a time from the customer index. Staff of any
 * team may read it (the history shows what the customer went through, never their contact details).
 */
export const customerHistory = async (
  input: { customerId: string; staff: StaffIdentity } & CustomerHistoryQuery,
  deps: ReadDependencies,
): Promise<z.output<typeof customerHistorySchema>> => {
  const page = await deps.readModels.customerHistory(input.customerId, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
  const repeatedBy = (id: string) => page.repeats.filter((r) => r.repeatOf === id).map((r) => r.id);
  return {
    customerId: input.customerId,
    items: page.items.map((c) => historyItem(c, repeatedBy(c.id))),
    nextCursor: page.cursor ?? null,
  };
};

/** `GET /customers/{id}/complaints`: one page of a customer's history (no personal data). */
export const customerHistorySchema = /* @__PURE__ */ (() =>
  z.object({
    customerId: z.string(),
    items: z.array(
      z.object({
        id: z.string(),
        reference: z.string(),
        channel: z.enum(CHANNELS),
        jurisdiction: z.enum(JURISDICTIONS),
        businessType: z.enum(BUSINESS_TYPES),
        cause: z.enum(CAUSES),
        team: z.string(),
        status: z.enum(STATUSES),
        tier: z.int(),
        receivedAt: z.string(),
        closedAt: z.nullable(z.string()),
        cycles: z.int(),
        reopened: z.boolean(),
        outcome: z.nullable(z.enum(["upheld", "partially_upheld", "rejected"])),
        rootCause: z.nullable(z.enum(ROOT_CAUSES)),
        remedy: z.nullable(moneySchema),
        satisfaction: z.nullable(z.number()),
        accepted: z.nullable(z.boolean()),
        repeatOf: z.nullable(z.string()),
        repeatedBy: z.array(z.string()),
      }),
    ),
    nextCursor: z.nullable(z.string()),
  }))();
