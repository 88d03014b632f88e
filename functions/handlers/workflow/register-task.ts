import { commitDependencies } from "../../adapters/runtime";
import { registerTask } from "../../app/workflow-steps";
import { registerTaskInput, stepHandler } from "../../http/step-handler";

/** Callback stage entry: stores the task token on the complaint; the workflow then waits for staff. */
export const handler = stepHandler("registerTask", registerTaskInput, (event) =>
  registerTask(event, commitDependencies()),
);
