import { createHash } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SHIPPED_YEARS } from "../../functions/domain/calendar";
import type { HandlerId } from "../../functions/handlers/catalog";
import { ROUTES, type Route } from "../../functions/http/routes";
import { AUDIENCE, ISSUER } from "../../infra/local/auth";
import { complaintBody, type Harness, newKey, startHarness } from "./harness";

// Every route x every identity, answered exactly as designed: the gateway refuses missing and bad
// credentials (403 INVALID_API_KEY on channel routes, 401 UNAUTHORIZED on staff routes); handlers refuse
// the wrong channel (404: another channel's complaint is indistinguishable from none), the wrong team
// (403 FORBIDDEN_TEAM) and the wrong role (403 FORBIDDEN_ROLE).
let h: Harness;
let id = "";
/** An available attachment of the complaint (downloads are answered for it). */
let attachmentId = "";
const headers: Record<string, Record<string, string>> = {};

type Identity =
  | "none"
  | "owner_channel"
  | "other_channel"
  | "unknown_api_key"
  | "agent"
  | "supervisor"
  | "manager"
  | "agent_other_team"
  | "expired_jwt"
  | "wrong_key_jwt"
  | "alg_none_jwt"
  | "tampered_jwt"
  | "wrong_issuer_jwt"
  | "no_exp_jwt"
  | "long_lived_jwt"
  | "access_token_jwt"
  | "future_iat_jwt"
  | "staff_jwt_as_api_key";
const IDENTITIES: Identity[] = [
  "none",
  "owner_channel",
  "other_channel",
  "unknown_api_key",
  "agent",
  "supervisor",
  "manager",
  "agent_other_team",
  "expired_jwt",
  "wrong_key_jwt",
  "alg_none_jwt",
  "tampered_jwt",
  "wrong_issuer_jwt",
  "no_exp_jwt",
  "long_lived_jwt",
  "access_token_jwt",
  "future_iat_jwt",
  "staff_jwt_as_api_key",
];
/** Tokens Cognito's authorizer would refuse although our key signed them (each a manager's, to be sure). */
const REFUSED_SIGNED: Identity[] = ["no_exp_jwt", "long_lived_jwt", "access_token_jwt", "future_iat_jwt"];

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const claims = (role: string, team = "cards") => ({
  "cognito:groups": [`team:${team}`, `role:${role}`],
  token_use: "id",
});
const sign = (
  payload: Record<string, unknown>,
  key: Uint8Array,
  opts: { exp?: number | null; iss?: string; iat?: number } = {},
) => {
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject("attacker")
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(opts.iat);
  if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? "1h");
  return jwt.sign(key);
};
const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  h = await startHarness({ timeScale: 60 });
  const created = await h.submit("mobile_app", complaintBody());
  expect(created.status).toBe(201);
  id = created.body.id;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const agent = await h.staffToken(["cards"], "agent", "agent-ac");
  const [p0, p1] = agent.split(".") as [string, string];
  const tamperedPayload = { ...JSON.parse(Buffer.from(p1, "base64url").toString()), ...claims("manager") };
  Object.assign(headers, {
    none: {},
    owner_channel: { "x-api-key": h.apiKey("mobile_app") },
    other_channel: { "x-api-key": h.apiKey("branch") },
    unknown_api_key: { "x-api-key": `cmp_mobile_app_${"A".repeat(32)}` },
    agent: bearer(agent),
    supervisor: bearer(await h.staffToken(["cards"], "supervisor", "sup-ac")),
    manager: bearer(await h.staffToken(["cards"], "manager", "mgr-ac")),
    agent_other_team: bearer(await h.staffToken(["loans"], "agent", "agent-loans")),
    expired_jwt: bearer(
      await sign(claims("agent"), h.stack.secret, { exp: Math.floor(Date.now() / 1000) - 60 }),
    ),
    wrong_key_jwt: bearer(
      await sign(claims("manager"), new TextEncoder().encode("not-the-local-secret-at-all-0000")),
    ),
    alg_none_jwt: bearer(
      `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims("manager"), sub: "x", iss: ISSUER, aud: AUDIENCE, exp: 9999999999 })}.`,
    ),
    tampered_jwt: bearer(`${p0}.${b64(tamperedPayload)}.${agent.split(".")[2]}`),
    wrong_issuer_jwt: bearer(await sign(claims("manager"), h.stack.secret, { iss: "someone-else" })),
    no_exp_jwt: bearer(await sign(claims("manager"), h.stack.secret, { exp: null })),
    long_lived_jwt: bearer(
      await sign(claims("manager"), h.stack.secret, { iat: nowSeconds(), exp: nowSeconds() + 13 * 3600 }),
    ),
    access_token_jwt: bearer(await sign({ ...claims("manager"), token_use: "access" }, h.stack.secret)),
    future_iat_jwt: bearer(
      await sign(claims("manager"), h.stack.secret, { iat: nowSeconds() + 600, exp: nowSeconds() + 3600 }),
    ),
    staff_jwt_as_api_key: { "x-api-key": agent },
  });
  // One file attached and checked, so a rightful download is answered with its URL.
  const pdf = Buffer.from("%PDF-1.4\n%%EOF\n");
  const asked = await h.request("POST", `/complaints/${id}/attachments`, {
    headers: { "x-api-key": h.apiKey("mobile_app") },
    body: attachmentBody(pdf),
  });
  attachmentId = asked.body.attachmentId;
  const { "Content-Length": _length, ...uploadHeaders } = asked.body.uploadHeaders as Record<string, string>;
  await fetch(asked.body.uploadUrl, { method: "PUT", headers: uploadHeaders, body: pdf });
  await h.waitFor(
    async () => (await h.staff("GET", `/staff/complaints/${id}/attachments`, agent)).body.items?.[0]?.status,
    (status) => status === "available",
  );
  // Wait until the workflow waits for staff, so staff actions are answered at once.
  await h.waitFor(
    async () => (await h.staff("GET", `/staff/complaints/${id}`, agent)).body.status,
    (s) => s === "in_progress",
  );
});
afterAll(async () => {
  await h?.stop();
});

