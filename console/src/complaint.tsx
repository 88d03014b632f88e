import { useCallback, useEffect, useState } from "preact/hooks";
import { Actions } from "./actions";
import type { components } from "./api";
import { Attachments } from "./attachments";
import type { Api, ApiError, Identity, StaffView } from "./client";
import { formatInstant, type Lang, type T } from "./i18n";
import { asApiError, ErrorBox, Section } from "./ui";

type Notices = components["schemas"]["NoticeList"]["notices"];
type Verification = components["schemas"]["AuditVerification"];
interface HistoryItem {
  id: string;
  reference: string;
  status: string;
  receivedAt: string;
  outcome: string | null;
  team: string;
}

/** Every deadline on one line of time: internal targets, statutory clocks, tier time box and pauses. */
const timelineOf = (v: StaffView, t: T) => {
  const d = v.deadlines;
  const items: { at: string; label: string; note?: string }[] = [
    { at: v.receivedAt, label: t("received") },
    { at: d.acknowledgedAt, label: t("acknowledged") },
    { at: d.firstResponseBy, label: t("firstResponseBy") },
    { at: d.warningAt, label: t("warningAt") },
    { at: d.resolveBy, label: t("resolveBy") },
    ...(d.tierDueBy ? [{ at: d.tierDueBy, label: `${t("tierDueBy")} (${t("tier")} ${d.tier})` }] : []),
    ...d.statutory.map((s) => ({
      at: s.dueBy,
      label: `${t("statutoryDue")}: ${s.rule}`,
      note: [s.paused ? t("paused") : "", s.breached ? t("breached") : ""].filter(Boolean).join(", "),
    })),
    ...v.pauses.flatMap((p) => [
      { at: p.start, label: `${t("pause")}: ${p.reason}`, note: "▶" },
      ...(p.end ? [{ at: p.end, label: `${t("pause")}: ${p.reason}`, note: "■" }] : []),
    ]),
  ];
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
};

