import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, startHarness } from "./harness";

/** Runs `npm run cli -- ...` as a person would (node + tsx, no npm wrapper), against the harness's stack. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "cli/main.ts", ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

let h: Harness;
let staff: Record<string, string>;
let channel: Record<string, string>;

beforeAll(async () => {
  h = await startHarness();
  staff = { COMPLAINTS_URL: h.url, COMPLAINTS_TOKEN: await h.staffToken(["cards"], "agent", "agent-cli") };
  channel = { COMPLAINTS_URL: h.url, COMPLAINTS_API_KEY: h.apiKey("mobile_app") };
});
afterAll(() => h?.stop());

describe("the CLI against the local stack", () => {
  it("walks a complaint from submission to closure with readable output and exit codes", async () => {
    const body = complaintBody();
    const submitted = await cli(
      [
        "submit",
        "--customer-id",
        body.customer.id,
        "--segment",
        body.customer.segment,
        "--business-type",
        "cards",
        "--cause",
        "fees_pricing",
        "--description",
        "Fee charged twice",
        "--json",
      ],
      channel,
    );
    expect(submitted.stderr).toBe("");
    expect(submitted.code).toBe(0);
    const { id, team } = JSON.parse(submitted.stdout) as { id: string; team: string };
    expect(team).toBe("cards");

    const queue = await h.waitFor(
      () => cli(["queue", "cards"], staff),
      (r) => r.stdout.includes(id) && r.stdout.includes("in_progress"),
    );
    expect(queue.stdout).toMatch(/^reference\s+id\s+status/);

    const resolved = await cli(
      ["act", id, "resolve", "--outcome", "upheld", "--summary", "Refunded", "--root-cause", "system_defect"],
      staff,
    );
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toMatch(/awaiting_feedback/);

    const feedback = await h.waitFor(
      () => cli(["feedback", id, "--satisfaction", "5", "--accept"], channel),
      (r) => r.code !== 4, // TASK_BUSY while the workflow moves to the feedback stage
    );
    expect(feedback.code, feedback.stderr).toBe(0);
    const shown = await cli(["show", id, "--staff"], staff);
    expect(shown.stdout).toMatch(/closed/);
    expect(shown.stdout).toMatch(/FeedbackReceived/);

    const again = await cli(["act", id, "escalate", "too late"], staff);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^error: ACTION_NOT_ALLOWED \(HTTP 409\)/);
  });

  it("sends every decision with If-Match and an Idempotency-Key: a stale version is refused, a retry applies once", async () => {
    const submitted = await h.submit("mobile_app", complaintBody());
    const id = submitted.body.id as string;
    const view = await h.waitFor(
      async () => JSON.parse((await cli(["show", id, "--staff", "--json"], staff)).stdout),
      (v) => v.status === "in_progress",
    );
    const shown = await cli(["show", id, "--staff"], staff);
    expect(shown.stdout).toMatch(new RegExp(`version\\s+${view.version}\\b`));

    const stale = await cli(
      ["act", id, "note", "decided on an old version", "--if-match", String(view.version - 1)],
      staff,
    );
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/^error: PRECONDITION_FAILED \(HTTP 412\)/);

    // The same key twice (an answer lost on the way back): one note.
    const key = `cli-test-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      const noted = await cli(["act", id, "note", "called the customer", "--idempotency-key", key], staff);
      expect(noted.code, noted.stderr).toBe(0);
    }
    const after = JSON.parse((await cli(["show", id, "--staff", "--json"], staff)).stdout);
    const notes = after.audit.filter((e: { type: string }) => e.type === "NoteAdded");
    expect(notes).toHaveLength(1);
    expect(after.version).toBe(view.version + 1);

    // The version the caller read: applied.
    const claimed = await cli(["act", id, "claim", "--if-match", String(after.version)], staff);
    expect(claimed.code, claimed.stderr).toBe(0);
    const bad = await cli(["act", id, "note", "x", "--if-match", "v7"], staff);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--if-match must be a complaint version/);
  });

  it("answers not found, auth, validation and usage failures with their exit codes on stderr", async () => {
    const missing = await cli(["show", "01KB3Q8Y9T6V1S5W2X4Z7N0M3P"], channel);
    expect([missing.code, missing.stdout]).toEqual([3, ""]);
    expect(missing.stderr).toMatch(/COMPLAINT_NOT_FOUND/);

    const badKey = await cli(["show", "01KB3Q8Y9T6V1S5W2X4Z7N0M3P", "--api-key", "nope"], channel);
    expect(badKey.code).toBe(5);

    const invalid = await cli(["act", "01KB3Q8Y9T6V1S5W2X4Z7N0M3P", "note", " "], staff);
    expect(invalid.code).toBe(6);
    expect(invalid.stderr).toMatch(/VALIDATION_FAILED/);

    const usage = await cli(["act", "X", "dance"], staff);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown action 'dance'/);
  });
});
