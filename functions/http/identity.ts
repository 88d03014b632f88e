import type { APIGatewayProxyEvent } from "aws-lambda";
import type { StaffIdentity } from "../app/staff-actions";
import type { Channel, Role } from "../domain/codes";
import { ROLES } from "../domain/codes";
import { HttpError } from "./errors";

/** The channel system calling, from the API key API Gateway verified (never from anything in the body). */
export const channelOf = (event: APIGatewayProxyEvent, keys: Record<string, Channel>): Channel => {
  const keyId = event.requestContext?.identity?.apiKeyId;
  const channel = keyId ? keys[keyId] : undefined;
  if (!channel)
    throw new HttpError(403, "INVALID_API_KEY", "This API key is not registered to a channel system");
  return channel;
};

/**
 * Cognito groups as API Gateway passes them in REST authorizer claims: a string such as
 * "team:cards,role:agent" (or "[team:cards role:agent]"); locally the gateway fills the same shape.
 */
const groupsOf = (raw: unknown): string[] => {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== "string") return [];
  return raw
    .replace(/^\[|\]$/g, "")
    .split(/[,\s]+/)
    .filter(Boolean);
};

/** The member of staff calling, from the claims the authorizer verified. */
export const staffOf = (event: APIGatewayProxyEvent): StaffIdentity => {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const subject = typeof claims?.sub === "string" ? claims.sub : undefined;
  if (!claims || !subject) throw new HttpError(401, "UNAUTHORIZED", "A staff token is required");
  const groups = groupsOf(claims["cognito:groups"]);
  const teams = groups.filter((g) => g.startsWith("team:")).map((g) => g.slice(5));
  const roles = groups
    .filter((g) => g.startsWith("role:"))
    .map((g) => g.slice(5))
    .filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  // The most senior role held counts.
  const role = ROLES.filter((r) => roles.includes(r)).at(-1);
  if (!role) throw new HttpError(403, "FORBIDDEN_ROLE", "The token carries no staff role");
  return { subject, role, teams };
};