const attachmentBody = (bytes = Buffer.from("%PDF-1.4\n%%EOF\n")) => ({
  fileName: "statement.pdf",
  contentType: "application/pdf",
  size: bytes.length,
  sha256: createHash("sha256").update(bytes).digest("base64"),
});
/** The channel's or the staff path of a route that has both (the attachments routes share a handler). */
const prefixed = (route: Route | undefined, path: string) =>
  route?.auth === "staff" ? `/staff${path}` : path;

/** A request that a rightful caller would have answered without a 4xx (or with a state 409). */
const REQUESTS: Record<
  string,
  { path: (route?: Route) => string; body?: () => unknown; extra?: () => Record<string, string> }
> = {
  intake: {
    path: () => "/complaints",
    body: () => complaintBody(),
    extra: () => ({ "idempotency-key": newKey() }),
  },
  getComplaint: { path: () => `/complaints/${id}` },
  customerReply: { path: () => `/complaints/${id}/customer-reply`, body: () => ({ message: "hello" }) },
  feedback: {
    path: () => `/complaints/${id}/feedback`,
    body: () => ({ satisfaction: 3, outcome: "accept" }),
  },
  listNotices: { path: (r) => prefixed(r, `/complaints/${id}/notices`) },
  teams: { path: () => "/teams" },
  queue: { path: () => "/queues/cards" },
  staffGetComplaint: { path: () => `/staff/complaints/${id}` },
  staffAction: {
    path: () => `/staff/complaints/${id}/actions`,
    body: () => ({ type: "note", note: "checked" }),
  },
  verifyAudit: { path: () => `/staff/complaints/${id}/audit/verify` },
  reportsSla: { path: () => "/reports/sla?from=2026-11-01&to=2026-12-31" },
  reportsRegulatory: { path: () => "/reports/regulatory?period=2026-Q4" },
  reportsRootCauses: { path: () => "/reports/root-causes?from=2026-11-01&to=2026-12-31" },
  reportsFcaReturn: { path: () => "/reports/fca-return?period=2026-H2" },
  reportsAnnualDisclosure: { path: () => "/reports/annual-disclosure?year=2026" },
  customerHistory: { path: () => "/customers/C-1001/complaints" },
  attachmentsUpload: {
    path: (r) => prefixed(r, `/complaints/${id}/attachments`),
    body: () => attachmentBody(),
  },
  attachmentsList: { path: (r) => prefixed(r, `/complaints/${id}/attachments`) },
  attachmentsDownload: { path: (r) => prefixed(r, `/complaints/${id}/attachments/${attachmentId}`) },
  calendarsGet: { path: () => "/calendars" },
  // The US 2027 list as shipped (no complaint here runs on the US calendar).
  calendarsPut: {
    path: () => "/calendars/US/years/2027",
    body: () => {
      const year = SHIPPED_YEARS.find((y) => y.calendar === "US" && y.year === 2027);
      if (!year) throw new Error("US 2027 is not shipped");
      return { source: "access-control test", holidays: year.holidays, workdays: year.workdays };
    },
  },
};

type Expected = [status: number, code?: string];
const GATEWAY_CHANNEL: Expected = [403, "INVALID_API_KEY"];
const GATEWAY_STAFF: Expected = [401, "UNAUTHORIZED"];

/** What each identity gets, by route. */
const expected = (handler: HandlerId, auth: "channel" | "staff", who: Identity): Expected => {
  if (auth === "channel") {
    if (who === "owner_channel") {
      // The owner is let through; the complaint's state decides (it is in progress: no reply or feedback due).
      if (handler === "intake" || handler === "attachmentsUpload") return [201];
      if (handler === "customerReply" || handler === "feedback") return [409, "ACTION_NOT_ALLOWED"];
      return [200];
    }
    if (who === "other_channel") return handler === "intake" ? [201] : [404, "COMPLAINT_NOT_FOUND"];
    return GATEWAY_CHANNEL;
  }
  if (!["agent", "supervisor", "manager", "agent_other_team"].includes(who)) return GATEWAY_STAFF;
  const managerOnly = [
    "reportsSla",
    "reportsRegulatory",
    "reportsRootCauses",
    "reportsFcaReturn",
    "reportsAnnualDisclosure",
    "calendarsGet",
    "calendarsPut",
  ].includes(handler);
  if (managerOnly) return who === "manager" ? [200] : [403, "FORBIDDEN_ROLE"];
  // Any member of staff reads a customer's history and the list of teams.
  if (handler === "customerHistory" || handler === "teams") return [200];
  if (who === "agent_other_team") return [403, "FORBIDDEN_TEAM"];
  return handler === "attachmentsUpload" ? [201] : [200];
};

