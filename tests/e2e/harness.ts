import type { Channel, Role } from "../../functions/domain/codes";
import { apiKeyFor, issueStaffToken } from "../../infra/local/auth";
import { type LocalStack, startLocalStack } from "../../infra/local/stack";

/** A client of the local stack, speaking HTTP like any integrator would. */
export interface Harness {
  stack: LocalStack;
  url: string;
  apiKey(channel: Channel): string;
  staffToken(teams: string[], role: Role, subject?: string): Promise<string>;
  request(
    method: string,
    path: string,
    init?: { headers?: Record<string, string>; body?: unknown; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  submit(
    channel: Channel,
    body: unknown,
    key?: string,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  staff(
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  /** A manager's token (all teams), for the local-only endpoints (`/local/notifications`, `/dashboard/...`). */
  managerToken(): Promise<string>;
  /**
   * The manager notices about one complaint, as the local SNS stand-in kept them. They are published after
   * the change that caused them commits, so wait until `done` says the expected ones have arrived.
   */
  noticesAbout(complaintId: string, done: (notices: NoticeMessage[]) => boolean): Promise<NoticeMessage[]>;
  stop(): Promise<void>;
}

export interface NoticeMessage {
  complaintId: string;
  kind: string;
  audience: string;
  tier?: number;
}

let counter = 0;
/** A unique Idempotency-Key. */
export const newKey = () => `e2e-${process.pid}-${Date.now()}-${++counter}`;

export const complaintBody = (overrides: Record<string, unknown> = {}) => ({
  customer: { id: "C-1001", segment: "mass_retail", name: "Li Lei", phone: "+86 138 0013 8000" },
  businessType: "cards",
  cause: "fees_pricing",
  description: "The annual card fee was charged twice this month.",
  ...overrides,
});

/** Starts a local stack (in memory, on free ports) and returns a client for it. */
/** Tuesday 1 December 2026, 09:00 in Shanghai: the start of a CN working day (the default jurisdiction). */
export const WORKING_TUESDAY = new Date("2026-12-01T09:00:00+08:00");

export const startHarness = async (
  opts: { timeScale?: number; startAt?: Date; faults?: boolean; dataDir?: string } = {},
): Promise<Harness> => {
  const stack = await startLocalStack({
    port: 0,
    logLevel: "ERROR",
    reconcileEveryMs: 2_000,
    startAt: WORKING_TUESDAY,
    ...opts,
  });
  const request: Harness["request"] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: string | undefined = init.raw;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: keep the text so the assertion shows it.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  let managerToken: Promise<string> | undefined;
  const h: Harness = {
    stack,
    url: stack.url,
    apiKey: (channel) => apiKeyFor(stack.secret, channel),
    staffToken: (teams, role, subject) =>
      issueStaffToken(stack.secret, { teams, role, ...(subject ? { subject } : {}) }),
    request,
    submit: (channel, body, key = newKey()) =>
      request("POST", "/complaints", {
        headers: { "x-api-key": h.apiKey(channel), "idempotency-key": key },
        body,
      }),
    staff: (method, path, token, body) =>
      request(method, path, {
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined ? { body } : {}),
      }),
    waitFor: async (probe, done, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      let last = await probe();
      while (!done(last)) {
        if (Date.now() > deadline)
          throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, 50));
        last = await probe();
      }
      return last;
    },
    managerToken: () => (managerToken ??= h.staffToken([], "manager", "harness-manager")),
    noticesAbout: async (complaintId, done) => {
      const token = await h.managerToken();
      return h.waitFor(
        async () =>
          (
            (await h.staff("GET", "/local/notifications", token)).body.notifications as {
              message: NoticeMessage;
            }[]
          )
            .map((n) => n.message)
            .filter((m) => m.complaintId === complaintId),
        done,
      );
    },
    stop: () => stack.stop(),
  };
  return h;
};
