import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  activeCalendarRegistry,
  addLocalDays,
  businessCalendar,
  CALENDAR_ALIASES,
  CALENDAR_IDS,
  type CalendarData,
  type CalendarYearData,
  CalendarYearNotLoadedError,
  calendarFor,
  calendarOverview,
  calendarRegistry,
  calendarYearSchema,
  InvalidCalendarError,
  resolveCalendarId,
  SHIPPED_YEARS,
  UnknownCalendarError,
  useCalendarYears,
  weekdayOf,
} from "../../../functions/domain/calendar/index";

const CN = calendarFor("CN");
const GB = calendarFor("GB-EAW");
const SCT = calendarFor("GB-SCT");
const NIR = calendarFor("GB-NIR");
const US = calendarFor("US");
const EU = calendarFor("EU");
// Instants are written with their local offset so each expectation reads as the local wall time it means.
const at = (iso: string) => new Date(iso);

const nineToFive = [{ start: "09:00", end: "17:00" }];
const minimal = (overrides: Partial<CalendarData> = {}): CalendarData => ({
  id: "T",
  timeZone: "Europe/London",
  weeklyHours: {
    mon: nineToFive,
    tue: nineToFive,
    wed: nineToFive,
    thu: nineToFive,
    fri: nineToFive,
    sat: [],
    sun: [],
  },
  years: {},
  ...overrides,
});

describe("calendar data is validated at load", () => {
  const rejects = (data: unknown, fragment: string) => {
    try {
      businessCalendar(data);
      expect.unreachable("the calendar should have been rejected");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCalendarError);
      expect(error).toMatchObject({ name: "InvalidCalendarError", code: "INVALID_CALENDAR" });
      expect((error as Error).message).toContain(fragment);
    }
  };

  it("accepts the shipped calendars", () => {
    expect(CALENDAR_IDS).toEqual(["CN", "GB-EAW", "GB-SCT", "GB-NIR", "US", "EU"]);
    // Calendars are built on first use: build every one here, so bad shipped data fails the suite.
    for (const id of CALENDAR_IDS) {
      expect(calendarFor(id).id).toBe(id);
      expect(calendarFor(id).loadedYears).toEqual([2025, 2026, 2027]);
    }
    expect(calendarFor("CN")).toBe(CN);
    expect(CN.timeZone).toBe("Asia/Shanghai");
    expect([SCT.timeZone, NIR.timeZone, US.timeZone, EU.timeZone]).toEqual([
      "Europe/London",
      "Europe/London",
      "America/New_York",
      "Europe/Brussels",
    ]);
  });

  it("rejects an unknown time zone", () => rejects(minimal({ timeZone: "Europe/Atlantis" }), "IANA"));

  it("rejects overlapping or reversed working hours", () => {
    const overlapping = [
      { start: "09:00", end: "12:30" },
      { start: "12:00", end: "17:00" },
    ];
    rejects(minimal({ weeklyHours: { ...minimal().weeklyHours, mon: overlapping } }), "overlap");
    rejects(
      minimal({ weeklyHours: { ...minimal().weeklyHours, tue: [{ start: "17:00", end: "09:00" }] } }),
      "before",
    );
    rejects(
      minimal({ weeklyHours: { ...minimal().weeklyHours, wed: [{ start: "9:00", end: "17:00" }] } }),
      "HH:MM",
    );
  });

  it("rejects a week without working hours", () => {
    const none: CalendarData["weeklyHours"] = {
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    };
    rejects(minimal({ weeklyHours: none }), "at least one weekday");
  });

  it("rejects dates outside their year, impossible dates, weekday make-up days and a missing source", () => {
    const year = { status: "confirmed" as const, holidays: [], workdays: [], source: "test" };
    rejects(
      minimal({ years: { 2026: { ...year, holidays: [{ date: "2027-01-01", name: "x" }] } } }),
      "not in 2026",
    );
    rejects(
      minimal({ years: { 2026: { ...year, holidays: [{ date: "2026-02-30", name: "x" }] } } }),
      "real date",
    );
    // 2026-01-05 is a Monday (2026-01-01 is a Thursday), so it cannot be a make-up weekend day.
    rejects(minimal({ years: { 2026: { ...year, workdays: [{ date: "2026-01-05", name: "x" }] } } }), "mon");
    rejects(minimal({ years: { 2026: { ...year, source: "" } } }), "official publication");
    // Raw data (parsed JSON) can say anything: only confirmed and provisional are statuses.
    rejects({ ...minimal(), years: { 2026: { ...year, status: "guessed" } } }, "status");
  });

  it("names unknown calendars and unloaded or provisional years with typed errors", () => {
    expect(() => calendarFor("FR")).toThrow(UnknownCalendarError);
    expect(() => calendarFor("FR")).toThrow(expect.objectContaining({ code: "UNKNOWN_CALENDAR" }));
    expect(() => CN.requireYear(2028)).toThrow(CalendarYearNotLoadedError);
    expect(() => CN.requireYear(2028)).toThrow(expect.objectContaining({ code: "CALENDAR_YEAR_NOT_LOADED" }));
    // CN 2027 is loaded, but only as computed from the law: not good enough for a caller that needs final dates.
    expect(() => CN.requireYear(2027)).toThrow(/only provisional/);
    expect(() => CN.requireYear(2026)).not.toThrow();
    expect(() => GB.requireYear(2027)).not.toThrow();
  });

  it("keeps the CN make-up days on weekends, as the notice says", () => {
    // Notice: 1月4日(周日), 2月14日(周六), 2月28日(周六), 5月9日(周六), 9月20日(周日), 10月10日(周六).
    const expected = {
      "2026-01-04": "sun",
      "2026-02-14": "sat",
      "2026-02-28": "sat",
      "2026-05-09": "sat",
      "2026-09-20": "sun",
      "2026-10-10": "sat",
    } as const;
    for (const [date, weekday] of Object.entries(expected)) expect(weekdayOf(date)).toBe(weekday);
    const cn2026 = SHIPPED_YEARS.find((y) => y.calendar === "CN" && y.year === 2026);
    expect(cn2026?.workdays.map((w) => w.date)).toEqual(Object.keys(expected));
  });
});

