import {
  activeCalendarRegistry,
  CALENDAR_IDS,
  type CalendarId,
  type CalendarOverview,
  type CalendarYearData,
  calendarOverview,
  resolveCalendarId,
  useCalendarYears,
} from "../domain/calendar";
import { STAGE_OF } from "../domain/complaint";
import { DomainError } from "../domain/errors";
import { ALLOWED } from "../domain/lifecycle";
import { horizonMetrics } from "../domain/metrics";
import { STATUTORY_RULES_VERSION } from "../domain/sla/statutory";
import { commitChange } from "./commit";
import type { Dependencies, Log } from "./dependencies";
import {
  type CalendarLoadRecord,
  type CalendarStore,
  ConcurrentUpdateError,
  type MetricsSink,
  type RecomputeJob,
  type StoredCalendarYear,
} from "./ports";
import type { StaffIdentity } from "./staff-actions";

/*
 * Calendars as data an operator maintains: the years shipped with the code, plus the years loaded through
 * `PUT /calendars/{id}/years/{year}` (stored in the table; they win). Every container keeps the active set
 * in memory and checks the stored version at most once per refresh period, so a load reaches warm
 * functions without a redeploy. A load also queues a job that recomputes the deadlines of every open
 * complaint on that calendar, once every container has seen the new year.
 */

/** Whatever a use case calls before it computes a deadline: the calendars in force, fresh enough. */
export interface CalendarSource {
  /** Makes the active calendars those stored now, if the version changed since the last check. */
  refresh(options?: { force?: boolean }): Promise<void>;
}

const toYearData = ({
  loadId: _l,
  loadedAt: _a,
  loadedBy: _b,
  ...year
}: StoredCalendarYear): CalendarYearData => year;

/**
 * The per-container cache: the stored version is read at most once per `ttlMs` (wall clock), and the
 * years only when it changed. A failed check is not hidden: past its period the cache cannot vouch for
 * the calendars, and a deadline computed on a superseded year would never be corrected, so the error
 * reaches the caller (a retryable 503) instead.
 */
