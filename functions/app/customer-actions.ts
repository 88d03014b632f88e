import type { Channel } from "../domain/codes";
import type { Complaint } from "../domain/complaint";
import { DomainError } from "../domain/errors";
import type { Command } from "../domain/lifecycle";
import type { CustomerReply, Feedback } from "../domain/schemas";
import { toChannelView } from "../domain/views";
import { applyDecision } from "./apply-decision";
import type { Dependencies } from "./dependencies";

/** What a channel attaches to a customer's decision (see applyDecision). */
export interface ChannelConditions {
  ifMatch?: readonly number[];
  idempotencyKey?: string;
}

/** Applies a customer's decision made through their channel; another channel's complaint is as if absent. */
const actAsCustomer = async (
  input: { complaintId: string; channel: Channel; body: unknown } & ChannelConditions,
  command: (actor: { kind: "channel"; channel: Channel }) => Command,
  deps: Dependencies,
) =>
  applyDecision(
    {
      complaintId: input.complaintId,
      authorize: (c) => {
        if (c.channel !== input.channel)
          throw new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");
      },
      command: command({ kind: "channel", channel: input.channel }),
      conditions: {
        ...(input.ifMatch ? { ifMatch: input.ifMatch } : {}),
        ...(input.idempotencyKey
          ? {
              idempotency: { scope: `channel:${input.channel}`, key: input.idempotencyKey, body: input.body },
            }
          : {}),
      },
      view: (c: Complaint) => toChannelView(c, deps.clock.now()),
    },
    deps,
  );

/** The customer answers a request for information: the clocks resume and the complaint goes back to staff. */
export const customerReply = (
  input: { complaintId: string; channel: Channel; reply: CustomerReply } & ChannelConditions,
  deps: Dependencies,
) =>
  actAsCustomer(
    { ...input, body: input.reply },
    (actor) => ({ type: "customer_reply", actor, message: input.reply.message }),
    deps,
  );

/** The customer rates the resolution and accepts it (closes) or reopens it (back to staff, one tier up). */
export const customerFeedback = (
  input: { complaintId: string; channel: Channel; feedback: Feedback } & ChannelConditions,
  deps: Dependencies,
) =>
  actAsCustomer(
    { ...input, body: input.feedback },
    (actor) => ({
      type: "feedback",
      actor,
      satisfaction: input.feedback.satisfaction,
      accept: input.feedback.outcome === "accept",
      ...(input.feedback.comment ? { comment: input.feedback.comment } : {}),
    }),
    deps,
  );
