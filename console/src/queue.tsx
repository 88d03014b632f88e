import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Api, ApiError, Identity, QueuePage } from "./client";
import { formatInstant, formatMinutes, type Lang, type T } from "./i18n";
import { asApiError, ErrorBox } from "./ui";

const STAGES = [
  "received",
  "in_progress",
  "awaiting_customer",
  "awaiting_feedback",
  "needs_attention",
] as const;
const PHASES = ["on_track", "at_risk", "breached"] as const;
const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
const TIERS = ["0", "1", "2", "3"] as const;
const REFRESH_MS = 10_000;

export interface QueueFilters {
  stage?: string;
  sla?: string;
  tier?: string;
  priority?: string;
}

const Select = (props: {
  id: string;
  label: string;
  value: string | undefined;
  options: readonly string[];
  any: string;
  onChange: (v: string | undefined) => void;
}) => (
  <div class="field">
    <label for={props.id}>{props.label}</label>
    <select
      id={props.id}
      value={props.value ?? ""}
      onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value || undefined)}
    >
      <option value="">{props.any}</option>
      {props.options.map((o) => (
        <option value={o} key={o}>
          {o}
        </option>
      ))}
    </select>
  </div>
);

/**
 * A team's queue, nearest deadline first, as the API pages it. It refreshes itself every few seconds on
 * the page the user is on (same filters, same cursor), so their place is kept.
 */
export const QueuePageView = (props: {
  api: Api;
  me: Identity;
  t: T;
  lang: Lang;
  title: string;
  initialTier?: string;
  navigate: (path: string) => void;
}) => {
  const { api, me, t, lang } = props;
  const [teams, setTeams] = useState<string[]>(me.teams);
  const [team, setTeam] = useState<string | undefined>(me.teams[0]);
  const [filters, setFilters] = useState<QueueFilters>(props.initialTier ? { tier: props.initialTier } : {});
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<QueuePage | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [refreshedAt, setRefreshedAt] = useState<Date | undefined>();
  const cursor = cursors[cursors.length - 1];
  const inFlight = useRef(false);

  useEffect(() => {
    void api.GET("/teams").then(({ data }) => {
      if (!data) return;
      // Managers may open any team's queue; others their own.
      const open = data.teams.filter((x) => me.role === "manager" || x.member).map((x) => x.team);
      setTeams(open);
      setTeam((current) => current ?? open[0]);
    });
  }, [api, me.role]);

  const load = useCallback(async () => {
    if (!team || inFlight.current) return;
    inFlight.current = true;
    try {
      const query: Record<string, string> = { limit: "25" };
      for (const [k, v] of Object.entries(filters)) if (v) query[k] = v;
      if (cursor) query.cursor = cursor;
      const { data, error: err } = await api.GET("/queues/{team}", {
        params: { path: { team }, query: query as never },
      });
      if (data) {
        setPage(data);
        setError(undefined);
        setRefreshedAt(new Date());
      } else setError(asApiError(err));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      inFlight.current = false;
    }
  }, [api, team, filters, cursor]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const setFilter = (key: keyof QueueFilters) => (v: string | undefined) => {
    setFilters({ ...filters, [key]: v });
    setCursors([undefined]);
  };

  return (
    <div>
      <h1>{props.title}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t("teamQueue")}>
        <Select
          id="f-team"
          label={t("team")}
          value={team}
          options={teams}
          any={t("choose")}
          onChange={(v) => {
            setTeam(v);
            setCursors([undefined]);
          }}
        />
        <Select
          id="f-stage"
          label={t("stage")}
          value={filters.stage}
          options={STAGES}
          any={t("any")}
          onChange={setFilter("stage")}
        />
        <Select
          id="f-sla"
          label={t("slaPhase")}
          value={filters.sla}
          options={PHASES}
          any={t("any")}
          onChange={setFilter("sla")}
        />
        <Select
          id="f-tier"
          label={t("tier")}
          value={filters.tier}
          options={TIERS}
          any={t("any")}
          onChange={setFilter("tier")}
        />
        <Select
          id="f-priority"
          label={t("priority")}
          value={filters.priority}
          options={PRIORITIES}
          any={t("any")}
          onChange={setFilter("priority")}
        />
      </form>
      <ErrorBox error={error} t={t} />
      <p class="muted">
        {refreshedAt ? `${t("refreshedAt")} ${refreshedAt.toLocaleTimeString(lang)}` : t("loading")}
      </p>
      {page && page.items.length === 0 ? <p>{t("empty")}</p> : null}
      {page && page.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{`${t("teamQueue")}: ${page.team}`}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reference")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("slaPhase")}</th>
                <th scope="col">{t("tier")}</th>
                <th scope="col">{t("priority")}</th>
                <th scope="col">{t("segment")}</th>
                <th scope="col">{t("businessTimeLeft")}</th>
                <th scope="col">{t("dueBy")}</th>
                <th scope="col">{t("statutoryDue")}</th>
                <th scope="col">{t("assignee")}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr key={row.id}>
                  <th scope="row">
                    <a
                      href={`/console/complaints/${row.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        props.navigate(`/console/complaints/${row.id}`);
                      }}
                    >
                      {row.reference}
                    </a>
                  </th>
                  <td>{row.status}</td>
                  <td>
                    <span class={`phase phase-${row.slaPhase}`}>{row.slaPhase}</span>
                  </td>
                  <td>{row.tier}</td>
                  <td>{row.priority}</td>
                  <td>{row.segment}</td>
                  <td>{formatMinutes(row.businessMinutesLeft, t)}</td>
                  <td>{formatInstant(row.dueBy, row.timeZone, lang)}</td>
                  <td>{formatInstant(row.statutoryDueBy, row.timeZone, lang)}</td>
                  <td>{row.assignee ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <nav class="pager" aria-label="pages">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors([undefined])}>
          {t("firstPage")}
        </button>
        <button
          type="button"
          disabled={!page?.nextCursor}
          onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
        >
          {t("nextPage")}
        </button>
      </nav>
    </div>
  );
};
