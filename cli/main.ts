import { readFileSync } from "node:fs";
import type { Channel, Role } from "../functions/domain/codes";
import { EXIT, type Invocation, parseInvocation, USAGE, UsageError } from "./args";
import { exitCodeFor, formatComplaint, formatError, formatIntake, formatQueue, formatReport } from "./format";

// `npm run cli -- <command>`: the API from a terminal, for people (tables) and scripts (--json, exit codes).

const out = (s: string) => process.stdout.write(s.endsWith("\n") ? s : `${s}\n`);
const err = (s: string) => process.stderr.write(s.endsWith("\n") ? s : `${s}\n`);

const readJson = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
};

/** The auth header; local credentials are minted from the local stack's secret (`.local/auth-secret`). */
const authHeader = async (inv: Invocation): Promise<Record<string, string>> => {
  const c = inv.credentials;
  if (!c) return {};
  if (c.kind === "apiKey") return { "x-api-key": c.value };
  if (c.kind === "token") return { authorization: `Bearer ${c.value}` };
  const { CHANNELS, ROLES } = await import("../functions/domain/codes");
  const { apiKeyFor, issueStaffToken, loadSecret } = await import("../infra/local/auth");
  if (c.kind === "mintApiKey") {
    if (!(CHANNELS as readonly string[]).includes(c.channel)) {
      throw new UsageError(`--channel must be one of ${CHANNELS.join(", ")}`);
    }
    return { "x-api-key": apiKeyFor(loadSecret(), c.channel as Channel) };
  }
  if (!(ROLES as readonly string[]).includes(c.role))
    throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const token = await issueStaffToken(loadSecret(), { teams: c.teams, role: c.role as Role, subject: "cli" });
  return { authorization: `Bearer ${token}` };
};

const call = async (
  inv: Invocation,
  headers: Record<string, string>,
  query?: Record<string, string>,
  plan: Invocation["plan"] = inv.plan,
) => {
  const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : "";
  const res = await fetch(`${inv.url}${plan.path}${qs}`, {
    method: plan.method,
    headers: {
      ...headers,
      ...(plan.headers ?? {}),
      ...(plan.body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(plan.body !== undefined ? { body: JSON.stringify(plan.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // CSV or a non-JSON proxy answer: keep the text.
  }
  return { status: res.status, body, etag: res.headers.get("etag") };
};

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, shaped by the route
const render = (inv: Invocation, status: number, body: any): string => {
  if (inv.json) return JSON.stringify(body, null, 2);
  switch (inv.plan.view) {
    case "intake":
      return formatIntake(body, status);
    case "complaint":
    case "staffComplaint":
      return formatComplaint(body);
    case "queue":
      return formatQueue(body);
    case "report":
      return formatReport(body);
    default:
      return typeof body === "string" ? body : JSON.stringify(body, null, 2);
  }
};

const main = async (argv: string[]): Promise<number> => {
  let inv: Invocation | "help";
  try {
    inv = parseInvocation(argv, process.env, readJson);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`cli: ${e.message}\n(npm run cli -- --help lists the commands)`);
    return EXIT.usage;
  }
  if (inv === "help") {
    out(USAGE);
    return EXIT.ok;
  }
  try {
    const headers = await authHeader(inv);
    if (!inv.credentials) {
      err(
        inv.plan.auth === "channel"
          ? "cli: no channel credentials: --api-key or COMPLAINTS_API_KEY (locally: --channel mobile_app)"
          : "cli: no staff credentials: --token or COMPLAINTS_TOKEN (locally: --team cards --role agent)",
      );
      return EXIT.auth;
    }
    // A decision is sent on the version it was decided on: the one given, or the one read just now.
    if (inv.plan.decidesOn) {
      const read = await call(inv, headers, undefined, {
        ...inv.plan,
        method: "GET",
        path: inv.plan.decidesOn,
        body: undefined,
        headers: {},
      });
      // Unreadable (no such complaint, not the caller's): the action's own answer says why.
      if (read.status === 200 && read.etag) inv.plan.headers = { ...inv.plan.headers, "If-Match": read.etag };
    }
    let { status, body } = await call(inv, headers, inv.plan.query);
    // queue --all: follow the cursor and print one page with every item.
    type Page = { items: unknown[]; nextCursor?: string | null };
    while (inv.plan.allPages && status === 200 && (body as Page | null)?.nextCursor) {
      const previous = body as Page;
      const next = await call(inv, headers, { ...inv.plan.query, cursor: previous.nextCursor as string });
      if (next.status !== 200) {
        ({ status, body } = next);
        break;
      }
      body = { ...(next.body as Page), items: [...previous.items, ...(next.body as Page).items] };
    }
    const code = exitCodeFor(status, (body as { error?: { code?: string } } | null)?.error?.code);
    if (code !== EXIT.ok) {
      err(formatError(status, body));
      return code;
    }
    out(render(inv, status, body));
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`cli: ${e.message}`);
      return EXIT.usage;
    }
    const cause = (e as Error & { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    const reason = cause?.code ?? cause?.errors?.[0]?.code;
    err(
      `cli: cannot reach ${inv.url}: ${reason ?? (e as Error).message}${reason === "ECONNREFUSED" ? " (is `npm start` running?)" : ""}`,
    );
    return EXIT.server;
  }
};

process.exitCode = await main(process.argv.slice(2));