describe("access control: every route x every identity", () => {
  it("covers every route in ROUTES", () => {
    for (const route of ROUTES) expect(REQUESTS[route.handler], route.path).toBeDefined();
  });

  for (const route of ROUTES) {
    for (const who of IDENTITIES) {
      it(`${route.method} ${route.path} as ${who}`, async () => {
        const spec = REQUESTS[route.handler];
        if (!spec) throw new Error(`no request for ${route.handler}`);
        const [status, code] = expected(route.handler, route.auth, who);
        const res = await h.request(route.method, spec.path(route), {
          headers: { ...headers[who], ...(spec.extra?.() ?? {}) },
          ...(spec.body ? { body: spec.body() } : {}),
        });
        expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
        // Every error carries the request's id, the same as the answer's header (and the logs).
        if (status >= 400) expect(res.body.error.requestId).toBe(res.headers.get("x-amzn-requestid"));
        // Never a token or a key in any answer.
        expect(JSON.stringify(res.body)).not.toMatch(/lsfn1\.|cmp_[a-z_]+_[A-Za-z0-9_-]{20}/);
      });
    }
  }
});

describe("the local-only endpoints: a manager's token, errors in the API's shape", () => {
  const LOCAL_ENDPOINTS = ["/local/notifications", "/dashboard/data.json", "/events"];
  const EXPECTED: [Identity, number, string | undefined][] = [
    ["none", 401, "UNAUTHORIZED"],
    ["owner_channel", 401, "UNAUTHORIZED"],
    ["agent", 403, "FORBIDDEN_ROLE"],
    ["supervisor", 403, "FORBIDDEN_ROLE"],
    ["manager", 200, undefined],
    ["expired_jwt", 401, "UNAUTHORIZED"],
    ["wrong_key_jwt", 401, "UNAUTHORIZED"],
    ["alg_none_jwt", 401, "UNAUTHORIZED"],
    ["tampered_jwt", 401, "UNAUTHORIZED"],
    ["wrong_issuer_jwt", 401, "UNAUTHORIZED"],
    ...REFUSED_SIGNED.map((who): [Identity, number, string] => [who, 401, "UNAUTHORIZED"]),
  ];
  for (const path of LOCAL_ENDPOINTS) {
    for (const [who, status, code] of EXPECTED) {
      it(`GET ${path} as ${who}: ${status}`, async () => {
        const res = await h.request("GET", path, { headers: headers[who] });
        expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
        if (status === 200) return;
        expect(Object.keys(res.body)).toEqual(["error"]);
        expect(res.body.error.requestId).toBe(res.headers.get("x-amzn-requestid"));
      });
    }
  }

  it("serves the dashboard page with none of the figures in it: the page signs the browser in", async () => {
    const res = await h.request("GET", "/dashboard");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.body).toContain("/local/sign-in");
    expect(res.body).not.toMatch(/"widgets"|"emfLines"|"series"/);
  });

  it("signs in through /local/sign-in with a token the API accepts, and refuses an off-site next", async () => {
    const page = await h.request("GET", "/local/sign-in?next=/dashboard");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Local only.");
    const signedIn = await h.request("POST", "/local/sign-in", { body: { team: "cards", role: "agent" } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toMatchObject({ tokenType: "Bearer", teams: ["cards"], role: "agent" });
    expect((await h.staff("GET", "/queues/cards", signedIn.body.token)).status).toBe(200);
    const offSite = await h.request("GET", "/local/sign-in?next=https://evil.example/");
    expect({ status: offSite.status, code: offSite.body.error.code }).toEqual({
      status: 400,
      code: "VALIDATION_FAILED",
    });
  });
});

// Last: it moves the embedded target's simulated clock, which the cases above do not expect.
describe("token expiry follows the wall clock, not the simulated SLA clock", () => {
  it("accepts a token valid now whichever way the simulated clock jumps, and refuses one expired now", async () => {
    const now = nowSeconds();
    const valid = await sign(claims("manager"), h.stack.secret, { iat: now, exp: now + 120 });
    const expired = await sign(claims("manager"), h.stack.secret, { iat: now - 600, exp: now - 300 });
    for (const at of [new Date(Date.now() + 30 * 86_400_000), new Date(Date.now() - 30 * 86_400_000)]) {
      h.stack.restartClock(at);
      expect((await h.staff("GET", "/queues/cards", valid)).status, at.toISOString()).toBe(200);
      expect((await h.staff("GET", "/queues/cards", expired)).status, at.toISOString()).toBe(401);
    }
  });
});
