import { afterEach, describe, expect, it } from "vitest";
import { CalendarCache } from "../../functions/app/calendars";
import type { StoredCalendarYear } from "../../functions/app/ports";
import { calendarFor, useCalendarYears } from "../../functions/domain/calendar";

/** A store whose version and years the test sets, counting its reads. */
const fakeStore = () => {
  const state = { version: 0, years: [] as StoredCalendarYear[], versionReads: 0, yearReads: 0, down: false };
  return {
    state,
    version: async () => {
      state.versionReads++;
      if (state.down) throw new Error("store down");
      return state.version;
    },
    years: async () => {
      state.yearReads++;
      return state.years;
    },
  };
};

const cn2030 = (holiday: string): StoredCalendarYear => ({
  calendar: "CN",
  year: 2030,
  status: "confirmed",
  source: "test",
  holidays: [{ date: holiday, name: "test" }],
  workdays: [],
  loadId: "L",
  loadedAt: "2026-12-01T00:00:00.000Z",
  loadedBy: "mgr",
});

afterEach(() => useCalendarYears([]));

describe("the per-container calendar cache", () => {
  it("checks the stored version at most once per period, and reads the years only when it changed", async () => {
    const store = fakeStore();
    let now = 0;
    const cache = new CalendarCache(store, 60_000, () => now);
    await cache.refresh();
    await cache.refresh();
    expect(store.state).toMatchObject({ versionReads: 1, yearReads: 0 });
    store.state.version = 1;
    store.state.years = [cn2030("2030-03-04")];
    now = 59_999;
    await cache.refresh();
    expect(calendarFor("CN").isWorkingDay("2030-03-04")).toBe(true);
    now = 60_000;
    await cache.refresh();
    expect(store.state).toMatchObject({ versionReads: 2, yearReads: 1 });
    expect(calendarFor("CN").isWorkingDay("2030-03-04")).toBe(false);
    // Forced (a load, a job): checked now, whatever the period.
    store.state.version = 2;
    store.state.years = [cn2030("2030-03-05")];
    await cache.refresh({ force: true });
    expect(calendarFor("CN").isWorkingDay("2030-03-04")).toBe(true);
    expect(calendarFor("CN").isWorkingDay("2030-03-05")).toBe(false);
  });

  it("does not vouch for its calendars past the period when the check fails: the caller sees the error", async () => {
    const store = fakeStore();
    let now = 0;
    const cache = new CalendarCache(store, 1_000, () => now);
    await cache.refresh();
    store.state.down = true;
    now = 500;
    await expect(cache.refresh()).resolves.toBeUndefined();
    now = 1_000;
    await expect(cache.refresh()).rejects.toThrow("store down");
    store.state.down = false;
    await expect(cache.refresh()).resolves.toBeUndefined();
  });

  it("shares one check between concurrent callers", async () => {
    const store = fakeStore();
    const cache = new CalendarCache(store, 1_000, () => 0);
    await Promise.all([cache.refresh(), cache.refresh(), cache.refresh({ force: true })]);
    expect(store.state.versionReads).toBe(1);
  });
});
