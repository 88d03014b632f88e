import type { Channel } from "../domain/codes";
import { DomainError } from "../domain/errors";
import type { CustomerReply, Feedback } from "../domain/schemas";
import { toChannelView } from "../domain/views";
import { applyDecision } from "./apply-decision";
import type { Dependencies } from "./dependencies";

const ownChannel = (channel: Channel) => (c: { channel: Channel }) => {
  // Another channel's complaint is indistinguishable from none.
  if (c.channel !== channel) throw new DomainError("not_found", "COMPLAINT_NOT_FOUND", "No such complaint");
};

/** The customer answers a request for information: the clocks resume and the complaint goes back to staff. */
export const customerReply = async (
  input: { complaintId: string; channel: Channel; reply: CustomerReply },
  deps: Dependencies,
) => {
  const { complaint } = await applyDecision(
    {
      complaintId: input.complaintId,
      authorize: ownChannel(input.channel),
      command: {
        type: "customer_reply",
        actor: { kind: "channel", channel: input.channel },
        message: input.reply.message,
      },
    },
    deps,
  );
  return toChannelView(complaint, deps.clock.now());
};

/** The customer rates the resolution and accepts it (closes) or reopens it (back to staff, one tier up). */
export const customerFeedback = async (
  input: { complaintId: string; channel: Channel; feedback: Feedback },
  deps: Dependencies,
) => {
  const { complaint } = await applyDecision(
    {
      complaintId: input.complaintId,
      authorize: ownChannel(input.channel),
      command: {
        type: "feedback",
        actor: { kind: "channel", channel: input.channel },
        satisfaction: input.feedback.satisfaction,
        accept: input.feedback.outcome === "accept",
        ...(input.feedback.comment ? { comment: input.feedback.comment } : {}),
      },
    },
    deps,
  );
  return toChannelView(complaint, deps.clock.now());
};
