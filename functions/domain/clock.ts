/** The only way domain code learns the time: passed in, so tests and the scaled local clock control it. */
export interface Clock {
  now(): Date;
}

/** A clock that always answers the same instant (tests, replays). */
export const fixedClock = (at: Date | string): Clock => {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
};
