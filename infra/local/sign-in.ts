import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import { ROLES } from "../../functions/domain/codes";
import { teamSchema } from "../../functions/domain/schemas";
import { parseJsonBody } from "../../functions/http/body";
import { errorBody, HttpError, validationDetails } from "../../functions/http/errors";
import { issueStaffToken } from "./auth";
import { type LocalRequest, readBody, send, sendError, tooLarge } from "./gateway";

/**
 * The embedded target's sign-in, for pages in a browser (the dashboard and the staff console):
 * `GET /local/sign-in?next=/path` is a form (Team, Role); `POST /local/sign-in` with `{ team, role }`
 * answers a staff token from the same signer as `npm run token`. The page keeps it in sessionStorage and
 * goes back to `next`, a path on this origin only. It answers on loopback only: the socket's peer must be
 * this machine (403 otherwise), and so must the Host the browser named (which a DNS-rebinding page
 * cannot fake into a loopback name). On AWS, staff sign in through Cognito; nothing here is deployed.
 */

export const SIGN_IN_PATH = "/local/sign-in";
/** Where the page goes after signing in when it was not told. */
const DEFAULT_NEXT = "/dashboard";
/** The key the pages keep the token under (sessionStorage: one tab, gone when it closes). */
export const TOKEN_STORAGE_KEY = "complaints.staffToken";
const MAX_SIGN_IN_BYTES = 4 * 1024;

const isLoopbackAddress = (address: string | undefined) =>
  !!address && (/^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === "::1");

const isLoopbackHost = (host: string | undefined) => {
  const name = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  return name === "localhost" || name === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
};

