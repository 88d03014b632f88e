import { useEffect, useRef, useState } from "preact/hooks";
import { ROOT_CAUSE_LABELS, ROOT_CAUSES } from "../../functions/domain/codes";
import {
  type ActionType,
  type Api,
  type ApiError,
  type Identity,
  newIdempotencyKey,
  type StaffView,
} from "./client";
import type { Key, Lang, T } from "./i18n";
import { asApiError, ErrorBox } from "./ui";

/** A form field, named by the path the API reports its validation messages under. */
interface Field {
  /** The body path (`resolution.summary`). */
  path: string;
  label: Key;
  kind: "text" | "textarea" | "select" | "checkbox" | "number" | "date";
  options?: readonly { value: string; label: string }[];
}

const OUTCOMES = ["upheld", "partially_upheld", "rejected"] as const;
const LEVELS = ["cn_30", "cn_60", "holding_reply"] as const;
const opts = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));

/** The fields of each action, as the API's body names them (see StaffAction in docs/openapi.json). */
const fieldsOf = (type: ActionType, lang: Lang, teams: string[], role: Identity["role"]): Field[] => {
  switch (type) {
    case "claim":
      // Only a supervisor or manager may take over a complaint someone else holds.
      return role === "agent" ? [] : [{ path: "takeOver", label: "field_takeOver", kind: "checkbox" }];
    case "note":
      return [{ path: "note", label: "field_note", kind: "textarea" }];
    case "request_info":
      return [{ path: "question", label: "field_question", kind: "textarea" }];
    case "start_appraisal":
    case "escalate":
    case "resume":
      return [{ path: "reason", label: "field_reason", kind: "textarea" }];
    case "end_appraisal":
      return [{ path: "findings", label: "field_findings", kind: "textarea" }];
    case "complete_remediation":
      return [{ path: "evidence", label: "field_evidence", kind: "textarea" }];
    case "reassign":
      return [
        { path: "team", label: "field_team", kind: "select", options: opts(teams) },
        { path: "reason", label: "field_reason", kind: "textarea" },
      ];
    case "extend":
      return [
        { path: "level", label: "field_level", kind: "select", options: opts(LEVELS) },
        { path: "totalDays", label: "field_totalDays", kind: "number" },
        { path: "expectedBy", label: "field_expectedBy", kind: "date" },
        { path: "reason", label: "field_reason", kind: "textarea" },
      ];
    case "resolve":
      return [
        { path: "resolution.outcome", label: "field_outcome", kind: "select", options: opts(OUTCOMES) },
        { path: "resolution.summary", label: "field_summary", kind: "textarea" },
        {
          path: "resolution.rootCause",
          label: "field_rootCause",
          kind: "select",
          options: ROOT_CAUSES.map((r) => ({
            value: r,
            label: ROOT_CAUSE_LABELS[r][lang === "en" ? "en" : "zh"],
          })),
        },
        { path: "resolution.remedy.amount", label: "field_remedyAmount", kind: "text" },
        { path: "resolution.remedy.currency", label: "field_remedyCurrency", kind: "text" },
        {
          path: "resolution.remediation.description",
          label: "field_remediationDescription",
          kind: "textarea",
        },
        { path: "resolution.remediation.owner", label: "field_remediationOwner", kind: "text" },
        { path: "resolution.remediation.dueBy", label: "field_remediationDueBy", kind: "date" },
      ];
  }
};

/** The body from the form's values: empty fields are left out (so optional objects stay absent). */
const bodyOf = (type: ActionType, values: Record<string, string | boolean>): Record<string, unknown> => {
  const body: Record<string, unknown> = { type };
  for (const [path, raw] of Object.entries(values)) {
    if (raw === "" || raw === false) continue;
    const value = path === "totalDays" && typeof raw === "string" ? Number(raw) : raw;
    const parts = path.split(".");
    let at = body;
    for (const p of parts.slice(0, -1)) {
      at[p] ??= {};
      at = at[p] as Record<string, unknown>;
    }
    at[parts[parts.length - 1] as string] = value;
  }
  return body;
};

const fieldId = (path: string) => `field-${path.replace(/\./g, "-")}`;

/** Where an API validation message belongs: `body.resolution.summary` -> the Summary field. */
const fieldOfDetail = (path: string, fields: Field[]): Field | undefined => {
  const p = path.replace(/^body\./, "");
  return fields.find((f) => f.path === p) ?? fields.find((f) => f.path.startsWith(`${p}.`));
};

/**
 * One staff action as a form. It is sent conditional on the version the user saw (`If-Match`) with a
 * key for this intent (`Idempotency-Key`: the same key while the body is the same, so a retry is safe).
 */
