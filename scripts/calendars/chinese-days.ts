// First, so it runs before chinese-days builds its tables.
import "./china-time";
import chineseDays from "chinese-days";
import { timeZoneBeforeChinaTime } from "./china-time";

const setTimeZone = (timeZone: string | undefined): void => {
  if (timeZone === undefined) Reflect.deleteProperty(process.env, "TZ");
  else process.env.TZ = timeZone;
};
setTimeZone(timeZoneBeforeChinaTime);

/** Runs `f` with the process on China time, which chinese-days needs on every call (see china-time.ts). */
export const inChinaTime = <T>(f: () => T): T => {
  const before = process.env.TZ;
  process.env.TZ = "Asia/Shanghai";
  try {
    return f();
  } finally {
    setTimeZone(before);
  }
};

export { chineseDays };
