import { dependencies } from "../adapters/runtime";
import { runCalendarJobs } from "../app/calendars";
import { scheduledHandler } from "../http/step-handler";

/**
 * Scheduled every minute: adopts newer statutory rules after a deploy, and runs the recompute jobs whose
 * time has come, for up to four minutes (the function's timeout is five).
 */
export const handler = scheduledHandler(() => runCalendarJobs(dependencies(), { budgetMs: 4 * 60_000 }));