/** A `next` that stays on this origin (a path, not `//host` or `/\host`), or undefined. */
export const sameOriginPath = (raw: string | null): string | undefined => {
  if (raw === null || raw === "") return DEFAULT_NEXT;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  if (!raw.startsWith("/") || raw.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(raw)) return undefined;
  const base = "http://sign-in.invalid";
  const url = new URL(raw, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : undefined;
};

const signInRequestSchema = z
  .object({
    team: z
      .string()
      .max(200)
      .optional()
      .describe("a team, or several separated by commas; a manager may leave it out"),
    role: z.enum(ROLES),
  })
  .strict();

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC",sans-serif;background:#f3f5f9;color:#1d2433}
main{max-width:420px;margin:64px auto;background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(20,33,61,.12);padding:24px 28px}
h1{margin:0 0 8px;font-size:21px}
.local{font-size:13px;color:#5c677d;background:#fff8e1;border-left:4px solid #f59e0b;padding:8px 10px;border-radius:4px}
label{display:block;font-weight:600;margin:16px 0 4px}
input,select{width:100%;font:inherit;padding:8px 10px;border:1px solid #8a94a6;border-radius:6px}
[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
input:focus,select:focus,button:focus{outline:3px solid #2563eb;outline-offset:1px}
.hint{font-size:12.5px;color:#5c677d;margin:4px 0 0}
button{margin-top:20px;font:inherit;font-weight:600;padding:9px 18px;border:0;border-radius:6px;background:#14213d;color:#fff;cursor:pointer}
#error{color:#b91c1c;min-height:1.5em;margin:12px 0 0}
`;

const SCRIPT = `
const next = JSON.parse(document.getElementById("next").textContent);
const form = document.getElementById("sign-in");
const error = document.getElementById("error");
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  error.textContent = "";
  const team = document.getElementById("team").value.trim();
  const role = document.getElementById("role").value;
  try {
    const r = await fetch("${SIGN_IN_PATH}", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(team ? { team, role } : { role }),
    });
    const body = await r.json();
    for (const id of ["team", "role"]) document.getElementById(id).removeAttribute("aria-invalid");
    if (!r.ok) {
      const details = (body.error && body.error.details) || [];
      error.textContent = details.length
        ? details.map((d) => d.path + " " + d.message).join("; ")
        : (body.error && body.error.message) || "Signing in failed";
      const field = details.length && document.getElementById(details[0].path);
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.focus();
      }
      return;
    }
    sessionStorage.setItem(${JSON.stringify(TOKEN_STORAGE_KEY)}, body.token);
    location.assign(next);
  } catch {
    error.textContent = "The local stack did not answer";
  }
});
`;
const SCRIPT_HASH = `sha256-${createHash("sha256").update(SCRIPT).digest("base64")}`;

const page = (next: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign in — complaint handling (local)</title><link rel="icon" href="data:,"><style>${CSS}</style></head>
<body><main>
<h1>Sign in</h1>
<p class="local"><strong>Local only.</strong> This page exists only on the embedded target (<code>npm start</code>)
and answers on this machine only. It signs a staff token with the local key, as <code>npm run token</code>
does; on AWS, staff sign in through Cognito.</p>
<form id="sign-in" novalidate>
<label for="team">Team</label>
<input id="team" name="team" autocomplete="off" spellcheck="false" placeholder="cards" aria-describedby="team-hint error">
<p id="team-hint" class="hint">One team, or several separated by commas. A manager may leave it empty.</p>
<label for="role">Role</label>
<select id="role" name="role" aria-describedby="error">${ROLES.map((r) => `<option value="${r}">${r}</option>`).join("")}</select>
<button type="submit">Sign in</button>
<p id="error" role="alert" aria-live="assertive"></p>
</form></main>
<script type="application/json" id="next">${JSON.stringify(next).replace(/</g, "\\u003c")}</script>
<script>${SCRIPT}</script>
</body></html>`;

const HTML_HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": `default-src 'none'; script-src '${SCRIPT_HASH}'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

/** The gateway's `extra` hook for `/local/sign-in`; declines every other path. */
export const localSignIn =
  (opts: { secret: Uint8Array }) =>
  async (req: IncomingMessage, res: ServerResponse, local: LocalRequest): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname !== SIGN_IN_PATH) return false;
    if (!isLoopbackAddress(req.socket.remoteAddress) || !isLoopbackHost(req.headers.host)) {
      sendError(
        res,
        local,
        403,
        "ACCESS_DENIED",
        "The local sign-in answers on this machine (loopback) only",
      );
      return true;
    }
    if (req.method === "GET") {
      const next = sameOriginPath(url.searchParams.get("next"));
      if (next === undefined) {
        sendError(
          res,
          local,
          400,
          "VALIDATION_FAILED",
          "next must be a path on this site (such as /dashboard)",
        );
        return true;
      }
      send(res, 200, page(next), HTML_HEADERS);
      return true;
    }
    if (req.method !== "POST") {
      sendError(res, local, 405, "METHOD_NOT_ALLOWED", "Method not allowed", { Allow: "GET, POST" });
      return true;
    }
    const raw = await readBody(req, MAX_SIGN_IN_BYTES);
    if (raw === "too_large") {
      tooLarge(res, local.requestId);
      return true;
    }
    try {
      const headers = Object.create(null) as Record<string, string>;
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === "string") headers[name] = value;
      // As base64, so the body rules judge the very bytes (UTF-8 is checked after the media type).
      const json = parseJsonBody(
        { headers, body: raw.toString("base64"), isBase64Encoded: true },
        MAX_SIGN_IN_BYTES,
      );
      const parsed = signInRequestSchema.safeParse(json);
      if (!parsed.success) {
        throw new HttpError(
          400,
          "VALIDATION_FAILED",
          "The body is not valid",
          validationDetails(parsed.error),
        );
      }
      const teams = (parsed.data.team ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      const badTeam = teams.find((t) => !teamSchema.safeParse(t).success);
      if (badTeam !== undefined || (teams.length === 0 && parsed.data.role !== "manager")) {
        throw new HttpError(400, "VALIDATION_FAILED", "The body is not valid", [
          {
            path: "team",
            message:
              badTeam !== undefined
                ? "must be team names such as 'cards', separated by commas"
                : "is required unless the role is manager",
          },
        ]);
      }
      const { role } = parsed.data;
      const token = await issueStaffToken(opts.secret, {
        teams,
        role,
        subject: `local-${role}-${teams.join("-") || "all-teams"}`,
      });
      const { exp } = JSON.parse(Buffer.from(token.split(".")[1] as string, "base64url").toString()) as {
        exp: number;
      };
      send(
        res,
        200,
        JSON.stringify({
          token,
          tokenType: "Bearer",
          expiresAt: new Date(exp * 1000).toISOString(),
          teams,
          role,
        }),
        { "Cache-Control": "no-store" },
      );
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      send(res, e.statusCode, errorBody(e, local.requestId), { "Cache-Control": "no-store" });
    }
    return true;
  };
