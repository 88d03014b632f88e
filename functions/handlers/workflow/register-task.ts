import * as z from "zod";
import { dependencies } from "../../adapters/runtime";
import { registerTask } from "../../app/workflow-steps";
import { complaintStepInput, stepHandler } from "../../http/step-handler";

/** What a callback stage passes: the task token (server side only) and the stage it waits in. */
const input = complaintStepInput.extend({
  taskToken: z.string().min(1),
  stage: z.enum(["staff", "customer", "feedback"]),
});

/** Callback stage entry: stores the task token on the complaint; the workflow then waits for staff. */
export const handler = stepHandler("registerTask", input, (event) => registerTask(event, dependencies()));
