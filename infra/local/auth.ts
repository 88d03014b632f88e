import { createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { jwtVerify, SignJWT } from "jose";
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

/** Issues a staff JWT with Cognito-shaped claims (`cognito:groups` as team:/role: groups). */
export const issueStaffToken = async (secret: Uint8Array, opts: StaffTokenOptions): Promise<string> => {
  if (!(ROLES as readonly string[]).includes(opts.role))
    throw new Error(`role must be one of ${ROLES.join(", ")}`);
  return new SignJWT({
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
};

/**
 * Verifies a bearer token into the claims API Gateway's Cognito authorizer passes on: string values,
 * groups joined by commas.
 */
export const verifyStaffToken = async (
  secret: Uint8Array,
  token: string,
): Promise<Record<string, string>> => {
  const { payload } = await jwtVerify(token, secret, {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ["HS256"],
  });
  const claims: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    claims[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return claims;
};
