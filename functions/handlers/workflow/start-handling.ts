import { dependencies } from "../../adapters/runtime";
import { startHandling } from "../../app/workflow-steps";

/** Workflow step; errors propagate by name to the state machine's Retry/Catch. */
export const handler = async (event: { complaintId: string }) => startHandling(event, dependencies());
