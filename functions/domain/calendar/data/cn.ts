import type { CalendarData, NamedDate } from "../business-calendar";

// Each day is listed rather than generated from ranges so the data reads line by line against the notice.
const days = (name: string, ...dates: string[]): NamedDate[] => dates.map((date) => ({ date, name }));

/** Mainland China: bank working hours with a lunch break, State Council holiday notices. */
export const cn: CalendarData = {
  id: "CN",
  timeZone: "Asia/Shanghai",
  weeklyHours: {
    mon: [
      { start: "09:00", end: "12:00" },
      { start: "13:30", end: "17:30" },
    ],
    tue: [
      { start: "09:00", end: "12:00" },
      { start: "13:30", end: "17:30" },
    ],
    wed: [
      { start: "09:00", end: "12:00" },
      { start: "13:30", end: "17:30" },
    ],
    thu: [
      { start: "09:00", end: "12:00" },
      { start: "13:30", end: "17:30" },
    ],
    fri: [
      { start: "09:00", end: "12:00" },
      { start: "13:30", end: "17:30" },
    ],
    sat: [],
    sun: [],
  },
  years: {
    // 2027 is not loaded: its notice had not been confirmed when this was written. Do not guess it.
    2026: {
      source:
        "国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04, https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
      holidays: [
        ...days("元旦 New Year's Day", "2026-01-01", "2026-01-02", "2026-01-03"),
        ...days(
          "春节 Spring Festival",
          "2026-02-15",
          "2026-02-16",
          "2026-02-17",
          "2026-02-18",
          "2026-02-19",
          "2026-02-20",
          "2026-02-21",
          "2026-02-22",
          "2026-02-23",
        ),
        ...days("清明节 Qingming Festival", "2026-04-04", "2026-04-05", "2026-04-06"),
        ...days("劳动节 Labour Day", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"),
        ...days("端午节 Dragon Boat Festival", "2026-06-19", "2026-06-20", "2026-06-21"),
        ...days("中秋节 Mid-Autumn Festival", "2026-09-25", "2026-09-26", "2026-09-27"),
        ...days(
          "国庆节 National Day",
          "2026-10-01",
          "2026-10-02",
          "2026-10-03",
          "2026-10-04",
          "2026-10-05",
          "2026-10-06",
          "2026-10-07",
        ),
      ],
      workingWeekends: [
        ...days("元旦调休 New Year make-up day", "2026-01-04"),
        ...days("春节调休 Spring Festival make-up day", "2026-02-14", "2026-02-28"),
        ...days("劳动节调休 Labour Day make-up day", "2026-05-09"),
        ...days("国庆节调休 National Day make-up day", "2026-09-20", "2026-10-10"),
      ],
    },
  },
};
