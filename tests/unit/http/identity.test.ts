import type { APIGatewayProxyEvent } from "aws-lambda";
import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { staffOf } from "../../../functions/http/identity";
import {
  AUDIENCE,
  gatewayDate,
  ISSUER,
  issueStaffToken,
  StaffTokenRefused,
  verifyStaffToken,
} from "../../../infra/local/auth";

// Staff identity as API Gateway's Cognito user-pool authorizer passes it to a REST API's Lambda, and the
// local gateway's token check, which must refuse what that authorizer refuses and pass on what it passes.

const withClaims = (claims: Record<string, unknown> | undefined) =>
  ({ requestContext: { authorizer: claims ? { claims } : null } }) as unknown as APIGatewayProxyEvent;

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { status: (e as { statusCode?: number }).statusCode, code: (e as { code?: string }).code };
  }
  return undefined;
};

describe("staffOf: cognito:groups as the REST authorizer passes them", () => {
  it("reads the groups joined by commas", () => {
    expect(staffOf(withClaims({ sub: "s1", "cognito:groups": "team:cards,team:loans,role:agent" }))).toEqual({
      subject: "s1",
      role: "agent",
      teams: ["cards", "loans"],
    });
  });

  it("reads a single group, and takes the most senior of several roles", () => {
    expect(staffOf(withClaims({ sub: "s2", "cognito:groups": "role:manager" }))).toEqual({
      subject: "s2",
      role: "manager",
      teams: [],
    });
    expect(staffOf(withClaims({ sub: "s3", "cognito:groups": "role:agent,role:supervisor" })).role).toBe(
      "supervisor",
    );
  });

  it.each([
    ["an array (not what API Gateway sends)", ["team:cards", "role:agent"]],
    ["the HTTP API's bracketed form", "[team:cards role:agent]"],
    ["groups with spaces after the commas", "team:cards, role:agent"],
    ["no groups", ""],
    ["a missing claim", undefined],
  ])("finds no role in %s: 403 FORBIDDEN_ROLE", (_, groups) => {
    expect(errorOf(() => staffOf(withClaims({ sub: "s4", "cognito:groups": groups })))).toEqual({
      status: 403,
      code: "FORBIDDEN_ROLE",
    });
  });

  it("answers 401 without claims or a subject", () => {
    expect(errorOf(() => staffOf(withClaims(undefined)))).toEqual({ status: 401, code: "UNAUTHORIZED" });
    expect(errorOf(() => staffOf(withClaims({ "cognito:groups": "role:agent" })))?.code).toBe("UNAUTHORIZED");
  });
});

const SECRET = new TextEncoder().encode("a-local-test-secret-of-32-bytes!");
const NOW = Date.UTC(2026, 11, 1, 1, 0, 0); // 2026-12-01T01:00:00Z
const nowSeconds = NOW / 1000;

const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ "cognito:groups": ["team:cards", "role:agent"], token_use: "id", ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject("agent-1")
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(SECRET);

const verify = (token: string, at = NOW) => verifyStaffToken(SECRET, token, { now: () => at });

describe("verifyStaffToken: the local check matches Cognito's authorizer", () => {
  it("passes the claims on as API Gateway does: strings, groups joined by commas, dates as text", async () => {
    const token = await sign({ iat: nowSeconds - 60, exp: nowSeconds + 3600 });
    const claims = await verify(token);
    expect(claims).toMatchObject({
      sub: "agent-1",
      "cognito:groups": "team:cards,role:agent",
      token_use: "id",
      iat: "Tue Dec 01 00:59:00 UTC 2026",
      exp: "Tue Dec 01 02:00:00 UTC 2026",
    });
    expect(staffOf(withClaims(claims))).toEqual({ subject: "agent-1", role: "agent", teams: ["cards"] });
  });

  it.each([
    ["without exp", { iat: nowSeconds }, /missing required "exp" claim/],
    ["without iat", { exp: nowSeconds + 3600 }, /missing required "iat" claim/],
    ["living longer than 12 hours", { iat: nowSeconds - 60, exp: nowSeconds + 12 * 3600 }, /12 hours/],
    ["issued in the future", { iat: nowSeconds + 120, exp: nowSeconds + 3600 }, /issued in the future/],
    ["that is an access token", { iat: nowSeconds, exp: nowSeconds + 3600, token_use: "access" }, /ID token/],
    ["without token_use", { iat: nowSeconds, exp: nowSeconds + 3600, token_use: undefined }, /ID token/],
    ["expired", { iat: nowSeconds - 7200, exp: nowSeconds - 1 }, /"exp" claim timestamp check failed/],
  ])("refuses a token %s", async (_, claims, why) => {
    await expect(verify(await sign(claims))).rejects.toThrow(why);
  });

  it("names why it refused (for logs and tests; the caller only ever gets 401)", async () => {
    await expect(
      verify(await sign({ iat: nowSeconds, exp: nowSeconds + 60, token_use: "access" })),
    ).rejects.toThrow(StaffTokenRefused);
    await expect(verify(await sign({ iat: nowSeconds + 300, exp: nowSeconds + 3600 }))).rejects.toThrow(
      /issued in the future/,
    );
  });

  it("allows a minute of clock skew on iat, and a lifetime of exactly 12 hours", async () => {
    await expect(verify(await sign({ iat: nowSeconds + 30, exp: nowSeconds + 3600 }))).resolves.toBeDefined();
    await expect(verify(await sign({ iat: nowSeconds, exp: nowSeconds + 12 * 3600 }))).resolves.toBeDefined();
  });

  it("judges expiry on the clock it is given (the wall clock by default), nothing else", async () => {
    const token = await sign({ iat: nowSeconds, exp: nowSeconds + 600 });
    await expect(verify(token, NOW + 599_000)).resolves.toBeDefined();
    await expect(verify(token, NOW + 601_000)).rejects.toThrow(/exp/);
  });

  it("issues tokens the check accepts, and none it would refuse", async () => {
    const token = await issueStaffToken(SECRET, { teams: ["cards"], role: "supervisor" });
    const { exp = 0, iat = 0 } = decodeJwt(token);
    expect(exp - iat).toBe(8 * 3600);
    await expect(verifyStaffToken(SECRET, token)).resolves.toMatchObject({
      "cognito:groups": "team:cards,role:supervisor",
    });
    await expect(
      issueStaffToken(SECRET, { teams: ["cards"], role: "agent", expiresIn: "13h" }),
    ).rejects.toThrow(/12 hours/);
  });

  it("writes dates as API Gateway does", () => {
    expect(gatewayDate(Date.UTC(2023, 3, 4, 18, 39, 39) / 1000)).toBe("Tue Apr 04 18:39:39 UTC 2023");
  });
});
