import { foldFacts, type ReportFacts, reportFactsOf } from "../domain/report-aggregates";
import { calendarDateSchema } from "../domain/schemas";
import * as z from "../domain/zod";
import type { ReportDependencies } from "./dependencies";

/** What a rebuild did: complaints seen, contributions replaced, and cell items that differed from the recount. */
export interface RebuildResult {
  from: string;
  to: string;
  complaints: number;
  /** Contributions brought up to the trail's last change (an event the consumer had not applied yet). */
  contributionsUpdated: number;
  /** Cell items whose stored figures differed from the recount (written, unless a check only). */
  cellsCorrected: number;
  checkOnly: boolean;
}

/** What a rebuild is asked for: whole UTC days [from, to) as dates, at most a year; `checkOnly` writes nothing. */
export const rebuildRequestSchema = /* @__PURE__ */ (() =>
  z
    .pipe(
      z.strictObject({
        from: calendarDateSchema,
        to: calendarDateSchema,
        checkOnly: z._default(z.boolean(), false),
      }),
      z.transform((r) => ({
        from: new Date(`${r.from}T00:00:00Z`),
        to: new Date(`${r.to}T00:00:00Z`),
        checkOnly: r.checkOnly,
      })),
    )
    .check(
      z.refine((r) => r.to.getTime() > r.from.getTime(), { message: "must be after 'from'", path: ["to"] }),
      z.refine((r) => r.to.getTime() - r.from.getTime() <= 366 * 86_400_000, {
        message: "a rebuild may span at most 366 days",
        path: ["to"],
      }),
    ))();

/** Complaints whose trail and contribution are read side by side. */
const PARALLEL = 8;

/**
 * Recomputes the report aggregates of the whole UTC days [from, to) from the audit trail: each complaint
 * received then gets its facts from the change its trail ends with (the same function the outbox used at
 * that change, over the complaint that change stored) and its contribution replaced through the
 * consumer's own conditional update; then the cells are recounted from the contributions and every cell
 * item that differs is overwritten. With `checkOnly` nothing is written: the answer says what differs.
 * Run while the range is being written, a pass can race a change; once the stream has drained, a second
 * pass corrects what the first raced with, and a pass that corrects nothing shows the figures converged.
 */
export const rebuildReports = async (
  input: { from: Date; to: Date; checkOnly?: boolean },
  deps: Pick<ReportDependencies, "readModels" | "reports" | "clock" | "log">,
): Promise<RebuildResult> => {
  const { from, to } = input;
  const checkOnly = input.checkOnly ?? false;
  const now = deps.clock.now();
  const found: { id: string; facts: ReportFacts }[] = [];
  await deps.readModels.eachReceivedBetween(from, to, (page) => {
    for (const c of page) found.push({ id: c.id, facts: reportFactsOf(c) });
  });
  let updated = 0;
  const contributions: ReportFacts[] = [];
  const queue = [...found];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const trail = await deps.readModels.audit(next.id);
      const seq = trail.at(-1)?.seq ?? 0;
      if (!checkOnly) {
        const outcome = await deps.reports.apply(next.id, seq, next.facts, now);
        if (outcome === "applied") updated++;
      }
      const stored = await deps.reports.contribution(next.id);
      // A check counts what the trail says; a rebuild counts what is now stored (a change the stream
      // delivered meanwhile is newer than the trail we read, and wins).
      contributions.push(checkOnly || !stored ? next.facts : stored.facts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  const cellsCorrected = await deps.reports.replaceCells(from, to, foldFacts(contributions).values(), now, {
    dryRun: checkOnly,
  });
  const result = {
    from: from.toISOString(),
    to: to.toISOString(),
    complaints: found.length,
    contributionsUpdated: updated,
    cellsCorrected,
    checkOnly,
  };
  deps.log.info("report aggregates rebuilt", { ...result });
  return result;
};
