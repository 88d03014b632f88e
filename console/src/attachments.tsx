import { useState } from "preact/hooks";
import type { Api, ApiError, StaffView } from "./client";
import type { T } from "./i18n";
import { asApiError, ErrorBox } from "./ui";

type Attachment = StaffView["attachments"][number];

/** Bytes as people read a file's size (KiB and MiB, as the API's limits are stated). */
export const formatSize = (bytes: number): string =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * The complaint's evidence: every file with its status and checks. Only an `available` file can be
 * opened: the button asks the API for a short-lived presigned GET (each ask is a download in the
 * complaint's audit trail) and hands it to the browser, which saves the file under its name (S3 serves it
 * as an attachment). No URL is shown or kept; a pending file waits for its check, a rejected one says why.
 */
export const Attachments = (props: {
  api: Api;
  view: StaffView;
  t: T;
  at: (iso: string | null | undefined) => string;
  onOpened: () => void;
}) => {
  const { api, view, t, at } = props;
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState<string | undefined>();

  const open = async (a: Attachment) => {
    setBusy(a.id);
    setError(undefined);
    try {
      const { data, error: err } = await api.GET("/staff/complaints/{id}/attachments/{attachmentId}", {
        params: { path: { id: view.id, attachmentId: a.id } },
      });
      if (!data) {
        setError(asApiError(err));
        return;
      }
      // A navigation, not a fetch: the page's CSP allows no other origin to be read, and the browser
      // downloads the file (Content-Disposition: attachment) and stays on this page.
      location.assign(data.downloadUrl);
      props.onOpened();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(undefined);
    }
  };

  if (!view.attachments.length) return <p>{t("noAttachments")}</p>;
  return (
    <>
      <ErrorBox error={error} t={t} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("fileName")}</th>
              <th scope="col">{t("fileType")}</th>
              <th scope="col">{t("fileSize")}</th>
              <th scope="col">{t("uploadedBy")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("checks")}</th>
              <th scope="col">{t("keptUntil")}</th>
              <th scope="col">
                <span class="sr-only">{t("open")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.attachments.map((a) => (
              <tr key={a.id} data-attachment={a.id}>
                <td>
                  {a.fileName}
                  <br />
                  <span class="muted hash" title="SHA-256">
                    {a.sha256}
                  </span>
                </td>
                <td>{a.contentType}</td>
                <td>{formatSize(a.size)}</td>
                <td>
                  {a.uploadedBy === "staff" ? t("byStaff") : t("byChannel")} · {at(a.requestedAt)}
                </td>
                <td>
                  {t(`attachment_${a.status}`)}
                  {a.reason ? ` (${t(`reason_${a.reason}`)})` : ""}
                </td>
                <td>
                  {Object.entries(a.checks)
                    .map(([check, verdict]) => `${check}: ${verdict}`)
                    .join(", ") || "—"}
                </td>
                <td>{a.retainUntil ? at(a.retainUntil) : "—"}</td>
                <td>
                  {a.status === "available" ? (
                    <button
                      type="button"
                      disabled={busy === a.id}
                      aria-label={`${t("open")} ${a.fileName}`}
                      onClick={() => void open(a)}
                    >
                      {t("open")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
};