describe("calendar ids and aliases", () => {
  it("resolves GB, the jurisdiction stored complaints carry, to England and Wales", () => {
    expect(CALENDAR_ALIASES).toEqual({ GB: "GB-EAW" });
    expect(resolveCalendarId("GB")).toBe("GB-EAW");
    expect(resolveCalendarId("GB-SCT")).toBe("GB-SCT");
    expect(calendarFor("GB")).toBe(GB);
    expect(calendarFor("GB").id).toBe("GB-EAW");
    expect(() => resolveCalendarId("GB-WLS")).toThrow(UnknownCalendarError);
    // Not a prototype property either.
    expect(() => resolveCalendarId("constructor")).toThrow(UnknownCalendarError);
  });

  it("keeps answering for every jurisdiction the rest of the code passes", () => {
    for (const jurisdiction of ["CN", "GB", "US", "EU"] as const) {
      expect(calendarFor(jurisdiction).id).toBe(jurisdiction === "GB" ? "GB-EAW" : jurisdiction);
    }
  });
});

describe("CN Spring Festival 2026 (off Feb 15-23, make-up Sat Feb 14 and Sat Feb 28)", () => {
  it("knows which days are working days", () => {
    expect(CN.isWorkingDay("2026-02-13")).toBe(true); // Friday
    expect(CN.isWorkingDay("2026-02-14")).toBe(true); // Saturday, make-up day
    for (let d = 15; d <= 23; d++) expect(CN.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(CN.isWorkingDay("2026-02-24")).toBe(true); // Tuesday after the holiday
    expect(CN.isWorkingDay("2026-02-28")).toBe(true); // Saturday, make-up day
    expect(CN.isWorkingDay("2026-03-01")).toBe(false); // plain Sunday
    expect(CN.dayInfo("2026-02-17")).toMatchObject({ working: false, holiday: "春节 Spring Festival" });
    expect(CN.dayInfo("2026-02-14")).toMatchObject({
      working: true,
      provisional: false,
      workday: "春节调休 Spring Festival make-up day",
    });
  });

  it("gives a make-up Saturday the Monday hours, lunch break included", () => {
    // Monday hours are 09:00-12:00 and 13:30-17:30 in UTC+8.
    expect(CN.workingIntervals("2026-02-14")).toEqual([
      { start: at("2026-02-14T09:00:00+08:00"), end: at("2026-02-14T12:00:00+08:00") },
      { start: at("2026-02-14T13:30:00+08:00"), end: at("2026-02-14T17:30:00+08:00") },
    ]);
  });

  it("adds business minutes into the make-up Saturday", () => {
    // Fri Feb 13 17:00: 30 minutes left that day (to 17:30); the other 30 run from 09:00 on Sat Feb 14.
    expect(CN.addBusinessMinutes(at("2026-02-13T17:00:00+08:00"), 60)).toEqual({
      at: at("2026-02-14T09:30:00+08:00"),
      provisional: false,
    });
  });

  it("jumps the whole holiday when adding business days", () => {
    // From Sat Feb 14 (make-up): Feb 15-23 are off, so the first working day after is Tue Feb 24; close 17:30.
    expect(CN.addBusinessDays(at("2026-02-14T10:00:00+08:00"), 1)).toEqual({
      at: at("2026-02-24T17:30:00+08:00"),
      provisional: false,
    });
  });

  it("counts the business minutes across the holiday", () => {
    // Fri Feb 13 full day 3h + 4h = 420; Sat Feb 14 (make-up) 420; Feb 15-23 nothing; Feb 24 09:00->09:00 nothing.
    expect(
      CN.businessMinutesBetween(at("2026-02-13T09:00:00+08:00"), at("2026-02-24T09:00:00+08:00")),
    ).toEqual({
      minutes: 840,
      provisional: false,
    });
  });
});

describe("CN National Day 2026 (off Sep 25-27 and Oct 1-7, make-up Sun Sep 20 and Sat Oct 10)", () => {
  it("knows which days are working days", () => {
    expect(CN.isWorkingDay("2026-09-19")).toBe(false); // plain Saturday
    expect(CN.isWorkingDay("2026-09-20")).toBe(true); // Sunday, make-up day
    for (const d of ["2026-09-25", "2026-09-26", "2026-09-27"]) expect(CN.isWorkingDay(d)).toBe(false);
    expect(CN.isWorkingDay("2026-09-30")).toBe(true);
    for (let d = 1; d <= 7; d++) expect(CN.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(CN.isWorkingDay("2026-10-08")).toBe(true);
    expect(CN.isWorkingDay("2026-10-10")).toBe(true); // Saturday, make-up day
    expect(CN.isWorkingDay("2026-10-11")).toBe(false); // plain Sunday
  });

  it("carries business hours over the Golden Week", () => {
    // Wed Sep 30 16:00: 1.5h left that day, 6.5h to go. Oct 1-7 off. Thu Oct 8: 3h in the morning, then
    // 3.5h from 13:30 ends at 17:00.
    expect(CN.addBusinessHours(at("2026-09-30T16:00:00+08:00"), 8)).toEqual({
      at: at("2026-10-08T17:00:00+08:00"),
      provisional: false,
    });
  });

  it("lands on the make-up days when adding business days", () => {
    // From Fri Oct 9, the next working day is the make-up Saturday Oct 10.
    expect(CN.addBusinessDays(at("2026-10-09T10:00:00+08:00"), 1).at).toEqual(
      at("2026-10-10T17:30:00+08:00"),
    );
    // From Fri Sep 18: Sat 19 is off, Sun 20 (make-up) is the 1st, Mon 21 the 2nd.
    expect(CN.addBusinessDays(at("2026-09-18T10:00:00+08:00"), 2).at).toEqual(
      at("2026-09-21T17:30:00+08:00"),
    );
  });

  it("formats instants with the calendar's offset", () => {
    expect(CN.formatLocal(at("2026-10-09T09:30:00Z"))).toBe("2026-10-09T17:30:00+08:00");
    expect(CN.formatLocal(CN.endOfDay("2026-10-09"))).toBe("2026-10-09T23:59:59.999+08:00");
    expect(CN.localDateOf(at("2026-10-09T16:00:00Z"))).toBe("2026-10-10"); // midnight in Shanghai
  });
});

describe("split working day (CN lunch break 12:00-13:30)", () => {
  // Mon 2026-03-02 is an ordinary CN working day (March has no holiday).
  it("skips the lunch break", () => {
    // 11:30 + 60: 30 minutes to 12:00, the other 30 from 13:30.
    expect(CN.addBusinessMinutes(at("2026-03-02T11:30:00+08:00"), 60).at).toEqual(
      at("2026-03-02T14:00:00+08:00"),
    );
    // Starting inside the break: the clock starts at 13:30.
    expect(CN.addBusinessMinutes(at("2026-03-02T12:30:00+08:00"), 10).at).toEqual(
      at("2026-03-02T13:40:00+08:00"),
    );
  });

  it("ends exactly at the end of an interval rather than at the start of the next", () => {
    expect(CN.addBusinessMinutes(at("2026-03-02T11:30:00+08:00"), 30).at).toEqual(
      at("2026-03-02T12:00:00+08:00"),
    );
  });

  it("finds the next working instant", () => {
    expect(CN.nextWorkingInstant(at("2026-03-02T12:30:00+08:00"))).toEqual(at("2026-03-02T13:30:00+08:00"));
    expect(CN.nextWorkingInstant(at("2026-03-02T10:00:00+08:00"))).toEqual(at("2026-03-02T10:00:00+08:00"));
    // 17:30 is the (exclusive) end of the day: next is Tue 09:00.
    expect(CN.nextWorkingInstant(at("2026-03-02T17:30:00+08:00"))).toEqual(at("2026-03-03T09:00:00+08:00"));
  });

  it("leaves the lunch break out of elapsed business time", () => {
    // 11:00-12:00 is 60, 13:30-14:00 is 30.
    expect(
      CN.businessMinutesBetween(at("2026-03-02T11:00:00+08:00"), at("2026-03-02T14:00:00+08:00")).minutes,
    ).toBe(90);
    expect(
      CN.businessMinutesBetween(at("2026-03-02T14:00:00+08:00"), at("2026-03-02T11:00:00+08:00")).minutes,
    ).toBe(-90);
  });
});

describe("DST in London (29 Mar and 25 Oct 2026)", () => {
  it("spring forward: the weekend is skipped and Monday starts at 09:00 BST", () => {
    // Fri Mar 27 16:00 GMT: 60 minutes to 17:00; the other 60 from Mon Mar 30 09:00 BST (08:00Z).
    expect(GB.addBusinessMinutes(at("2026-03-27T16:00:00+00:00"), 120).at).toEqual(
      at("2026-03-30T10:00:00+01:00"),
    );
    expect(GB.workingIntervals("2026-03-30")).toEqual([
      { start: at("2026-03-30T08:00:00Z"), end: at("2026-03-30T16:00:00Z") },
    ]);
    expect(GB.formatLocal(at("2026-03-30T08:00:00Z"))).toBe("2026-03-30T09:00:00+01:00");
    // Fri 8h + Mon 8h, whatever the wall clock did on Sunday.
    expect(
      GB.businessMinutesBetween(at("2026-03-27T09:00:00+00:00"), at("2026-03-30T17:00:00+01:00")).minutes,
    ).toBe(960);
  });

  it("spring forward: Sunday 29 March lasts 23 hours", () => {
    expect(GB.startOfDay("2026-03-29")).toEqual(at("2026-03-29T00:00:00+00:00"));
    // Midnight of Mar 30 is 00:00 BST = 23:00Z on Mar 29.
    expect(GB.endOfDay("2026-03-29")).toEqual(at("2026-03-29T22:59:59.999Z"));
  });

  it("fall back: Sunday 25 October lasts 25 hours and Monday starts at 09:00 GMT", () => {
    expect(GB.startOfDay("2026-10-25")).toEqual(at("2026-10-25T00:00:00+01:00"));
    expect(GB.endOfDay("2026-10-25")).toEqual(at("2026-10-25T23:59:59.999+00:00"));
    // Fri Oct 23 16:30 BST: 30 minutes to 17:00; the other 30 from Mon Oct 26 09:00 GMT.
    expect(GB.addBusinessMinutes(at("2026-10-23T16:30:00+01:00"), 60).at).toEqual(
      at("2026-10-26T09:30:00+00:00"),
    );
    expect(
      GB.businessMinutesBetween(at("2026-10-23T09:00:00+01:00"), at("2026-10-26T17:00:00+00:00")).minutes,
    ).toBe(960);
  });

  it("adds 60 business days day by day, across the DST change", () => {
    // Working days after Mon Jan 5: Jan 6-30 = 19, Feb = 20 (39), Mar 2-27 = 20 (59), Mon Mar 30 = 60th.
    // No England and Wales bank holiday in between (Good Friday is Apr 3). Close is 17:00 BST.
    expect(GB.addBusinessDays(at("2026-01-05T09:00:00+00:00"), 60)).toEqual({
      at: at("2026-03-30T17:00:00+01:00"),
      provisional: false,
    });
    // 60 days of 480 minutes from Mon Jan 5 09:00 count Jan 5 itself as the first: the 60th is Fri Mar 27.
    expect(GB.addBusinessMinutes(at("2026-01-05T09:00:00+00:00"), 60 * 480).at).toEqual(
      at("2026-03-27T17:00:00+00:00"),
    );
  });
});

describe("working hours inside the DST transition itself", () => {
  // A night shift 01:00-03:00 on Sundays in London, where the clocks change at 01:00 UTC.
  const night = businessCalendar(
    minimal({ weeklyHours: { ...minimal().weeklyHours, sun: [{ start: "01:00", end: "03:00" }] } }),
  );

  it("pushes a wall time that does not exist (spring forward) to after the gap", () => {
    // 01:00 GMT does not happen on Mar 29: the clock jumps to 02:00 BST (01:00Z). 03:00 BST is 02:00Z: one hour.
    expect(night.workingIntervals("2026-03-29")).toEqual([
      { start: at("2026-03-29T01:00:00Z"), end: at("2026-03-29T02:00:00Z") },
    ]);
  });

  it("takes the earlier of a wall time that happens twice (fall back)", () => {
    // 01:00 happens at 00:00Z (BST) and 01:00Z (GMT): the earlier wins. 03:00 GMT is 03:00Z: three hours.
    expect(night.workingIntervals("2026-10-25")).toEqual([
      { start: at("2026-10-25T00:00:00Z"), end: at("2026-10-25T03:00:00Z") },
    ]);
    expect(night.businessMinutesBetween(at("2026-10-25T00:00:00Z"), at("2026-10-25T04:00:00Z")).minutes).toBe(
      180,
    );
  });
});

describe("DST in New York (8 Mar and 1 Nov 2026)", () => {
  it("spring forward", () => {
    // Fri Mar 6 16:00 EST: 60 minutes to 17:00; the other 60 from Mon Mar 9 09:00 EDT.
    expect(US.addBusinessMinutes(at("2026-03-06T16:00:00-05:00"), 120).at).toEqual(
      at("2026-03-09T10:00:00-04:00"),
    );
    expect(US.formatLocal(US.startOfDay("2026-03-08"))).toBe("2026-03-08T00:00:00-05:00");
    expect(US.endOfDay("2026-03-08")).toEqual(at("2026-03-08T23:59:59.999-04:00"));
  });

  it("fall back", () => {
    // Fri Oct 30 16:00 EDT: 60 minutes to 17:00; the other 60 from Mon Nov 2 09:00 EST.
    expect(US.addBusinessMinutes(at("2026-10-30T16:00:00-04:00"), 120).at).toEqual(
      at("2026-11-02T10:00:00-05:00"),
    );
    expect(US.formatLocal(at("2026-11-02T15:00:00Z"))).toBe("2026-11-02T10:00:00-05:00");
  });

  it("keeps the Friday open before a Saturday holiday (Independence Day 2026)", () => {
    // Sat Jul 4 2026: the Federal Reserve Banks close nothing for it and open on Fri Jul 3 (OPM would give
    // federal staff Jul 3 off). From Thu Jul 2 10:00 EDT, the next business day is Fri Jul 3, close 17:00.
    expect(US.addBusinessDays(at("2026-07-02T10:00:00-04:00"), 1)).toEqual({
      at: at("2026-07-03T17:00:00-04:00"),
      provisional: false,
    });
    // Thu Jul 2 16:00 + 120 minutes: 60 to 17:00, the other 60 from Fri Jul 3 09:00.
    expect(US.addBusinessMinutes(at("2026-07-02T16:00:00-04:00"), 120).at).toEqual(
      at("2026-07-03T10:00:00-04:00"),
    );
    expect(US.dayInfo("2026-07-04")).toMatchObject({ working: false, holiday: "Independence Day" });
    // 2027: Juneteenth (Sat Jun 19) and Christmas (Sat Dec 25) leave Fri Jun 18 and Fri Dec 24 open, and
    // New Year's Day 2028 (a Saturday) leaves Fri Dec 31 2027 open.
    for (const friday of ["2027-06-18", "2027-12-24", "2027-12-31"]) {
      expect(weekdayOf(friday)).toBe("fri");
      expect(US.isWorkingDay(friday)).toBe(true);
    }
  });

  it("closes the Monday after a Sunday holiday (Independence Day 2027)", () => {
    // Sun Jul 4 2027 is observed on Mon Jul 5. From Fri Jul 2 10:00 EDT: weekend, Mon 5 closed, Tue Jul 6.
    expect(US.addBusinessDays(at("2027-07-02T10:00:00-04:00"), 1)).toEqual({
      at: at("2027-07-06T17:00:00-04:00"),
      provisional: false,
    });
    expect(US.dayInfo("2027-07-05")).toMatchObject({
      working: false,
      holiday: "Independence Day (observed)",
    });
  });

  it("spring forward and fall back in 2027 (14 Mar and 7 Nov)", () => {
    // Fri Mar 12 16:00 EST: 60 minutes to 17:00; the other 60 from Mon Mar 15 09:00 EDT (13:00Z).
    expect(US.addBusinessMinutes(at("2027-03-12T16:00:00-05:00"), 120)).toEqual({
      at: at("2027-03-15T10:00:00-04:00"),
      provisional: false,
    });
    // Fri Nov 5 16:00 EDT: 60 minutes; the other 60 from Mon Nov 8 09:00 EST (14:00Z).
    expect(US.addBusinessMinutes(at("2027-11-05T16:00:00-04:00"), 120).at).toEqual(
      at("2027-11-08T10:00:00-05:00"),
    );
    expect(US.endOfDay("2027-11-07")).toEqual(at("2027-11-07T23:59:59.999-05:00")); // a 25-hour Sunday
  });
});

describe("DST in London, 2027 (28 Mar and 31 Oct)", () => {
  it("Easter 2027 sits on the spring-forward weekend", () => {
    // Good Friday Mar 26, clocks forward Sun Mar 28, Easter Monday Mar 29 (not in Scotland).
    // From Thu Mar 25 16:00 GMT + 120: 60 minutes to 17:00; England then resumes Tue Mar 30 09:00 BST.
    expect(GB.addBusinessMinutes(at("2027-03-25T16:00:00+00:00"), 120)).toEqual({
      at: at("2027-03-30T10:00:00+01:00"),
      provisional: false,
    });
    // Scotland works Easter Monday: Mon Mar 29 09:00 BST + 60.
    expect(SCT.addBusinessMinutes(at("2027-03-25T16:00:00+00:00"), 120).at).toEqual(
      at("2027-03-29T10:00:00+01:00"),
    );
  });

  it("fall back: Sunday 31 October 2027 lasts 25 hours", () => {
    expect(GB.endOfDay("2027-10-31")).toEqual(at("2027-10-31T23:59:59.999+00:00"));
    // Fri Oct 29 16:30 BST: 30 minutes to 17:00; the other 30 from Mon Nov 1 09:00 GMT.
    expect(NIR.addBusinessMinutes(at("2027-10-29T16:30:00+01:00"), 60).at).toEqual(
      at("2027-11-01T09:30:00+00:00"),
    );
  });
});

describe("New Year 2027 on every calendar", () => {
  // Thu Dec 31 2026 16:00 local + 120 business minutes: 60 minutes to 17:00 (CN: 16:00 + 90 to 17:30, then
  // 30 more), then the first working morning of 2027. Fri Jan 1 is a holiday everywhere; Jan 2-3 is a weekend.
  const cases: Array<[calendar: string, from: string, expected: string, provisional: boolean, why: string]> =
    [
      // CN 2027 is provisional (law only): 元旦 Fri Jan 1, so Mon Jan 4 09:00 + 30.
      ["CN", "2026-12-31T16:00:00+08:00", "2027-01-04T09:30:00+08:00", true, "provisional 元旦"],
      ["GB-EAW", "2026-12-31T16:00:00+00:00", "2027-01-04T10:00:00+00:00", false, "New Year's Day"],
      // Scotland: 2 January is a Saturday, so its substitute Mon Jan 4 is closed too: Tue Jan 5.
      ["GB-SCT", "2026-12-31T16:00:00+00:00", "2027-01-05T10:00:00+00:00", false, "2 January on Monday"],
      ["GB-NIR", "2026-12-31T16:00:00+00:00", "2027-01-04T10:00:00+00:00", false, "New Year's Day"],
      ["US", "2026-12-31T16:00:00-05:00", "2027-01-04T10:00:00-05:00", false, "New Year's Day"],
      ["EU", "2026-12-31T16:00:00+01:00", "2027-01-04T10:00:00+01:00", false, "TARGET closed"],
    ];
  for (const [calendar, from, expected, provisional, why] of cases) {
    it(`${calendar}: ${why}`, () => {
      expect(calendarFor(calendar).addBusinessMinutes(at(from), 120)).toEqual({
        at: at(expected),
        provisional,
      });
      expect(calendarFor(calendar).dayInfo("2027-01-01")).toMatchObject({ working: false, provisional });
    });
  }
});

describe("UK Christmas 2026 and 2027", () => {
  it("2026: Christmas on Friday, Boxing Day on Saturday, its substitute on Monday 28", () => {
    // Thu Dec 24 16:00: 60 minutes; Fri 25 Christmas, weekend, Mon 28 Boxing Day substitute; Tue 29 09:00 + 60.
    for (const calendar of [GB, SCT, NIR]) {
      expect(calendar.addBusinessMinutes(at("2026-12-24T16:00:00+00:00"), 120)).toEqual({
        at: at("2026-12-29T10:00:00+00:00"),
        provisional: false,
      });
      expect(calendar.dayInfo("2026-12-28").holiday).toBe("Boxing Day (substitute day)");
    }
  });

  it("2027: both days on the weekend, substitutes on Monday 27 and Tuesday 28", () => {
    // Fri Dec 24 2027 10:00: the next working day is Wed Dec 29 (27 and 28 are the substitutes), close 17:00.
    for (const calendar of [GB, SCT, NIR]) {
      expect(calendar.addBusinessDays(at("2027-12-24T10:00:00+00:00"), 1)).toEqual({
        at: at("2027-12-29T17:00:00+00:00"),
        provisional: false,
      });
      expect(calendar.dayInfo("2027-12-27").holiday).toBe("Christmas Day (substitute day)");
      expect(calendar.dayInfo("2027-12-28").holiday).toBe("Boxing Day (substitute day)");
      // As on GOV.UK, the weekend days themselves are not listed: banks are shut anyway.
      expect(calendar.dayInfo("2027-12-25").holiday).toBeUndefined();
    }
  });
});

describe("bank holidays of one UK nation only", () => {
  it("St Andrew's Day closes Scotland on Monday 30 November 2026, not England", () => {
    // Fri Nov 27 16:00 GMT + 120: 60 to 17:00, then Monday 09:00 + 60 in England; Scotland resumes Tue Dec 1.
    expect(GB.addBusinessMinutes(at("2026-11-27T16:00:00+00:00"), 120).at).toEqual(
      at("2026-11-30T10:00:00+00:00"),
    );
    expect(SCT.addBusinessMinutes(at("2026-11-27T16:00:00+00:00"), 120).at).toEqual(
      at("2026-12-01T10:00:00+00:00"),
    );
    // Scotland's summer holiday is the first Monday of August (Aug 3), England's the last (Aug 31).
    expect([SCT.isWorkingDay("2026-08-03"), GB.isWorkingDay("2026-08-03")]).toEqual([false, true]);
    expect([SCT.isWorkingDay("2026-08-31"), GB.isWorkingDay("2026-08-31")]).toEqual([true, false]);
  });

  it("St Patrick's Day and the Boyne substitute close Northern Ireland only", () => {
    // Tue Mar 17 2026: from Mon Mar 16 16:00 GMT + 120, England resumes Tue 09:00, Northern Ireland Wed 09:00.
    expect(GB.addBusinessMinutes(at("2026-03-16T16:00:00+00:00"), 120).at).toEqual(
      at("2026-03-17T10:00:00+00:00"),
    );
    expect(NIR.addBusinessMinutes(at("2026-03-16T16:00:00+00:00"), 120).at).toEqual(
      at("2026-03-18T10:00:00+00:00"),
    );
    // Sun Jul 12 2026 (Battle of the Boyne) is made up on Mon Jul 13: from Fri Jul 10, one business day on.
    expect(NIR.addBusinessDays(at("2026-07-10T10:00:00+01:00"), 1).at).toEqual(
      at("2026-07-14T17:00:00+01:00"),
    );
    expect(GB.addBusinessDays(at("2026-07-10T10:00:00+01:00"), 1).at).toEqual(
      at("2026-07-13T17:00:00+01:00"),
    );
  });
});

describe("provisional years", () => {
  it("a CN 2027 deadline is provisional, a GB-EAW 2027 one is not", () => {
    // Mon Mar 1 2027, 10 business days on: Mar 2-5 (4), Mar 8-12 (9), Mon Mar 15 (10). March 2027 has no
    // holiday in either calendar; CN's answer depends on its 2027 data, which is computed from the law.
    expect(CN.addBusinessDays(at("2027-03-01T10:00:00+08:00"), 10)).toEqual({
      at: at("2027-03-15T17:30:00+08:00"),
      provisional: true,
    });
    expect(GB.addBusinessDays(at("2027-03-01T10:00:00+00:00"), 10)).toEqual({
      at: at("2027-03-15T17:00:00+00:00"),
      provisional: false,
    });
    // The law's Spring Festival: 除夕 Fri Feb 5 and 正月初一-初三 Feb 6-8; no 调休 until the notice.
    expect(CN.dayInfo("2027-02-05")).toMatchObject({
      working: false,
      provisional: true,
      holiday: "春节 Spring Festival",
    });
    expect(CN.dayInfo("2027-02-09")).toMatchObject({ working: true, provisional: true });
  });

  it("an unloaded year (2028) is judged by the weekly hours alone, and says so", () => {
    // Fri Dec 31 2027 16:00 + 120: 1 January 2028 is a Saturday; without 2028 data Mon Jan 3 counts as a
    // plain Monday (it will be the substitute day), hence provisional.
    expect(GB.addBusinessMinutes(at("2027-12-31T16:00:00+00:00"), 120)).toEqual({
      at: at("2028-01-03T10:00:00+00:00"),
      provisional: true,
    });
    expect(US.dayInfo("2028-01-03")).toMatchObject({ working: true, provisional: true });
  });

  it("is final when only an unloaded starting day is touched", () => {
    // From 2024-12-31 (2024 not loaded) one working day on: Wed Jan 1 2025 is 元旦, Thu Jan 2 closes 17:30.
    // The result depends only on 2025 data.
    expect(CN.addBusinessDays(at("2024-12-31T10:00:00+08:00"), 1)).toEqual({
      at: at("2025-01-02T17:30:00+08:00"),
      provisional: false,
    });
  });
});

describe("EU (TARGET closing days)", () => {
  it("closes on Good Friday, Easter Monday and 1 May only", () => {
    expect(EU.isWorkingDay("2026-04-03")).toBe(false);
    expect(EU.isWorkingDay("2026-04-06")).toBe(false);
    expect(EU.isWorkingDay("2026-05-01")).toBe(false);
    expect(EU.isWorkingDay("2026-05-25")).toBe(true); // Whit Monday is not a TARGET closing day
    expect(EU.formatLocal(at("2026-07-01T07:00:00Z"))).toBe("2026-07-01T09:00:00+02:00");
  });
});

describe("local date helpers", () => {
  it("adds calendar days across month and year ends", () => {
    expect(addLocalDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addLocalDays("2026-03-01", -1)).toBe("2026-02-28");
  });

  it("rejects malformed input", () => {
    expect(() => CN.isWorkingDay("2026-2-1")).toThrow(
      expect.objectContaining({ code: "INVALID_CALENDAR_ARGUMENT" }),
    );
    expect(() => CN.addBusinessMinutes(at("2026-03-02T10:00:00+08:00"), -1)).toThrow(
      expect.objectContaining({ code: "INVALID_CALENDAR_ARGUMENT" }),
    );
    expect(() => CN.addBusinessDays(at("2026-03-02T10:00:00+08:00"), 0)).toThrow(
      expect.objectContaining({ code: "INVALID_CALENDAR_ARGUMENT" }),
    );
  });
});

describe("properties", () => {
  const calendarArb = fc.constantFrom(CN, GB, SCT, NIR, US, EU);
  const instantIn = (year: number) =>
    fc
      .integer({ min: Date.UTC(year, 0, 1), max: Date.UTC(year, 11, 31, 23, 59, 59) })
      .map((t) => new Date(t));
  const minutesArb = fc.integer({ min: 0, max: 60 * 8 * 60 });

  it("businessMinutesBetween undoes addBusinessMinutes from a working instant", () => {
    fc.assert(
      fc.property(calendarArb, instantIn(2026), minutesArb, (calendar, instant, minutes) => {
        const from = calendar.nextWorkingInstant(instant);
        const { at: end } = calendar.addBusinessMinutes(from, minutes);
        expect(calendar.businessMinutesBetween(from, end).minutes).toBe(minutes);
      }),
    );
  });

  it("addBusinessMinutes is monotonic in the amount and in the start", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantIn(2026),
        instantIn(2026),
        minutesArb,
        minutesArb,
        (calendar, a, b, m1, m2) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          const [few, many] = m1 <= m2 ? [m1, m2] : [m2, m1];
          expect(
            calendar.addBusinessMinutes(early, few).at <= calendar.addBusinessMinutes(early, many).at,
          ).toBe(true);
          expect(
            calendar.addBusinessMinutes(early, few).at <= calendar.addBusinessMinutes(late, few).at,
          ).toBe(true);
        },
      ),
    );
  });

  it("business time between instants is additive", () => {
    fc.assert(
      fc.property(
        calendarArb,
        fc.array(instantIn(2026), { minLength: 3, maxLength: 3 }),
        (calendar, instants) => {
          const [a, b, c] = instants.sort((x, y) => x.getTime() - y.getTime()) as [Date, Date, Date];
          const whole = calendar.businessMinutesBetween(a, c).minutes;
          const parts =
            calendar.businessMinutesBetween(a, b).minutes + calendar.businessMinutesBetween(b, c).minutes;
          expect(Math.abs(whole - parts)).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it("addBusinessDays ends at close of business of a working day after the start day", () => {
    fc.assert(
      fc.property(calendarArb, instantIn(2026), fc.integer({ min: 1, max: 60 }), (calendar, from, days) => {
        const { at: due } = calendar.addBusinessDays(from, days);
        const day = calendar.localDateOf(due);
        expect(day > calendar.localDateOf(from)).toBe(true);
        expect(calendar.workingIntervals(day).at(-1)?.end).toEqual(due);
      }),
    );
  });

  it("anything that reaches into an unloaded year is provisional", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantIn(2028),
        fc.integer({ min: 1, max: 10_000 }),
        (calendar, from, minutes) => {
          expect(calendar.addBusinessMinutes(from, minutes).provisional).toBe(true);
        },
      ),
    );
  });
});

