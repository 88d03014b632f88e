import type { Clock } from "../domain/clock";

/**
 * The wall clock, or a simulated one when `SIMULATED_CLOCK` is set (embedded target only):
 * `{"originReal": <epoch ms>, "originSimulated": <epoch ms>, "scale": <simulated seconds per real second>}`.
 * The workflow engine scales its timers by the same factor, so SLA time can be watched in minutes.
 */
export const clockFromEnvironment = (env: NodeJS.ProcessEnv = process.env): Clock => {
  const raw = env.SIMULATED_CLOCK;
  if (!raw) return { now: () => new Date() };
  const { originReal, originSimulated, scale } = JSON.parse(raw) as {
    originReal: number;
    originSimulated: number;
    scale: number;
  };
  if (!(scale > 0)) throw new Error("SIMULATED_CLOCK.scale must be positive");
  return { now: () => new Date(originSimulated + (Date.now() - originReal) * scale) };
};
