import { dependencies } from "../../adapters/runtime";
import { markNeedsAttention } from "../../app/workflow-steps";

/** Catch-all target: flags the complaint for an operator; the execution then fails visibly. */
export const handler = async (event: { complaintId: string; error?: { Error?: string; Cause?: string } }) =>
  markNeedsAttention(event, dependencies());