const ActionForm = (props: {
  api: Api;
  view: StaffView;
  type: ActionType;
  t: T;
  lang: Lang;
  teams: string[];
  role: Identity["role"];
  onDone: (view: StaffView) => void;
  onConflict: (error: ApiError) => void;
  onCancel: () => void;
}) => {
  const { t, type } = props;
  const fields = fieldsOf(
    type,
    props.lang,
    props.teams.filter((x) => x !== props.view.team),
    props.role,
  );
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const intent = useRef<{ body: string; key: string } | undefined>(undefined);
  const first = useRef<HTMLFormElement>(null);

  useEffect(() => {
    first.current?.querySelector<HTMLElement>("input,select,textarea,button")?.focus();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = bodyOf(type, values);
    const json = JSON.stringify(body);
    if (intent.current?.body !== json) intent.current = { body: json, key: newIdempotencyKey() };
    setBusy(true);
    setFieldErrors({});
    setError(undefined);
    try {
      const {
        data,
        error: err,
        response,
      } = await props.api.POST("/staff/complaints/{id}/actions", {
        params: {
          path: { id: props.view.id },
          header: { "If-Match": `"${props.view.version}"`, "Idempotency-Key": intent.current.key },
        },
        body: body as never,
      });
      if (data) {
        props.onDone(data);
        return;
      }
      const apiError = asApiError(err);
      if (response.status === 409 || response.status === 412) {
        props.onConflict(apiError);
        return;
      }
      const details = (apiError.details ?? []) as { path: string; message: string }[];
      const byField: Record<string, string> = {};
      const rest: string[] = [];
      for (const d of Array.isArray(details) ? details : []) {
        const f = fieldOfDetail(d.path, fields);
        if (f) byField[f.path] = byField[f.path] ? `${byField[f.path]}; ${d.message}` : d.message;
        else rest.push(`${d.path}: ${d.message}`);
      }
      setFieldErrors(byField);
      setError(rest.length ? { ...apiError, message: `${apiError.message}: ${rest.join("; ")}` } : apiError);
      const firstBad = fields.find((f) => byField[f.path]);
      if (firstBad) document.getElementById(fieldId(firstBad.path))?.focus();
    } catch (x) {
      setError(asApiError(x));
    } finally {
      setBusy(false);
    }
  };

  const title = t(`action_${type}` as Key);
  return (
    <form class="action-form card" onSubmit={submit} ref={first} noValidate aria-labelledby="action-title">
      <h3 id="action-title">{title}</h3>
      {fields.map((f) => {
        const id = fieldId(f.path);
        const message = fieldErrors[f.path];
        const described = message ? `${id}-error` : undefined;
        const set = (v: string | boolean) => setValues({ ...values, [f.path]: v });
        const common = {
          id,
          name: f.path,
          "aria-invalid": message ? ("true" as const) : undefined,
          "aria-describedby": described,
        };
        return (
          <div class={`field ${f.kind === "checkbox" ? "check" : ""}`} key={f.path}>
            {f.kind === "checkbox" ? (
              <>
                <input
                  type="checkbox"
                  {...common}
                  checked={values[f.path] === true}
                  onChange={(e) => set((e.currentTarget as HTMLInputElement).checked)}
                />
                <label for={id}>{t(f.label)}</label>
              </>
            ) : (
              <>
                <label for={id}>{t(f.label)}</label>
                {f.kind === "textarea" ? (
                  <textarea
                    {...common}
                    rows={3}
                    value={String(values[f.path] ?? "")}
                    onInput={(e) => set((e.currentTarget as HTMLTextAreaElement).value)}
                  />
                ) : f.kind === "select" ? (
                  <select
                    {...common}
                    value={String(values[f.path] ?? "")}
                    onChange={(e) => set((e.currentTarget as HTMLSelectElement).value)}
                  >
                    <option value="">{t("choose")}</option>
                    {(f.options ?? []).map((o) => (
                      <option value={o.value} key={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...common}
                    type={(f.kind === "number" ? "number" : f.kind === "date" ? "date" : "text") as "text"}
                    value={String(values[f.path] ?? "")}
                    onInput={(e) => set((e.currentTarget as HTMLInputElement).value)}
                  />
                )}
              </>
            )}
            {message ? (
              <p class="field-error" id={described}>
                {message}
              </p>
            ) : null}
          </div>
        );
      })}
      <ErrorBox error={error} t={t} />
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          {t("confirm")}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
};

/** A button per action the complaint's `allowedActions` permit for this user; each opens its form. */
export const Actions = (props: {
  api: Api;
  view: StaffView;
  t: T;
  lang: Lang;
  teams: string[];
  role: Identity["role"];
  onChanged: (view: StaffView) => void;
  onConflict: (error: ApiError) => void;
}) => {
  const { t } = props;
  const [open, setOpen] = useState<ActionType | undefined>();
  useEffect(() => setOpen(undefined), [props.view.version]);
  if (props.view.allowedActions.length === 0) return <p>{t("noActions")}</p>;
  return (
    <div>
      <fieldset class="buttons plain">
        <legend class="sr-only">{t("actions")}</legend>
        {props.view.allowedActions.map((a) => (
          <button
            type="button"
            key={a}
            aria-expanded={open === a}
            onClick={() => setOpen(open === a ? undefined : a)}
          >
            {t(`action_${a}` as Key)}
          </button>
        ))}
      </fieldset>
      {open ? (
        <ActionForm
          key={open}
          api={props.api}
          view={props.view}
          type={open}
          t={t}
          lang={props.lang}
          teams={props.teams}
          role={props.role}
          onDone={(v) => {
            setOpen(undefined);
            props.onChanged(v);
          }}
          onConflict={(e) => {
            setOpen(undefined);
            props.onConflict(e);
          }}
          onCancel={() => setOpen(undefined)}
        />
      ) : null}
    </div>
  );
};
