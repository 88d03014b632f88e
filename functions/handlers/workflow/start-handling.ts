import { commitDependencies } from "../../adapters/runtime";
import { startHandling } from "../../app/workflow-steps";
import { complaintStepInput, stepHandler } from "../../http/step-handler";

/** Workflow step; errors propagate by name to the state machine's Retry/Catch. */
export const handler = stepHandler("startHandling", complaintStepInput, (input) =>
  startHandling(input, commitDependencies()),
);
