// The part of lunar-javascript 1.7.7 (which ships no types) that the calendar generator uses.
declare module "lunar-javascript" {
  interface Solar {
    getYear(): number;
    getMonth(): number;
    getDay(): number;
    /** `YYYY-MM-DD`. */
    toYmd(): string;
    /** The solar date `days` days later (earlier when negative). */
    next(days: number): Solar;
    getLunar(): Lunar;
  }

  interface Lunar {
    getYear(): number;
    /** Negative for a leap month. */
    getMonth(): number;
    getDay(): number;
    getSolar(): Solar;
    /** The solar terms around this lunar year, by Chinese name (`清明`), as solar dates (Beijing time). */
    getJieQiTable(): Record<string, Solar>;
    getFestivals(): string[];
  }

  const lunar: {
    Solar: { fromYmd(year: number, month: number, day: number): Solar };
    /** Lunar year, month (negative for a leap month) and day. */
    Lunar: { fromYmd(year: number, month: number, day: number): Lunar };
  };
  export default lunar;
}
