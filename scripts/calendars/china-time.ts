/**
 * chinese-days 1.5.7 parses `YYYY-MM-DD` as UTC midnight but formats dates in the process's local time zone,
 * both when it builds its tables (on import) and on every call: west of UTC every date comes out a day early.
 * Import this module before chinese-days: it puts the process on China time, the package's home zone, and
 * `chinese-days.ts` puts it back once the tables are built.
 */
export const timeZoneBeforeChinaTime = process.env.TZ;
process.env.TZ = "Asia/Shanghai";
