import * as z from "zod";
import { dependencies } from "../../adapters/runtime";
import { markNeedsAttention } from "../../app/workflow-steps";
import { complaintStepInput, stepHandler } from "../../http/step-handler";

/** What the catch-all hands over: the state, and the caught error under `$.error`. */
const input = complaintStepInput.extend({
  error: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

/** Catch-all target: flags the complaint for an operator; the execution then fails visibly. */
export const handler = stepHandler("markNeedsAttention", input, (event) =>
  markNeedsAttention(event, dependencies()),
);
