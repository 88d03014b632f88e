import { EXIT } from "./args";

/**
 * What the CLI prints: aligned tables and key/value blocks for people, and the exit code of an answer.
 * Pure functions of the API's JSON; `--json` bypasses all of this.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON answers of the API, read field by field
type Json = Record<string, any>;

/** Columns aligned to their widest cell; `-` for empty cells. */
export const table = (headers: readonly string[], rows: readonly (readonly unknown[])[]): string => {
  const cells = rows.map((r) => r.map((c) => (c === undefined || c === null || c === "" ? "-" : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
};

/** `key  value` lines, keys aligned, empty values left out. */
export const keyValues = (pairs: readonly (readonly [string, unknown])[]): string => {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== null && v !== "");
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${String(v)}`).join("\n");
};

const deadlines = (d: Json | undefined): [string, unknown][] =>
  d
    ? [
        ["first response by", d.firstResponseBy],
        ["resolve by", d.resolveBy],
        ["tier due by", d.tierDueBy],
        ...((d.statutory ?? []) as Json[]).map(
          (s) =>
            [
              `statutory ${s.rule}`,
              `${s.dueBy}${s.paused ? " (paused)" : ""}${s.breached ? " (BREACHED)" : ""}`,
            ] as [string, unknown],
        ),
        ["calendar", `${d.calendar}${d.provisional ? " (provisional: holidays not loaded)" : ""}`],
      ]
    : [];

/** The acknowledgement of an intake. */
export const formatIntake = (body: Json, status: number): string =>
  [
    `${status === 201 ? "Submitted" : "Already submitted (same Idempotency-Key)"} ${body.reference}`,
    keyValues([
      ["id", body.id],
      ["status", body.status],
      ["team", body.team],
      ["priority", body.priority],
      ...deadlines(body.deadlines),
    ]),
  ].join("\n");

/** A complaint, as the channel or staff see it. */
export const formatComplaint = (c: Json): string => {
  const lines = [
    `${c.reference}  ${c.status}`,
    keyValues([
      ["id", c.id],
      ["version", c.version],
      ["channel", c.channel],
      ["team", c.team],
      ["priority", c.priority],
      ["tier", c.tier],
      ["assignee", c.assignee],
      ["sla", c.slaPhase],
      ["business type", c.businessType],
      ["cause", c.cause],
      ["received", c.receivedAt],
      ...deadlines(c.deadlines),
      [
        "question",
        c.pendingQuestion
          ? `${c.pendingQuestion.question} (reply by ${c.pendingQuestion.replyBy})`
          : undefined,
      ],
      ["resolution", c.resolution ? `${c.resolution.outcome}: ${c.resolution.summary}` : undefined],
      ["feedback due by", c.feedbackDueBy],
      [
        "feedback",
        c.feedback
          ? `${c.feedback.satisfaction}/5, ${c.feedback.accepted ? "accepted" : "reopened"}`
          : undefined,
      ],
      ["closed", c.closedAt],
    ]),
  ];
  if (Array.isArray(c.audit) && c.audit.length) {
    lines.push(
      "",
      table(
        ["#", "at", "event", "by", "status"],
        c.audit.map((e: Json) => [
          e.seq,
          e.at,
          e.type,
          e.actor?.subject ?? e.actor?.channel ?? e.actor?.kind,
          e.statusAfter,
        ]),
      ),
    );
  }
  return lines.join("\n");
};

/** A page (or all pages) of a team's queue. */
export const formatQueue = (page: Json): string => {
  const items = (page.items ?? []) as Json[];
  if (items.length === 0) return `The ${page.team} queue is empty.`;
  return [
    table(
      ["reference", "id", "status", "prio", "tier", "sla", "due by", "assignee"],
      items.map((i) => [i.reference, i.id, i.status, i.priority, i.tier, i.slaPhase, i.dueBy, i.assignee]),
    ),
    page.nextCursor ? `\nmore: --cursor ${page.nextCursor}   (or --all)` : "",
  ]
    .join("\n")
    .trimEnd();
};

/** A report: its rows as a table when it has rows, else its JSON. */
export const formatReport = (report: Json): string => {
  const rows = (report.rows ?? report.groups) as Json[] | undefined;
  if (!Array.isArray(rows) || rows.length === 0) return JSON.stringify(report, null, 2);
  const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
    (k) => typeof rows[0]?.[k] !== "object" || rows[0]?.[k] === null,
  );
  return table(
    headers,
    rows.map((r) => headers.map((h) => r[h])),
  );
};

/** The exit code for an HTTP answer (see USAGE). */
export const exitCodeFor = (status: number, code?: string): number => {
  if (status < 400) return EXIT.ok;
  if (code === "IDEMPOTENCY_KEY_REUSED") return EXIT.conflict;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return code === "ROUTE_NOT_FOUND" ? EXIT.usage : EXIT.notFound;
  if (status === 409 || status === 412) return EXIT.conflict;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.validation;
  return EXIT.server;
};

/** An error answer as the lines printed on stderr. */
export const formatError = (status: number, body: unknown): string => {
  const error = (body as Json | null)?.error as Json | undefined;
  if (!error)
    return `error: HTTP ${status}${typeof body === "string" && body ? `: ${body.slice(0, 200)}` : ""}`;
  const lines = [`error: ${error.code} (HTTP ${status}): ${error.message}`];
  if (Array.isArray(error.details)) {
    for (const d of error.details as Json[])
      lines.push(`  ${d.path ?? ""}: ${d.message ?? JSON.stringify(d)}`);
  } else if (error.details && typeof error.details === "object") {
    for (const [k, v] of Object.entries(error.details)) {
      lines.push(
        `  ${k}: ${Array.isArray(v) ? v.join(", ") || "(none)" : typeof v === "object" ? JSON.stringify(v) : v}`,
      );
    }
  } else if (error.details !== undefined) {
    lines.push(`  ${String(error.details)}`);
  }
  return lines.join("\n");
};