describe("calendarYearSchema (one year, as an operator loads it)", () => {
  const valid = {
    calendar: "CN",
    year: 2027,
    status: "confirmed",
    source: "test fixture: not the State Council notice",
    holidays: [{ date: "2027-01-01", name: "元旦 New Year's Day" }],
    // 2027-01-02 is a Saturday.
    workdays: [{ date: "2027-01-02", name: "test make-up day" }],
  };
  const refusal = (change: Record<string, unknown>) => {
    const result = calendarYearSchema.safeParse({ ...valid, ...change });
    expect(result.success, "the year should have been refused").toBe(false);
    return result.error!.issues.map((i) => ({ path: i.path, message: i.message }));
  };

  it("accepts a well-formed year", () => {
    expect(calendarYearSchema.parse(valid)).toEqual(valid);
  });

  it("refuses a year outside 2000-2100", () => {
    for (const year of [1999, 2101]) {
      expect(refusal({ year, holidays: [], workdays: [] })).toEqual([
        { path: ["year"], message: "year must be between 2000 and 2100" },
      ]);
    }
  });

  it("refuses a date that is not a real date, or not in that year", () => {
    expect(refusal({ holidays: [{ date: "2027-02-29", name: "x" }] })).toEqual([
      { path: ["holidays", 0, "date"], message: "must be a real date, YYYY-MM-DD" },
    ]);
    expect(refusal({ holidays: [{ date: "2027-1-1", name: "x" }] })).toEqual([
      { path: ["holidays", 0, "date"], message: "must be a real date, YYYY-MM-DD" },
    ]);
    expect(refusal({ holidays: [{ date: "2026-12-31", name: "x" }] })).toEqual([
      { path: ["holidays", 0, "date"], message: "2026-12-31 is not in 2027" },
    ]);
  });

  it("refuses a date listed twice, or both as a holiday and a workday", () => {
    expect(
      refusal({
        holidays: [
          { date: "2027-01-01", name: "x" },
          { date: "2027-01-01", name: "y" },
        ],
      }),
    ).toEqual([{ path: ["holidays", 1, "date"], message: "2027-01-01 is listed twice" }]);
    expect(refusal({ holidays: [{ date: "2027-01-02", name: "x" }] })).toEqual([
      { path: ["workdays", 0, "date"], message: "2027-01-02 is both a holiday and a workday" },
    ]);
  });

  it("refuses a workday that is a weekday", () => {
    // 2027-01-04 is a Monday: it is a working day already, so it cannot be a make-up working day.
    expect(refusal({ workdays: [{ date: "2027-01-04", name: "x" }] })).toEqual([
      {
        path: ["workdays", 0, "date"],
        message:
          "2027-01-04 is a mon, not a weekend day: a workday (调休) turns a weekend day into a working day",
      },
    ]);
  });

  it("refuses an empty name or source", () => {
    expect(refusal({ holidays: [{ date: "2027-01-01", name: " " }] })).toEqual([
      { path: ["holidays", 0, "name"], message: "every date needs a name" },
    ]);
    expect(refusal({ source: "" })).toEqual([
      {
        path: ["source"],
        message: "source must name the official publication (and its URL) the dates come from",
      },
    ]);
  });

  it("refuses an unknown calendar or status", () => {
    expect(refusal({ calendar: "GB" })[0]?.path).toEqual(["calendar"]);
    expect(refusal({ status: "guessed" })[0]?.path).toEqual(["status"]);
  });
});

