import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/stack";
import { complaintBody, type Harness, newKey, startHarness } from "./harness";

/*
 * DynamoDB Local is supervised. On disk, a JVM killed with SIGKILL is started again on the same directory
 * and the API answers again by itself: requests made meanwhile wait (or are told 503 with Retry-After and
 * succeed when retried), the journal replays what the dead JVM had not written, workflows carry on. In
 * memory the data died with the JVM: `npm start` says so and exits non-zero instead of answering 503 for
 * as long as it runs.
 */

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
let h: Harness | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  await h?.stop();
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** What a well-behaved client does with a 503: waits as told, then sends the same request again. */
const withRetries = async <R extends { status: number; headers: Headers }>(
  send: () => Promise<R>,
  attempts = 20,
) => {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    if (res.status !== 503 || attempt === attempts) return res;
    await new Promise((r) => setTimeout(r, Number(res.headers.get("retry-after") ?? "1") * 1000));
  }
};

describe("a supervised store", () => {
  it("on disk: a DynamoDB Local killed with SIGKILL is restarted on its data and the API recovers by itself", async () => {
    h = await startHarness({ dataDir: tempDir("outage-data-"), timeScale: 60 });
    const stack = h.stack;
    const before = await h.submit(
      "mobile_app",
      complaintBody({ customer: { id: "C-OUT-1", segment: "mass_retail" } }),
    );
    expect(before.status).toBe(201);
    const agent = await h.staffToken(["cards"], "agent", "agent-outage");
    await h.waitFor(
      () => h!.staff("GET", `/staff/complaints/${before.body.id}`, agent),
      (r) => r.body.status === "in_progress",
    );

    const pid = stack.store.pid();
    expect(pid).toBeTypeOf("number");
    process.kill(pid as number, "SIGKILL");
    // An intake sent while the store is down: held until the store is back, or told to retry.
    const key = newKey();
    const during = withRetries(() =>
      h!.submit("mobile_app", complaintBody({ customer: { id: "C-OUT-2", segment: "mass_retail" } }), key),
    );

    await h.waitFor(
      async () => stack.store.restarts(),
      (n) => n === 1,
      60_000,
    );
    expect(stack.store.pid()).not.toBe(pid);
    const answered = await during;
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    // Its retry (or a client's later replay) answers the same complaint: it was taken in once.
    const replay = await h.submit(
      "mobile_app",
      complaintBody({ customer: { id: "C-OUT-2", segment: "mass_retail" } }),
      key,
    );
    expect(replay.body.id).toBe(answered.body.id);

    // The complaint from before the outage is there, and its workflow takes staff actions again. The
    // workflow is catching up on what failed during the outage (its stage is re-registered), so a
    // decision can meet a newer version: the client reads again and decides, as docs/api.md says.
    const decide = async (action: Record<string, unknown>) => {
      for (let attempt = 1; ; attempt++) {
        const res = await h!.request("POST", `/staff/complaints/${before.body.id}/actions`, {
          headers: { authorization: `Bearer ${agent}` },
          body: action,
        });
        if (res.status !== 409 || res.body.error.code !== "COMPLAINT_CHANGED" || attempt === 3) return res;
      }
    };
    const claim = await decide({ type: "claim" });
    expect(claim.status, JSON.stringify(claim.body)).toBe(200);
    const resolved = await decide({
      type: "resolve",
      resolution: { outcome: "upheld", summary: "Refunded after the outage", rootCause: "system_defect" },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    await h.waitFor(
      () => h!.staff("GET", `/staff/complaints/${before.body.id}`, agent),
      (r) => r.body.status === "awaiting_feedback",
      30_000,
    );
    // And the one taken in during the outage was taken up by its own workflow.
    await h.waitFor(
      () => h!.staff("GET", `/staff/complaints/${answered.body.id}`, agent),
      (r) => r.body.status === "in_progress",
      30_000,
    );
  }, 180_000);

  it("in memory: npm start stops with a clear message and a non-zero exit when the store dies", async () => {
    const port = await freePort();
    const log = join(tempDir("outage-mem-"), "start.log");
    const { openSync } = await import("node:fs");
    const out = openSync(log, "a");
    child = spawn("node_modules/.bin/tsx", ["infra/local/main.ts", "--port", String(port)], {
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" },
    });
    const exited = new Promise<number | null>((r) => child?.once("exit", (code) => r(code)));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the stack exited early: ${readFileSync(log, "utf8")}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/openapi.json`)).ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error("the stack did not come up within 90 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    // DynamoDB Local's JVM is in the stack's process group.
    const jvm = execFileSync("pgrep", ["-g", String(child.pid), "-f", "DynamoDBLocal"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number);
    expect(jvm.length).toBe(1);
    process.kill(jvm[0] as number, "SIGKILL");
    const code = await Promise.race([
      exited,
      new Promise<string>((r) => setTimeout(() => r("still running after 20 s"), 20_000)),
    ]);
    expect(code).toBe(3);
    const printed = readFileSync(log, "utf8");
    expect(printed).toContain("npm start: the store is gone: DynamoDB Local exited (SIGKILL)");
    expect(printed).toContain("in memory");
    // Nothing is left listening.
    await expect(fetch(`http://127.0.0.1:${port}/openapi.json`)).rejects.toThrow(/fetch failed/);
  }, 180_000);

  it("a stack killed with SIGKILL takes its DynamoDB Local with it (no JVM left behind)", async () => {
    const port = await freePort();
    const log = join(tempDir("outage-orphan-"), "start.log");
    const { openSync } = await import("node:fs");
    const out = openSync(log, "a");
    const stack = spawn("node_modules/.bin/tsx", ["infra/local/main.ts", "--port", String(port)], {
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "ERROR" },
    });
    child = stack;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (stack.exitCode !== null) throw new Error(`the stack exited early: ${readFileSync(log, "utf8")}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/openapi.json`)).ok) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error("the stack did not come up within 90 s");
      await new Promise((r) => setTimeout(r, 200));
    }
    const [jvm] = execFileSync("pgrep", ["-g", String(stack.pid), "-f", "DynamoDBLocal"], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .map(Number);
    // The process that started the JVM (the stack's node, under tsx's launcher), killed as a vitest
    // worker is: no exit handler runs.
    const owner = Number(execFileSync("ps", ["-o", "ppid=", "-p", String(jvm)], { encoding: "utf8" }).trim());
    expect(owner).toBeGreaterThan(1);
    process.kill(owner, "SIGKILL");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const gone = Date.now() + 15_000;
    while (alive(jvm as number) && Date.now() < gone) await new Promise((r) => setTimeout(r, 100));
    expect(alive(jvm as number), "DynamoDB Local outlived the stack that started it").toBe(false);
  }, 180_000);
});
