import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./api";

/**
 * The API client: types generated from docs/openapi.json (openapi-typescript), calls through
 * openapi-fetch with the signed-in user's token. Same origin on the embedded target; on AWS the API's
 * origin comes from /console/config.json (written at deploy).
 */
export type StaffView = components["schemas"]["StaffView"];
export type QueuePage = components["schemas"]["QueuePage"];
export type QueueRow = QueuePage["items"][number];
/** An API error as the console shows it (the API's codes, or NETWORK when it did not answer). */
export type ApiError = Omit<components["schemas"]["Error"]["error"], "code"> & { code: string };
export type ActionType = StaffView["allowedActions"][number];

export const TOKEN_KEY = "complaints.staffToken";

export interface Config {
  apiUrl: string;
  /** AWS: the Cognito managed login (PKCE); absent on the embedded target (local sign-in). */
  cognito?: { domain: string; clientId: string; redirectUri: string };
}

export interface Identity {
  subject: string;
  role: "agent" | "supervisor" | "manager";
  teams: string[];
  exp: number;
}

/** What the token says of the user (for display and defaults only: the API decides what they may do). */
export const identityOf = (token: string | null): Identity | undefined => {
  if (!token) return undefined;
  try {
    const payload = JSON.parse(atob((token.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as {
      sub?: string;
      exp?: number;
      "cognito:groups"?: string[];
    };
    const groups = payload["cognito:groups"] ?? [];
    const role = groups.find((g) => g.startsWith("role:"))?.slice(5);
    if (role !== "agent" && role !== "supervisor" && role !== "manager") return undefined;
    if (!payload.exp || payload.exp * 1000 <= Date.now()) return undefined;
    return {
      subject: payload.sub ?? "",
      role,
      teams: groups.filter((g) => g.startsWith("team:")).map((g) => g.slice(5)),
      exp: payload.exp,
    };
  } catch {
    return undefined;
  }
};

export const currentToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

/** Sends the user to sign in, to come back to where they are. */
export const signIn = (config: Config): void => {
  sessionStorage.removeItem(TOKEN_KEY);
  const here = `${location.pathname}${location.search}`;
  if (config.cognito) {
    void cognitoSignIn(config.cognito, here);
    return;
  }
  location.assign(`/local/sign-in?next=${encodeURIComponent(here)}`);
};

const base64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

/** Cognito managed login, authorization code with PKCE (S256): no client secret in the browser. */
const cognitoSignIn = async (c: NonNullable<Config["cognito"]>, next: string) => {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("complaints.pkce", JSON.stringify({ verifier, state, next }));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const url = new URL(`https://${c.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: "openid",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  location.assign(url.toString());
};

/** Back from Cognito with `?code=`: trades it (with the verifier) for tokens; answers where to go. */
export const completeCognitoSignIn = async (config: Config): Promise<string | undefined> => {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const saved = sessionStorage.getItem("complaints.pkce");
  if (!config.cognito || !code || !saved) return undefined;
  const { verifier, state, next } = JSON.parse(saved) as { verifier: string; state: string; next: string };
  sessionStorage.removeItem("complaints.pkce");
  if (params.get("state") !== state) return undefined;
  const r = await fetch(`https://${config.cognito.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.cognito.clientId,
      code,
      redirect_uri: config.cognito.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!r.ok) return undefined;
  const tokens = (await r.json()) as { id_token?: string };
  // The API's authorizer reads the groups from the id token (as the local JWT carries them).
  if (tokens.id_token) sessionStorage.setItem(TOKEN_KEY, tokens.id_token);
  return next.startsWith("/") && !next.startsWith("//") ? next : "/console/";
};

export const loadConfig = async (): Promise<Config> => {
  try {
    const r = await fetch("/console/config.json", { cache: "no-store" });
    if (r.ok) return (await r.json()) as Config;
  } catch {
    // The embedded target has no config: same origin, local sign-in.
  }
  return { apiUrl: "" };
};

/** A client that sends the token and, on a 401, sends the user to sign in and back. */
export const apiClient = (config: Config) => {
  const client = createClient<paths>({ baseUrl: config.apiUrl });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = currentToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) signIn(config);
      return response;
    },
  };
  client.use(auth);
  return client;
};
export type Api = ReturnType<typeof apiClient>;

/** A fresh Idempotency-Key: one per user intent (a retry of the same intent reuses it). */
export const newIdempotencyKey = (): string => `console-${crypto.randomUUID()}`;