describe("the calendar registry", () => {
  // A stand-in for the 2027 notice, to see a loaded year replace the shipped provisional one. Not real data.
  const noticeFixture: CalendarYearData = {
    calendar: "CN",
    year: 2027,
    status: "confirmed",
    source: "test fixture: not the State Council notice",
    holidays: [{ date: "2027-01-01", name: "元旦 New Year's Day" }],
    workdays: [{ date: "2027-01-02", name: "test make-up day" }],
  };

  afterEach(() => useCalendarYears([]));

  it("lets a later entry for the same calendar and year replace an earlier one", () => {
    const registry = calendarRegistry([...SHIPPED_YEARS, noticeFixture]);
    const cn = registry.calendarFor("CN");
    expect(cn.dayInfo("2027-01-01")).toMatchObject({ working: false, provisional: false });
    // Sat Jan 2 is a make-up working day in the fixture, with the Monday hours.
    expect(cn.dayInfo("2027-01-02")).toMatchObject({ working: true, workday: "test make-up day" });
    expect(registry.years.filter((y) => y.calendar === "CN").map((y) => [y.year, y.status])).toEqual([
      [2025, "confirmed"],
      [2026, "confirmed"],
      [2027, "confirmed"],
    ]);
    // The shipped registry is untouched.
    expect(calendarFor("CN").dayInfo("2027-01-01").provisional).toBe(true);
  });

  it("builds each calendar on first use, so bad data fails only the calendar it belongs to", () => {
    const broken = {
      ...noticeFixture,
      calendar: "US" as const,
      workdays: [{ date: "2027-01-04", name: "x" }],
    };
    const registry = calendarRegistry([...SHIPPED_YEARS, broken]);
    expect(registry.calendarFor("CN").id).toBe("CN");
    expect(() => registry.calendarFor("US")).toThrow(InvalidCalendarError);
    expect(registry.calendarFor("GB")).toBe(registry.calendarFor("GB-EAW"));
  });

  it("swaps the active registry with useCalendarYears, cheaply when nothing changed", () => {
    useCalendarYears([noticeFixture]);
    const loaded = calendarFor("CN");
    expect(loaded.dayInfo("2027-01-01").provisional).toBe(false);
    expect(CN.dayInfo("2027-01-01").provisional).toBe(true); // a calendar taken before keeps its data
    const registry = activeCalendarRegistry();
    // The same years again, as a fresh copy read from the store: the registry and its calendars stay.
    useCalendarYears([structuredClone(noticeFixture)]);
    expect(activeCalendarRegistry()).toBe(registry);
    expect(calendarFor("CN")).toBe(loaded);
    useCalendarYears([]);
    expect(calendarFor("CN").dayInfo("2027-01-01").provisional).toBe(true);
  });

  it("refuses to load a bad year and keeps the active registry", () => {
    const before = activeCalendarRegistry();
    const bad = { ...noticeFixture, holidays: [{ date: "2026-12-31", name: "x" }] };
    expect(() => useCalendarYears([bad])).toThrow(InvalidCalendarError);
    expect(() => useCalendarYears([bad])).toThrow(/2026-12-31 is not in 2027/);
    expect(activeCalendarRegistry()).toBe(before);
  });

  it("tells an operator which years each calendar has, and how far ahead it is confirmed", () => {
    const overview = calendarOverview(at("2026-12-01T09:00:00Z"));
    expect(overview.map((c) => c.id)).toEqual([...CALENDAR_IDS]);
    const cn = overview.find((c) => c.id === "CN")!;
    expect(cn.years.map((y) => [y.year, y.status])).toEqual([
      [2025, "confirmed"],
      [2026, "confirmed"],
      [2027, "provisional"],
    ]);
    expect(cn.years[2]?.source).toMatch(/^Provisional: no State Council notice for 2027/);
    // CN is final through 2026 only; the others through 2027.
    expect(overview.map((c) => [c.id, c.confirmedThrough])).toEqual([
      ["CN", "2026-12-31"],
      ["GB-EAW", "2027-12-31"],
      ["GB-SCT", "2027-12-31"],
      ["GB-NIR", "2027-12-31"],
      ["US", "2027-12-31"],
      ["EU", "2027-12-31"],
    ]);
    expect(overview.find((c) => c.id === "GB-EAW")?.aliases).toEqual(["GB"]);
    // 2026-12-31T17:00Z is already 1 January 2027 in Shanghai, whose year is provisional; London is in 2026.
    const newYearInShanghai = calendarOverview(at("2026-12-31T17:00:00Z"));
    expect(newYearInShanghai.find((c) => c.id === "CN")?.confirmedThrough).toBeNull();
    expect(newYearInShanghai.find((c) => c.id === "GB-EAW")?.confirmedThrough).toBe("2027-12-31");
    // Once the notice is loaded, CN is confirmed through 2027 as well.
    useCalendarYears([noticeFixture]);
    expect(calendarOverview(at("2026-12-01T09:00:00Z"))[0]?.confirmedThrough).toBe("2027-12-31");
    // In 2028 (not loaded) nothing is confirmed.
    expect(calendarOverview(at("2028-06-01T00:00:00Z")).every((c) => c.confirmedThrough === null)).toBe(true);
  });
});