export class CalendarCache implements CalendarSource {
  private checkedAt = Number.NEGATIVE_INFINITY;
  private version = -1;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<CalendarStore, "version" | "years">,
    private readonly ttlMs: number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  refresh(options: { force?: boolean } = {}): Promise<void> {
    if (!options.force && this.wallClock() - this.checkedAt < this.ttlMs) return Promise.resolve();
    this.inflight ??= this.check().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async check(): Promise<void> {
    const started = this.wallClock();
    const version = await this.store.version();
    if (version !== this.version) {
      const years = version === 0 ? [] : await this.store.years();
      useCalendarYears(years.map(toYearData));
      this.version = version;
    }
    this.checkedAt = started;
  }
}

/** The calendar an id or alias names, or a 404 (the path names no calendar). */
export const knownCalendar = (id: string): CalendarId => {
  try {
    return resolveCalendarId(id);
  } catch {
    throw new DomainError("not_found", "CALENDAR_NOT_FOUND", `No calendar '${id}'`, {
      calendars: [...CALENDAR_IDS],
    });
  }
};

/** Calendars are maintained by managers. */
export const assertCalendarManager = (staff: StaffIdentity): void => {
  if (staff.role !== "manager") {
    throw new DomainError("forbidden", "FORBIDDEN_ROLE", "Calendars are viewed and loaded by managers");
  }
};

export type CalendarDependencies = Pick<
  Dependencies,
  "calendarStore" | "calendars" | "clock" | "log" | "newId" | "calendarJobDelayMs"
>;

/** One calendar as `GET /calendars` shows it: its years say where each came from. */
const describe = (
  overview: CalendarOverview,
  stored: readonly StoredCalendarYear[],
): CalendarOverview & {
  years: (CalendarOverview["years"][number] & {
    origin: "shipped" | "loaded";
    loadedAt?: string;
    loadedBy?: string;
    loadId?: string;
  })[];
} => ({
  ...overview,
  years: overview.years.map((y) => {
    const loaded = stored.find((s) => s.calendar === overview.id && s.year === y.year);
    return loaded
      ? {
          ...y,
          origin: "loaded" as const,
          loadedAt: loaded.loadedAt,
          loadedBy: loaded.loadedBy,
          loadId: loaded.loadId,
        }
      : { ...y, origin: "shipped" as const };
  }),
});

const jobView = (job: RecomputeJob) => ({
  jobId: job.jobId,
  reason: job.reason,
  detail: job.detail,
  calendars: job.calendars,
  status: job.status,
  runAfter: new Date(job.runAfter).toISOString(),
  createdAt: job.createdAt,
  counts: job.counts,
  ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
});

/** `GET /calendars`: every calendar, its years and horizon, the recent loads and recompute jobs. */
export const calendarsView = async (input: { staff: StaffIdentity }, deps: CalendarDependencies) => {
  assertCalendarManager(input.staff);
  await deps.calendars.refresh({ force: true });
  const [stored, loads, jobs] = await Promise.all([
    deps.calendarStore.years(),
    deps.calendarStore.loads(20),
    deps.calendarStore.jobs(10),
  ]);
  return {
    calendars: calendarOverview(deps.clock.now()).map((o) => describe(o, stored)),
    loads,
    jobs: jobs.map(jobView),
  };
};

const sameYear = (a: CalendarYearData, b: CalendarYearData) =>
  a.status === b.status &&
  a.source === b.source &&
  JSON.stringify(a.holidays) === JSON.stringify(b.holidays) &&
  JSON.stringify(a.workdays) === JSON.stringify(b.workdays);

/**
 * `PUT /calendars/{id}/years/{year}`: stores a confirmed year with its load record and the job that
 * recomputes every open complaint on the calendar, in one write. The same year again changes nothing.
 */
export const loadCalendarYear = async (
  input: { year: CalendarYearData; staff: StaffIdentity },
  deps: CalendarDependencies,
) => {
  assertCalendarManager(input.staff);
  const { year } = input;
  for (let attempt = 1; ; attempt++) {
    const version = await deps.calendarStore.version();
    await deps.calendars.refresh({ force: true });
    const stored = await deps.calendarStore.years();
    const before = activeCalendarRegistry().years.find(
      (y) => y.calendar === year.calendar && y.year === year.year,
    );
    if (before && sameYear(before, year)) {
      return { changed: false, calendar: describeOne(year.calendar, stored, deps), load: null, job: null };
    }
    const now = deps.clock.now();
    const at = now.toISOString();
    const loadId = deps.newId();
    const wasLoaded = stored.some((s) => s.calendar === year.calendar && s.year === year.year);
    const record: CalendarLoadRecord = {
      loadId,
      calendar: year.calendar,
      year: year.year,
      source: year.source,
      by: { subject: input.staff.subject, role: input.staff.role },
      at,
      replaced: before
        ? { status: before.status, source: before.source, origin: wasLoaded ? "loaded" : "shipped" }
        : null,
      holidays: year.holidays.length,
      workdays: year.workdays.length,
      version: version + 1,
    };
    const job = newJob(
      {
        jobId: loadId,
        reason: "calendar_loaded",
        detail: `${year.calendar} ${year.year} loaded (${loadId})`,
        calendars: [year.calendar],
        at,
      },
      deps.calendarJobDelayMs,
    );
    try {
      await deps.calendarStore.load({
        year: { ...year, loadId, loadedAt: at, loadedBy: input.staff.subject },
        record,
        job,
        expectedVersion: version,
      });
    } catch (e) {
      // Another load landed between the read and the write: read again (a few times) and decide again.
      if (e instanceof ConcurrentUpdateError && attempt < 3) continue;
      throw e;
    }
    await deps.calendars.refresh({ force: true });
    deps.log.info("calendar year loaded", {
      calendar: year.calendar,
      year: year.year,
      loadId,
      version: version + 1,
    });
    const after = await deps.calendarStore.years();
    return {
      changed: true,
      calendar: describeOne(year.calendar, after, deps),
      load: record,
      job: jobView(job),
    };
  }
};

const describeOne = (
  id: CalendarId,
  stored: readonly StoredCalendarYear[],
  deps: Pick<Dependencies, "clock">,
) => {
  const overview = calendarOverview(deps.clock.now()).find((o) => o.id === id);
  if (!overview) throw new Error(`calendar ${id} is not registered`);
  return describe(overview, stored);
};

const newJob = (
  input: Pick<RecomputeJob, "jobId" | "reason" | "detail" | "calendars"> & { at: string },
  delayMs: number,
): RecomputeJob => ({
  jobId: input.jobId,
  reason: input.reason,
  detail: input.detail,
  calendars: input.calendars,
  runAfter: Date.now() + delayMs,
  createdAt: input.at,
  status: "pending",
  position: { team: 0 },
  counts: { seen: 0, changed: 0, unchanged: 0, failed: 0 },
  retry: { ids: [], passes: 0, after: 0 },
  step: 0,
});

const SYSTEM = { kind: "system" as const, component: "calendar-job" };

/** Complaints read per queue page; each page's progress is saved before the next. */
export const JOB_PAGE_SIZE = 50;

export type JobDependencies = Dependencies;

/**
 * After a deploy: when the statutory rules in the code are newer than those the open complaints were last
 * recomputed under, records the new version with a job over every calendar (once, whichever container
 * gets there first). Older code (a rollback) never re-adopts its older rules.
 */
export const adoptStatutoryRules = async (deps: JobDependencies): Promise<RecomputeJob | undefined> => {
  const stored = await deps.calendarStore.rulesVersion();
  if (stored !== undefined && stored >= STATUTORY_RULES_VERSION) return undefined;
  const at = deps.clock.now().toISOString();
  const job = newJob(
    {
      jobId: deps.newId(),
      reason: "rules_corrected",
      detail: `statutory rules ${STATUTORY_RULES_VERSION}`,
      calendars: [...CALENDAR_IDS],
      at,
    },
    deps.calendarJobDelayMs,
  );
  const adopted = await deps.calendarStore.adoptRules({
    version: STATUTORY_RULES_VERSION,
    previous: stored,
    job,
  });
  if (adopted)
    deps.log.warn("statutory rules changed: recomputing open complaints", {
      from: stored ?? null,
      to: STATUTORY_RULES_VERSION,
    });
  return adopted ? job : undefined;
};

const teamsOf = (deps: Pick<Dependencies, "routing">) => [...new Set(deps.routing.map((r) => r.team))].sort();

/** Recomputes one complaint (through the commit path); 'changed', 'unchanged', or 'failed' (retried later). */
const recomputeOne = async (
  complaintId: string,
  job: RecomputeJob,
  deps: Dependencies,
): Promise<"changed" | "unchanged" | "failed"> => {
  try {
    const committed = await commitChange(
      {
        complaintId,
        plan: ({ complaint }) => {
          if (!ALLOWED[complaint.status].includes("recompute_deadlines")) return { kind: "none" };
          if (!job.calendars.includes(resolveCalendarId(complaint.sla.calendar))) return { kind: "none" };
          return {
            kind: "apply",
            command: { type: "recompute_deadlines", actor: SYSTEM, reason: job.reason, detail: job.detail },
            // A waiting stage is resumed, so its timer is re-armed on the deadlines as they now stand.
            ...(STAGE_OF[complaint.status] ? { task: "resume" as const } : {}),
          };
        },
      },
      deps,
    );
    return committed.changed ? "changed" : "unchanged";
  } catch (e) {
    deps.log.warn("recompute failed; the job retries it", { complaintId, error: (e as Error).name });
    return "failed";
  }
};

/** Retry passes over the complaints that failed, a minute apart, before the job gives up on them. */
export const JOB_RETRY_PASSES = 5;
const JOB_RETRY_GAP_MS = 60_000;

/**
 * Runs the pending recompute jobs whose time has come, a queue page at a time, until `budgetMs` (wall
 * clock) is spent; where each stands is saved after every page, so the next run (the schedule's, a
 * minute later) carries on. Two runners never both advance a job: saving a step is conditional on the
 * one read. Complaints that fail (contended, the store briefly down) are kept on the job and tried
 * again after the queues, a minute apart; after {@link JOB_RETRY_PASSES} passes the job ends with them
 * counted as failed and logged as an error, for an operator to look at.
 */
export const runCalendarJobs = async (
  deps: JobDependencies,
  options: { budgetMs: number; pageSize?: number },
): Promise<{ ran: { jobId: string; status: RecomputeJob["status"]; counts: RecomputeJob["counts"] }[] }> => {
  const deadline = Date.now() + options.budgetMs;
  await adoptStatutoryRules(deps);
  const due = (await deps.calendarStore.jobs(50))
    .filter((j) => j.status === "pending" && j.runAfter <= Date.now())
    .reverse();
  const ran: { jobId: string; status: RecomputeJob["status"]; counts: RecomputeJob["counts"] }[] = [];
  if (due.length === 0) return { ran };
  await deps.calendars.refresh({ force: true });
  const teams = teamsOf(deps);
  for (let job of due) {
    while (job.status === "pending" && Date.now() < deadline) {
      const next = await stepOf(job, teams, deps, options.pageSize ?? JOB_PAGE_SIZE);
      if (!next) break; // retries wait for a later run
      if (!(await deps.calendarStore.saveJob(next, job.step))) {
        deps.log.info("another runner advanced the recompute job", { jobId: job.jobId });
        break;
      }
      job = next;
    }
    if (job.status === "done") {
      deps.log.info("recompute job done", { jobId: job.jobId, ...job.counts });
      if (job.retry.ids.length > 0) {
        deps.log.error("recompute job gave up on complaints: recompute them by hand (docs/operations.md)", {
          jobId: job.jobId,
          complaintIds: job.retry.ids,
        });
      }
    }
    ran.push({ jobId: job.jobId, status: job.status, counts: job.counts });
    if (Date.now() >= deadline) break;
  }
  return { ran };
};

/** The job after one more step (a queue page, or a retry pass); undefined when it must wait. */
const stepOf = async (
  job: RecomputeJob,
  teams: readonly string[],
  deps: Dependencies,
  pageSize: number,
): Promise<RecomputeJob | undefined> => {
  const team = teams[job.position.team];
  const counts = { ...job.counts };
  if (team !== undefined) {
    const page = await deps.readModels.queue(team, {
      limit: pageSize,
      ...(job.position.cursor ? { cursor: job.position.cursor } : {}),
    });
    const failed: string[] = [];
    for (const c of page.items) {
      if (!job.calendars.includes(resolveCalendarId(c.sla.calendar))) continue;
      counts.seen++;
      const outcome = await recomputeOne(c.id, job, deps);
      if (outcome === "failed") failed.push(c.id);
      else counts[outcome]++;
    }
    const ids = [...job.retry.ids, ...failed];
    return {
      ...job,
      counts: { ...counts, failed: ids.length },
      retry: { ...job.retry, ids, after: Date.now() + JOB_RETRY_GAP_MS },
      position: page.cursor
        ? { team: job.position.team, cursor: page.cursor }
        : { team: job.position.team + 1 },
      step: job.step + 1,
    };
  }
  const finished = {
    status: "done" as const,
    finishedAt: deps.clock.now().toISOString(),
    step: job.step + 1,
  };
  if (job.retry.ids.length === 0 || job.retry.passes >= JOB_RETRY_PASSES) return { ...job, ...finished };
  if (Date.now() < job.retry.after) return undefined;
  const still: string[] = [];
  for (const id of job.retry.ids) {
    const outcome = await recomputeOne(id, job, deps);
    if (outcome === "failed") still.push(id);
    else counts[outcome]++;
  }
  const retried: RecomputeJob = {
    ...job,
    counts: { ...counts, failed: still.length },
    retry: { ids: still, passes: job.retry.passes + 1, after: Date.now() + JOB_RETRY_GAP_MS },
    step: job.step + 1,
  };
  return still.length === 0 ? { ...retried, ...finished } : retried;
};

/** The daily horizon figure: days of confirmed calendar ahead, per calendar (alarmed below 60). */
export const emitCalendarHorizon = async (deps: {
  calendars: CalendarSource;
  clock: Dependencies["clock"];
  metrics: MetricsSink;
  log: Log;
}) => {
  await deps.calendars.refresh({ force: true });
  const now = deps.clock.now();
  const calendars = calendarOverview(now).map(({ id, confirmedThrough, horizonDays }) => ({
    id,
    confirmedThrough,
    horizonDays,
  }));
  deps.metrics.emit(horizonMetrics(calendars, now));
  for (const c of calendars.filter((x) => x.horizonDays < 60)) {
    deps.log.warn("calendar horizon under 60 days: load the next year (docs/operations.md)", c);
  }
  return { calendars };
};
