import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import {
  type Api,
  type ApiError,
  apiClient,
  type Config,
  completeCognitoSignIn,
  currentToken,
  type Identity,
  identityOf,
  loadConfig,
  signIn,
  TOKEN_KEY,
} from "./client";
import { ComplaintPage } from "./complaint";
import { initialLang, type Lang, rememberLang, type T, words } from "./i18n";
import { QueuePageView } from "./queue";
import { asApiError, ErrorBox } from "./ui";

/** Managers download the regulatory CSV (with their token, so not a plain link) and reach the dashboard. */
const Reports = ({ api, t }: { api: Api; t: T }) => {
  const [period, setPeriod] = useState(() => {
    const now = new Date();
    return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  });
  const [error, setError] = useState<ApiError | undefined>();
  const download = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const { data, error: err } = await api.GET("/reports/regulatory", {
      params: { query: { period, format: "csv" } },
      parseAs: "blob",
    });
    if (!data) {
      setError(asApiError(err));
      return;
    }
    const url = URL.createObjectURL(data as Blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `complaints-${period}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div>
      <h1>{t("reports")}</h1>
      <p>
        <a href="/dashboard">{t("dashboard")}</a>
      </p>
      <form onSubmit={download} class="filters" noValidate>
        <div class="field">
          <label for="period">{t("period")}</label>
          <input
            id="period"
            value={period}
            onInput={(e) => setPeriod((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="primary">
          {t("downloadCsv")}
        </button>
      </form>
      <ErrorBox error={error} t={t} />
    </div>
  );
};

const usePath = (): [string, (p: string) => void] => {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const back = () => setPath(location.pathname);
    addEventListener("popstate", back);
    return () => removeEventListener("popstate", back);
  }, []);
  const navigate = (p: string) => {
    const lang = new URLSearchParams(location.search).get("lang");
    history.pushState(null, "", lang ? `${p}?lang=${lang}` : p);
    setPath(p);
    scrollTo(0, 0);
    document.getElementById("main")?.focus();
  };
  return [path, navigate];
};

const App = ({ config, me }: { config: Config; me: Identity }) => {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => words(lang), [lang]);
  const api = useMemo(() => apiClient(config), [config]);
  const [path, navigate] = usePath();
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t("appTitle");
  }, [lang, t]);
  const switchLang = () => {
    const next: Lang = lang === "en" ? "zh-CN" : "en";
    rememberLang(next);
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.set("lang", next);
      history.replaceState(null, "", url);
    }
    setLang(next);
  };
  const complaint = path.match(/^\/console\/complaints\/([^/]+)$/);
  const senior = me.role !== "agent";
  const link = (to: string, label: string) => (
    <a
      href={to}
      aria-current={path === to ? "page" : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(to);
      }}
    >
      {label}
    </a>
  );
  let page: preact.JSX.Element;
  if (complaint?.[1])
    page = (
      <ComplaintPage
        key={complaint[1]}
        api={api}
        id={decodeURIComponent(complaint[1])}
        me={me}
        t={t}
        lang={lang}
        navigate={navigate}
      />
    );
  else if (path === "/console/escalations" && senior)
    page = (
      <QueuePageView
        key="esc"
        api={api}
        me={me}
        t={t}
        lang={lang}
        title={t("escalations")}
        initialTier={me.role === "manager" ? "2" : "1"}
        navigate={navigate}
      />
    );
  else if (path === "/console/reports" && me.role === "manager") page = <Reports api={api} t={t} />;
  else
    page = (
      <QueuePageView
        key="queue"
        api={api}
        me={me}
        t={t}
        lang={lang}
        title={t("teamQueue")}
        navigate={navigate}
      />
    );
  return (
    <>
      <a class="skip" href="#main">
        {t("skip")}
      </a>
      <header>
        <span class="brand">{t("appTitle")}</span>
        <nav aria-label={t("appTitle")}>
          {link("/console/", t("queue"))}
          {senior ? link("/console/escalations", t("escalations")) : null}
          {me.role === "manager" ? link("/console/reports", t("reports")) : null}
        </nav>
        <span class="who">
          {t("signedInAs")} {me.role} · {me.teams.join(", ") || "—"}
        </span>
        <button type="button" onClick={switchLang} aria-label={`${t("language")} (${t("languageLabel")})`}>
          <span lang={lang === "en" ? "zh-CN" : "en"}>{t("language")}</span>
        </button>
        <button
          type="button"
          onClick={() => {
            sessionStorage.removeItem(TOKEN_KEY);
            signIn(config);
          }}
        >
          {t("signOut")}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
};

const start = async () => {
  const config = await loadConfig();
  const next = await completeCognitoSignIn(config);
  if (next) history.replaceState(null, "", next);
  const me = identityOf(currentToken());
  // Expired or missing: sign in, and come back here.
  if (!me) {
    signIn(config);
    return;
  }
  const root = document.getElementById("app");
  if (root) render(<App config={config} me={me} />, root);
};

void start();
