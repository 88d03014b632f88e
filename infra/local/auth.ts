import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { CHANNELS, type Channel, ROLES, type Role } from "../../functions/domain/codes";

/**
 * Local credentials. One secret (kept in `.local/auth-secret`, made on first use) signs staff JWTs and
 * derives the channel systems' API keys, so `npm run token` in another terminal issues credentials the
 * running stack accepts. Nothing here is used on AWS, where Cognito and API Gateway keys take its place.
 */
export const SECRET_FILE = ".local/auth-secret";
export const ISSUER = "complaints-local";
export const AUDIENCE = "complaints-staff";

export const loadSecret = (file = SECRET_FILE): Uint8Array => {
  const fromEnv = process.env.LOCAL_AUTH_SECRET;
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  try {
    return new Uint8Array(Buffer.from(readFileSync(file, "utf8").trim(), "base64url"));
  } catch {
    const secret = randomBytes(32);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, secret.toString("base64url"), { mode: 0o600 });
    return new Uint8Array(secret);
  }
};

/** The API key value a channel system sends in `x-api-key`. */
export const apiKeyFor = (secret: Uint8Array, channel: Channel): string =>
  `cmp_${channel}_${createHmac("sha256", secret).update(`api-key:${channel}`).digest("base64url").slice(0, 32)}`;

/** The key's id as API Gateway reports it in `requestContext.identity.apiKeyId`. */
export const apiKeyIdFor = (channel: Channel): string => `local-key-${channel}`;

/** Key value -> {id, channel}, for the gateway; and id -> channel, the handlers' CHANNEL_API_KEYS. */
export const channelKeys = (secret: Uint8Array) => {
  const byValue = new Map<string, { id: string; channel: Channel }>();
  const byId: Record<string, Channel> = {};
  for (const channel of CHANNELS) {
    byValue.set(apiKeyFor(secret, channel), { id: apiKeyIdFor(channel), channel });
    byId[apiKeyIdFor(channel)] = channel;
  }
  return { byValue, byId };
};

export interface StaffTokenOptions {
  subject?: string;
  teams: string[];
  role: Role;
  expiresIn?: string;
}

/** Cognito's ID tokens here live at most this long (exp - iat); the local check holds tokens to it. */
export const MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
/** How far in the future `iat` may be (clocks of two machines differ a little). */
export const CLOCK_SKEW_SECONDS = 60;

/** Issues a staff JWT with Cognito-shaped claims (`cognito:groups` as team:/role: groups, `token_use: id`). */
export const issueStaffToken = async (secret: Uint8Array, opts: StaffTokenOptions): Promise<string> => {
  if (!(ROLES as readonly string[]).includes(opts.role))
    throw new Error(`role must be one of ${ROLES.join(", ")}`);
  const token = await new SignJWT({
    "cognito:groups": [...opts.teams.map((t) => `team:${t}`), `role:${opts.role}`],
    token_use: "id",
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(opts.subject ?? `staff-${opts.role}-${opts.teams.join("-") || "none"}`)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "8h")
    .sign(secret);
  const { exp = 0, iat = 0 } = decodeJwt(token);
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS || exp <= iat) {
    throw new Error(`a staff token must expire within ${MAX_TOKEN_LIFETIME_SECONDS / 3600} hours of issue`);
  }
  return token;
};

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** A NumericDate as API Gateway writes `exp` and `iat` into the claims: "Tue Apr 04 18:39:39 UTC 2023". */
export const gatewayDate = (seconds: number): string => {
  const d = new Date(seconds * 1000);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
};

/** Why a token was refused (never shown to the caller, who only gets 401; for tests and logs). */
export class StaffTokenRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "StaffTokenRefused";
  }
}

/**
 * Verifies a bearer token as API Gateway's Cognito user-pool authorizer does with an `Authorization`
 * header and no OAuth scopes on the method: a signature by our key, our issuer and audience, an ID token
 * (`token_use: id`; access tokens are refused), `exp` and `iat` present, not expired, `iat` not in the
 * future (beyond a minute of skew) and a lifetime (exp - iat) of at most 12 hours. Expiry is judged on the
 * wall clock (`now`, `Date.now` by default), never on the embedded target's simulated SLA clock. Answers the
 * claims as the authorizer passes them on: every value a string, `cognito:groups` joined by commas, `exp`
 * and `iat` as dates ("Tue Apr 04 18:39:39 UTC 2023").
 */
export const verifyStaffToken = async (
  secret: Uint8Array,
  token: string,
  opts: { now?: () => number } = {},
): Promise<Record<string, string>> => {
  const nowMs = (opts.now ?? Date.now)();
  const { payload } = await jwtVerify(token, secret, {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ["HS256"],
    requiredClaims: ["exp", "iat", "sub"],
    currentDate: new Date(nowMs),
  });
  const { exp, iat } = payload as { exp: number; iat: number };
  if (payload.token_use !== "id") throw new StaffTokenRefused("not an ID token (token_use must be id)");
  if (iat > nowMs / 1000 + CLOCK_SKEW_SECONDS) throw new StaffTokenRefused("issued in the future (iat)");
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) throw new StaffTokenRefused("lives longer than 12 hours");
  const claims: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (k === "exp" || k === "iat") claims[k] = gatewayDate(v as number);
    else claims[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return claims;
};
