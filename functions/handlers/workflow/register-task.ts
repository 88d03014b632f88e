import type { RegisterTaskInput } from "../../../workflows/contract";
import { dependencies } from "../../adapters/runtime";
import { registerTask } from "../../app/workflow-steps";

/** Callback stage entry: stores the task token on the complaint; the workflow then waits for staff. */
export const handler = async (event: RegisterTaskInput) => registerTask(event, dependencies());
