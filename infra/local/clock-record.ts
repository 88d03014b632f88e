import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/*
 * The simulated clock's high-water mark, kept under --data: with `--time-scale`, a stack started again on
 * the same data resumes from the latest instant it had reached (when that is later than where it would
 * start), so nothing it records afterwards is earlier than what it recorded before. Written every second
 * and at stop; what a kill -9 leaves unrecorded (at most a second of real time) is covered by the commit
 * path, which never records an event earlier than its complaint's last one.
 */

/** The instant recorded in `file`, if any (a missing or unreadable record is no record). */
export const recordedInstant = (file: string): Date | undefined => {
  if (!existsSync(file)) return undefined;
  try {
    const { simulatedAt } = JSON.parse(readFileSync(file, "utf8")) as { simulatedAt?: string };
    const at = simulatedAt ? new Date(simulatedAt) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : undefined;
  } catch {
    return undefined;
  }
};

/** Records `now()` to `file` every `everyMs` and once more at stop; never moves the record back. */
export const startClockRecorder = (file: string, now: () => Date, everyMs = 1_000): { stop(): void } => {
  let highest = recordedInstant(file)?.getTime() ?? Number.NEGATIVE_INFINITY;
  const record = () => {
    const at = now().getTime();
    if (at <= highest) return;
    highest = at;
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ simulatedAt: new Date(at).toISOString() }));
    renameSync(tmp, file);
  };
  record();
  const timer = setInterval(record, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      record();
    },
  };
};
