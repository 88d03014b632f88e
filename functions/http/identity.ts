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
 * Cognito groups exactly as API Gateway's Cognito user-pool authorizer hands them to a REST API's Lambda
 * proxy integration (`requestContext.authorizer.claims`): every claim is a string, and `cognito:groups`
 * (an array in the ID token) arrives as the group names joined by commas: "team:cards,role:agent", or
 * "role:manager" for one group. Nothing else is read: an array never comes from API Gateway, and
 * "[team:cards role:agent]" is how the HTTP API's JWT authorizer (payload 2.0) prints an array, which
 * these handlers are not behind. The local gateway fills the same string.
 */
const groupsOf = (raw: unknown): string[] => (typeof raw === "string" && raw !== "" ? raw.split(",") : []);

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
