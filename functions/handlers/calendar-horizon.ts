import { calendarHorizonDependencies } from "../adapters/runtime";
import { emitCalendarHorizon } from "../app/calendars";
import { scheduledHandler } from "../http/step-handler";

/** Scheduled daily: CalendarHorizonDays per calendar (alarmed below 60 days, and when it stops coming). */
export const handler = scheduledHandler(() => emitCalendarHorizon(calendarHorizonDependencies()));