/** The complaint page: what the customer said, codes, deadlines, files, trail, notices, history and actions. */
export const ComplaintPage = (props: {
  api: Api;
  id: string;
  me: Identity;
  t: T;
  lang: Lang;
  navigate: (path: string) => void;
}) => {
  const { api, id, t, lang } = props;
  const [view, setView] = useState<StaffView | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [forbidden, setForbidden] = useState(false);
  const [conflict, setConflict] = useState<ApiError | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [verification, setVerification] = useState<Verification | undefined>();
  const [notices, setNotices] = useState<Notices | undefined>();
  const [history, setHistory] = useState<HistoryItem[] | undefined>();
  const [teams, setTeams] = useState<string[]>([]);

  const load = useCallback(async () => {
    try {
      const {
        data,
        error: err,
        response,
      } = await api.GET("/staff/complaints/{id}", {
        params: { path: { id } },
      });
      if (!data) {
        if (response.status === 403 && asApiError(err).code === "FORBIDDEN_TEAM") setForbidden(true);
        else setError(asApiError(err));
        return;
      }
      setView(data);
      setError(undefined);
      const [v, n, h] = await Promise.all([
        api.GET("/staff/complaints/{id}/audit/verify", { params: { path: { id: data.id } } }),
        api.GET("/staff/complaints/{id}/notices", { params: { path: { id: data.id } } }),
        api.GET("/customers/{id}/complaints", {
          params: { path: { id: data.customer.id }, query: {} as never },
        }),
      ]);
      setVerification(v.data);
      setNotices(n.data?.notices);
      setHistory((h.data?.items ?? []).filter((x) => x.id !== data.id));
    } catch (e) {
      setError(asApiError(e));
    }
  }, [api, id]);

  useEffect(() => {
    void load();
    void api.GET("/teams").then(({ data }) => setTeams((data?.teams ?? []).map((x) => x.team)));
  }, [load, api]);

  if (forbidden)
    return (
      <div>
        <h1>{t("notYourTeam")}</h1>
        <p role="alert">{t("notYourTeamBody")}</p>
        <p>
          <a href="/console/">{t("back")}</a>
        </p>
      </div>
    );
  if (!view)
    return (
      <div>
        <h1>{t("complaint")}</h1>
        <ErrorBox error={error} t={t} />
        {!error ? <p>{t("loading")}</p> : null}
      </div>
    );
  const tz = view.deadlines.timeZone;
  const at = (iso: string | null | undefined) => formatInstant(iso, tz, lang);
  return (
    <div>
      <p>
        <a
          href="/console/"
          onClick={(e) => {
            e.preventDefault();
            props.navigate("/console/");
          }}
        >
          ← {t("back")}
        </a>
      </p>
      <h1>
        {t("complaint")} {view.reference}
      </h1>
      <p class="status-line">
        <span class="badge" data-testid="status">
          {view.status.replace(/_/g, " ")}
        </span>{" "}
        <span class={`phase phase-${view.slaPhase}`}>{view.slaPhase}</span> · {t("team")} {view.team} ·{" "}
        {t("tier")} {view.tier} · {t("priority")} {view.priority} · {t("assignee")} {view.assignee ?? "—"} ·{" "}
        {t("version")} {view.version}
      </p>
      <p class="muted">
        {t("timeZoneNote")} {tz} ({view.deadlines.calendar})
      </p>
      {conflict ? (
        <div class="conflict" role="alert">
          <strong>{t("conflict")}</strong> ({conflict.code}): {conflict.message}. {t("conflictBody")}{" "}
          {view.status.replace(/_/g, " ")}.
        </div>
      ) : null}
      {done ? (
        <div class="notice" role="status">
          {t("done")}: {done}
        </div>
      ) : null}
      <ErrorBox error={error} t={t} />
      <Section title={t("actions")} id="h-actions">
        <Actions
          api={api}
          view={view}
          t={t}
          lang={lang}
          teams={teams}
          role={props.me.role}
          onChanged={(v) => {
            setConflict(undefined);
            setDone(v.status.replace(/_/g, " "));
            setView(v);
            void load();
          }}
          onConflict={(e) => {
            setDone(undefined);
            setConflict(e);
            void load();
          }}
        />
      </Section>
      <div class="grid">
        <Section title={t("customerSaid")} id="h-said">
          <p class="description">{view.description}</p>
          <dl>
            <dt>{t("codes")}</dt>
            <dd>
              A {view.codes.channel} · B {view.codes.businessType} · C {view.codes.cause} ({view.businessType}{" "}
              / {view.cause})
            </dd>
            <dt>{t("customer")}</dt>
            <dd>
              {view.customer.id} · {view.customer.segment}
              {view.customer.name ? ` · ${view.customer.name}` : ""}
              {view.customer.phone ? ` · ${view.customer.phone}` : ""}
              {view.customer.email ? ` · ${view.customer.email}` : ""}
            </dd>
          </dl>
        </Section>
        <Section title={t("deadlines")} id="h-deadlines">
          <ol class="timeline">
            {timelineOf(view, t).map((i) => (
              <li key={`${i.label}-${i.at}`}>
                <time dateTime={i.at}>{at(i.at)}</time> — {i.label}
                {i.note ? ` (${i.note})` : ""}
              </li>
            ))}
          </ol>
        </Section>
      </div>
      <Section title={t("attachments")} id="h-attachments">
        <Attachments api={api} view={view} t={t} at={at} onOpened={() => void load()} />
      </Section>
      <Section title={t("auditTrail")} id="h-audit">
        {verification ? (
          <p class={verification.valid ? "ok" : "bad"} role="status">
            {verification.valid
              ? `${t("chainIntact")} (${verification.events})`
              : `${t("chainBroken")} ${verification.brokenAt?.seq} (${verification.brokenAt?.reason})`}
          </p>
        ) : null}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("seq")}</th>
                <th scope="col">{t("event")}</th>
                <th scope="col">{t("at")}</th>
                <th scope="col">{t("actor")}</th>
                <th scope="col">{t("status")}</th>
              </tr>
            </thead>
            <tbody>
              {(view.audit ?? []).map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td>{e.type}</td>
                  <td>{at(e.at)}</td>
                  <td>
                    {"subject" in e.actor ? `${e.actor.kind} ${String(e.actor.subject)}` : e.actor.kind}
                  </td>
                  <td>{e.statusAfter}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <div class="grid">
        <Section title={t("notices")} id="h-notices">
          {notices?.length ? (
            <ul>
              {notices.map((n) => (
                <li key={n.seq}>
                  {at(n.at)} — {n.kind} ({n.locale}){n.satisfies ? ` · ${n.satisfies.rule}` : ""}:{" "}
                  {n.content.subject}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("noNotices")}</p>
          )}
        </Section>
        <Section title={t("otherComplaints")} id="h-history">
          {history?.length ? (
            <ul>
              {history.map((h) => (
                <li key={h.id}>
                  <a
                    href={`/console/complaints/${h.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      props.navigate(`/console/complaints/${h.id}`);
                    }}
                  >
                    {h.reference}
                  </a>{" "}
                  — {h.status} · {h.team} · {at(h.receivedAt)}
                  {h.outcome ? ` · ${h.outcome}` : ""}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("none")}</p>
          )}
        </Section>
      </div>
    </div>
  );
};
