import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cn } from "../../../functions/domain/calendar/data/cn";
import {
  addLocalDays,
  businessCalendar,
  CALENDAR_IDS,
  type CalendarData,
  CalendarYearNotLoadedError,
  calendarFor,
  calendars,
  InvalidCalendarError,
  UnknownCalendarError,
  weekdayOf,
} from "../../../functions/domain/calendar/index";

const { CN, GB, US, EU } = calendars;
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
    expect(Object.keys(calendars).sort()).toEqual(["CN", "EU", "GB", "US"]);
    // Calendars are built on first use: build every one here, so bad shipped data fails the suite.
    for (const id of CALENDAR_IDS) expect(calendarFor(id).id).toBe(id);
    expect(calendarFor("CN")).toBe(calendars.CN);
    expect(CN.timeZone).toBe("Asia/Shanghai");
    expect(CN.loadedYears).toEqual([2026]);
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
    const year = { holidays: [], workingWeekends: [], source: "test" };
    rejects(
      minimal({ years: { 2026: { ...year, holidays: [{ date: "2027-01-01", name: "x" }] } } }),
      "not in 2026",
    );
    rejects(
      minimal({ years: { 2026: { ...year, holidays: [{ date: "2026-02-30", name: "x" }] } } }),
      "real date",
    );
    // 2026-01-05 is a Monday (2026-01-01 is a Thursday), so it cannot be a make-up weekend day.
    rejects(
      minimal({ years: { 2026: { ...year, workingWeekends: [{ date: "2026-01-05", name: "x" }] } } }),
      "mon",
    );
    rejects(minimal({ years: { 2026: { ...year, source: "" } } }), "official publication");
  });

  it("names unknown calendars and unloaded years with typed errors", () => {
    expect(() => calendarFor("FR")).toThrow(UnknownCalendarError);
    expect(() => calendarFor("FR")).toThrow(expect.objectContaining({ code: "UNKNOWN_CALENDAR" }));
    expect(calendarFor("GB")).toBe(GB);
    expect(() => CN.requireYear(2027)).toThrow(CalendarYearNotLoadedError);
    expect(() => CN.requireYear(2027)).toThrow(expect.objectContaining({ code: "CALENDAR_YEAR_NOT_LOADED" }));
    expect(() => CN.requireYear(2026)).not.toThrow();
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
    expect(cn.years[2026]?.workingWeekends.map((w) => w.date)).toEqual([
      "2026-01-04",
      "2026-02-14",
      "2026-02-28",
      "2026-05-09",
      "2026-09-20",
      "2026-10-10",
    ]);
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
      workingWeekend: "春节调休 Spring Festival make-up day",
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

  it("observes Independence Day on Friday July 3", () => {
    // From Thu Jul 2: Fri Jul 3 observed holiday, weekend, so Mon Jul 6 closes at 17:00 EDT.
    expect(US.addBusinessDays(at("2026-07-02T10:00:00-04:00"), 1).at).toEqual(
      at("2026-07-06T17:00:00-04:00"),
    );
  });
});

describe("year end 2026 -> 2027 (2027 is not loaded)", () => {
  it("stays final inside 2026 across the Christmas substitute day", () => {
    // Thu Dec 24 16:00: 60 minutes; Fri 25 Christmas, weekend, Mon 28 Boxing Day substitute; Tue 29 09:00 + 60.
    expect(GB.addBusinessMinutes(at("2026-12-24T16:00:00+00:00"), 120)).toEqual({
      at: at("2026-12-29T10:00:00+00:00"),
      provisional: false,
    });
  });

  it("is provisional once it reaches into 2027", () => {
    // Without 2027 data, Fri 2027-01-01 is judged by weekly hours alone: a working Friday, hence provisional.
    expect(GB.addBusinessMinutes(at("2026-12-31T16:00:00+00:00"), 120)).toEqual({
      at: at("2027-01-01T10:00:00+00:00"),
      provisional: true,
    });
    expect(CN.addBusinessDays(at("2026-12-31T10:00:00+08:00"), 1)).toEqual({
      at: at("2027-01-01T17:30:00+08:00"),
      provisional: true,
    });
    expect(
      CN.businessMinutesBetween(at("2026-12-30T09:00:00+08:00"), at("2026-12-31T17:30:00+08:00")),
    ).toEqual({
      minutes: 840,
      provisional: false,
    });
    expect(
      CN.businessMinutesBetween(at("2026-12-31T09:00:00+08:00"), at("2027-01-01T09:30:00+08:00")),
    ).toEqual({
      minutes: 450,
      provisional: true,
    });
    expect(CN.dayInfo("2027-01-01")).toMatchObject({ working: true, provisional: true });
  });

  it("is final when only the unloaded starting day is touched", () => {
    // From 2025-12-31 (2025 not loaded) one working day on: Jan 1-3 2026 are off, Sun Jan 4 is a make-up day.
    // The result depends only on 2026 data.
    expect(CN.addBusinessDays(at("2025-12-31T10:00:00+08:00"), 1)).toEqual({
      at: at("2026-01-04T17:30:00+08:00"),
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
  const calendarArb = fc.constantFrom(CN, GB, US, EU);
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
        instantIn(2027),
        fc.integer({ min: 1, max: 10_000 }),
        (calendar, from, minutes) => {
          expect(calendar.addBusinessMinutes(from, minutes).provisional).toBe(true);
        },
      ),
    );
  });
});
