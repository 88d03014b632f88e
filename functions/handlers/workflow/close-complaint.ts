import { commitDependencies } from "../../adapters/runtime";
import { closeComplaint } from "../../app/workflow-steps";
import { complaintStepInput, stepHandler } from "../../http/step-handler";

/** Workflow step; errors propagate by name to the state machine's Retry/Catch. */
export const handler = stepHandler("closeComplaint", complaintStepInput, (input) =>
  closeComplaint(input, commitDependencies()),
);
