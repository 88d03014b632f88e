/**
 * Node's `setTimeout` takes at most 2^31-1 ms (~24.8 days); a longer delay overflows and fires after 1 ms.
 * A simulated SLA timeout can be longer than that (at time scale 1), so long delays are armed in slices:
 * each slice re-checks how much time is left against the wall clock and re-arms until the deadline.
 */
export const MAX_TIMER_SLICE_MS = 2 ** 31 - 1;

export interface Timer {
  cancel(): void;
}

export const armTimer = (delayMs: number, onExpiry: () => void): Timer => {
  const due = Date.now() + Math.max(0, delayMs);
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (ms: number) => {
    handle = setTimeout(tick, Math.min(Math.max(0, ms), MAX_TIMER_SLICE_MS));
  };
  const tick = () => {
    if (cancelled) return;
    const left = due - Date.now();
    if (left > 0) {
      arm(left);
      return;
    }
    handle = undefined;
    onExpiry();
  };
  arm(delayMs);
  return {
    cancel: () => {
      cancelled = true;
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    },
  };
};

/** Real milliseconds for `seconds` of simulated time when the clock runs `timeScale` times faster. */
export const scaledMs = (seconds: number, timeScale: number): number => (seconds * 1000) / timeScale;
