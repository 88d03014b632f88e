import { commitDependencies } from "../../adapters/runtime";
import { markNeedsAttention } from "../../app/workflow-steps";
import { needsAttentionInput, stepHandler } from "../../http/step-handler";

/** Catch-all target: flags the complaint for an operator; the execution then fails visibly. */
export const handler = stepHandler("markNeedsAttention", needsAttentionInput, (event) =>
  markNeedsAttention(event, commitDependencies()),
);
