import type { ComponentChildren } from "preact";
import type { ApiError } from "./client";
import type { T } from "./i18n";

/** An API error as people read it: its message and code, never a stack trace. */
export const ErrorBox = ({ error, t }: { error: ApiError | undefined; t: T }) =>
  error ? (
    <div class="error" role="alert">
      <strong>{t("error")}:</strong> {error.message}{" "}
      <span class="code">
        ({t("code")}: {error.code})
      </span>
    </div>
  ) : null;

export const Section = ({
  title,
  id,
  children,
}: {
  title: string;
  id: string;
  children: ComponentChildren;
}) => (
  <section aria-labelledby={id} class="card">
    <h2 id={id}>{title}</h2>
    {children}
  </section>
);

/** What a failed fetch leaves: an error in the API's shape, whatever went wrong. */
export const asApiError = (e: unknown): ApiError => {
  const body = e as { error?: ApiError } | undefined;
  if (body?.error?.code) return body.error;
  return { code: "NETWORK", message: "The API did not answer" };
};
