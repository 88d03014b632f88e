import { calendarHorizonDependencies } from "../adapters/runtime";
import { emitCalendarHorizon } from "../app/calendars";

/** Scheduled daily: CalendarHorizonDays per calendar (alarmed below 60 days, and when it stops coming). */
export const handler = async () => emitCalendarHorizon(calendarHorizonDependencies());
