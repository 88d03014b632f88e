import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiKeyFor, issueStaffToken } from "../../infra/local/auth";
import { freePort } from "../../infra/local/stack";
import { complaintBody } from "./harness";

/*
 * Nothing said is lost across a kill -9: the embedded target runs as `npm start` would (its own process
 * group: the gateway, the engine and DynamoDB Local's JVM), with its data on disk. Intakes and staff
 * actions are driven at it over HTTP; mid-way the whole process group is killed with SIGKILL; the stack is
 * started again on the same data. Every request that was answered 2xx must have happened, every one of
 * its events must reach the event stream, and a replay must answer with the same complaint.
 */

const SECRET = "crash-test-secret-0123456789abcdef";
const secret = new TextEncoder().encode(SECRET);
const dataDir = mkdtempSync(join(tmpdir(), "crash-data-"));
let child: ChildProcess | undefined;

const start = async (port: number, log: string) => {
  const out = openSync(join(dataDir, log), "a");
  child = spawn("node_modules/.bin/tsx", ["infra/local/main.ts", "--port", String(port), "--data", dataDir], {
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, LOCAL_AUTH_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: "ERROR" },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the stack exited: ${readFileSync(join(dataDir, log), "utf8")}`);
    try {
      if ((await fetch(`${url}/openapi.json`)).ok) return url;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("the stack did not come up within 90 s");
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** SIGKILL to the whole process group: tsx, the stack's Node process and DynamoDB Local's JVM. */
const killHard = async () => {
  if (!child?.pid) return;
  const exited = new Promise((r) => child?.once("exit", r));
  process.kill(-child.pid, "SIGKILL");
  await exited;
  // The JVM is in the group too; give the kernel a moment to reap it and free its files.
  await new Promise((r) => setTimeout(r, 500));
};

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const json = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

describe("a kill -9 of the whole embedded stack", () => {
  it("loses nothing that was answered 2xx: complaints, their workflows, their events, their replays", async () => {
    const port = await freePort();
    let url = await start(port, "first.log");
    const key = apiKeyFor(secret, "mobile_app");
    const agent = await issueStaffToken(secret, { teams: ["cards"], role: "agent", subject: "agent-crash" });
    const manager = await issueStaffToken(secret, { teams: [], role: "manager", subject: "mgr-crash" });

    const intakes: { key: string; body: unknown; id: string }[] = [];
    const escalations: { id: string; version: number }[] = [];
    let killed = false;
    let sent = 0;
    const submitOne = async (n: number) => {
      const idem = `crash-${n}-${Date.now()}`;
      const body = complaintBody({ customer: { id: `C-CRASH-${n}`, segment: "mass_retail" } });
      const res = await json(`${url}/complaints`, {
        method: "POST",
        headers: { "x-api-key": key, "idempotency-key": idem, "content-type": "application/json" },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      if (res && (res.status === 201 || res.status === 200))
        intakes.push({ key: idem, body, id: res.body.id });
    };
    const escalateOne = async (id: string) => {
      const res = await json(`${url}/staff/complaints/${id}/actions`, {
        method: "POST",
        headers: { authorization: `Bearer ${agent}`, "content-type": "application/json" },
        body: JSON.stringify({ type: "escalate", reason: "crash test" }),
      }).catch(() => undefined);
      if (res?.status === 200) escalations.push({ id, version: res.body.version });
    };
    // Eight clients side by side; once 120 intakes are answered, the stack dies mid-flight.
    const worker = async () => {
      while (!killed && sent < 400) {
        const n = ++sent;
        await submitOne(n);
        const older = intakes[Math.floor(Math.random() * intakes.length)];
        if (older && n % 3 === 0) await escalateOne(older.id);
        if (intakes.length >= 120 && !killed) {
          killed = true;
          await killHard();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(intakes.length).toBeGreaterThanOrEqual(120);
    expect(escalations.length).toBeGreaterThan(10);

    url = await start(port, "second.log");

    // Every answered intake exists, and each reaches in_progress (its workflow was started or recovered).
    const ids = [...new Set(intakes.map((i) => i.id))];
    const deadline = Date.now() + 90_000;
    const pending = new Set(ids);
    while (pending.size > 0 && Date.now() < deadline) {
      for (const id of [...pending]) {
        const res = await json(`${url}/complaints/${id}`, { headers: { "x-api-key": key } });
        expect(res.status, id).toBe(200);
        if (res.body.status !== "received") pending.delete(id);
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect([...pending]).toEqual([]);

    // Every acknowledged change's events are on the event stream (at least once, no id missing).
    const seen = new Map<string, Set<number>>();
    const received = new Set<string>();
    const readEvents = async () => {
      let since = "0";
      for (;;) {
        const page = await json(`${url}/events?since=${since}&limit=500`, {
          headers: { authorization: `Bearer ${manager}` },
        });
        expect(page.status).toBe(200);
        for (const e of page.body.events as {
          detailType: string;
          detail: { complaintId: string; complaintVersion: number };
        }[]) {
          if (e.detailType === "ComplaintReceived") received.add(e.detail.complaintId);
          if (e.detailType === "Escalated") {
            const versions = seen.get(e.detail.complaintId) ?? new Set<number>();
            versions.add(e.detail.complaintVersion);
            seen.set(e.detail.complaintId, versions);
          }
        }
        if (!page.body.more) return;
        since = page.body.nextCursor;
      }
    };
    const eventsDeadline = Date.now() + 60_000;
    const missing = () => [
      ...ids.filter((id) => !received.has(id)).map((id) => `ComplaintReceived ${id}`),
      ...escalations
        .filter((e) => !seen.get(e.id)?.has(e.version))
        .map((e) => `Escalated ${e.id} v${e.version}`),
    ];
    for (;;) {
      await readEvents();
      if (missing().length === 0 || Date.now() > eventsDeadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(missing()).toEqual([]);

    // A replay of every answered intake answers 200 with the very same complaint.
    for (const intake of intakes) {
      const replay = await json(`${url}/complaints`, {
        method: "POST",
        headers: { "x-api-key": key, "idempotency-key": intake.key, "content-type": "application/json" },
        body: JSON.stringify(intake.body),
      });
      expect(replay.status, intake.key).toBe(200);
      expect(replay.body.id).toBe(intake.id);
    }
    await killHard();
  }, 300_000);
});
