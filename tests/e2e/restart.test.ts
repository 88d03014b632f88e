import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { complaintBody, type Harness, startHarness } from "./harness";

// A stack on on-disk data is stopped and a new one started on the same folder: the complaints are still
// there, and the new (in-memory) workflow engine gets an execution for every open one.
const dataDir = mkdtempSync(join(tmpdir(), "complaints-restart-"));
let h: Harness | undefined;
afterAll(async () => {
  await h?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const resolution = { outcome: "upheld", summary: "Refunded the duplicate fee", rootCause: "process" };

describe("a local stack restart with on-disk data", () => {
  it("keeps open complaints and recovers their workflows; one resolves and closes through HTTP", async () => {
    h = await startHarness({ timeScale: 60, dataDir });
    const first = h;
    const agent = () => first.staffToken(["cards"], "agent");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await first.submit("mobile_app", complaintBody({ description: `Restart case ${i}` }));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const staffView = async (hh: Harness, id: string) =>
      (await hh.staff("GET", `/staff/complaints/${id}`, await hh.staffToken(["cards"], "agent"))).body;
    for (const id of ids)
      await first.waitFor(
        () => staffView(first, id),
        (v) => v.status === "in_progress",
      );
    // One is already resolved before the restart: it waits for feedback afterwards.
    const busy = (r: { status: number; body: { error?: { code?: string } } | null }) =>
      r.status === 409 && r.body?.error?.code === "TASK_BUSY";
    const resolved = await first.waitFor(
      async () =>
        first.staff("POST", `/staff/complaints/${ids[2]}/actions`, await agent(), {
          type: "resolve",
          resolution,
        }),
      (r) => !busy(r),
    );
    expect(resolved.status).toBe(200);
    await first.stop();
    h = undefined;

    const second = await startHarness({ timeScale: 60, dataDir });
    h = second;
    expect(second.stack.recovery.restarted.sort()).toEqual([...ids].sort());
    expect(second.stack.recovery.flagged).toEqual([]);
    const names = (
      await second.stack.engine.listExecutions({ stateMachineArn: second.stack.engine.stateMachineArn })
    ).executions.map((e) => e.name);
    expect(names.sort()).toEqual([...ids].sort());
    expect((await staffView(second, ids[2] as string)).status).toBe("awaiting_feedback");

    const token = await second.staffToken(["cards"], "agent");
    const done = await second.waitFor(
      () =>
        second.staff("POST", `/staff/complaints/${ids[0]}/actions`, token, { type: "resolve", resolution }),
      (r) => !busy(r),
    );
    expect(done.status).toBe(200);
    const feedback = () =>
      second.request("POST", `/complaints/${ids[0]}/feedback`, {
        headers: { "x-api-key": second.apiKey("mobile_app") },
        body: { satisfaction: 4, outcome: "accept" },
      });
    const accepted = await second.waitFor(feedback, (r) => !busy(r));
    expect(accepted.status).toBe(200);
    const closed = await second.waitFor(
      () => staffView(second, ids[0] as string),
      (v) => v.status === "closed",
    );
    // The lifecycle events, in order and once each (other kinds of audit event may sit between them).
    const lifecycle = new Set([
      "ComplaintReceived",
      "HandlingStarted",
      "Resolved",
      "FeedbackReceived",
      "Closed",
    ]);
    expect(closed.audit.map((e: { type: string }) => e.type).filter((t: string) => lifecycle.has(t))).toEqual(
      ["ComplaintReceived", "HandlingStarted", "Resolved", "FeedbackReceived", "Closed"],
    );
    // The audit chain survived the restart intact.
    const verified = await second.staff("GET", `/staff/complaints/${ids[0]}/audit/verify`, token);
    expect(verified.body.valid).toBe(true);
  }, 120_000);
});

describe("a monotonic clock", () => {
  const ats = (audit: { at: string }[]) => audit.map((e) => Date.parse(e.at));
  const nonDecreasing = (times: number[]) => times.every((t, i) => i === 0 || t >= (times[i - 1] as number));

  it("resumes on --data from the latest instant the data has seen, not from an earlier --start-at", async () => {
    const dir = mkdtempSync(join(tmpdir(), "complaints-clock-"));
    try {
      const first = await startHarness({ timeScale: 3600, dataDir: dir });
      h = first;
      const res = await first.submit("mobile_app", complaintBody({ description: "Clock case" }));
      expect(res.status).toBe(201);
      const agent = await first.staffToken(["cards"], "agent", "agent-clock");
      const seen = await first.waitFor(
        () => first.staff("GET", `/staff/complaints/${res.body.id}`, agent),
        (r) => r.body.status === "in_progress",
      );
      // Two real seconds: two simulated hours past the last event.
      await new Promise((r) => setTimeout(r, 2_000));
      const lastBefore = Math.max(...ats(seen.body.audit));
      await first.stop();
      h = undefined;

      // Started again with the same --start-at (the harness's Tuesday morning), hours behind the data.
      const second = await startHarness({ timeScale: 3600, dataDir: dir });
      h = second;
      const resumed = second.stack.resumedClockAt;
      expect(resumed).toBeInstanceOf(Date);
      expect((resumed as Date).getTime()).toBeGreaterThanOrEqual(lastBefore + 3_600_000);
      const noted = await second.staff("POST", `/staff/complaints/${res.body.id}/actions`, agent, {
        type: "note",
        note: "after the restart",
      });
      expect(noted.status, JSON.stringify(noted.body)).toBe(200);
      const view = await second.staff("GET", `/staff/complaints/${res.body.id}`, agent);
      const note = view.body.audit.find((e: { type: string }) => e.type === "NoteAdded");
      expect(Date.parse(note.at)).toBeGreaterThanOrEqual((resumed as Date).getTime());
      expect(nonDecreasing(ats(view.body.audit))).toBe(true);
      await second.stop();
      h = undefined;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("never records an audit event earlier than the one before it, whatever the clock did", async () => {
    const mem = await startHarness({ timeScale: 1 });
    h = mem;
    const res = await mem.submit("mobile_app", complaintBody({ description: "Clock set back" }));
    const agent = await mem.staffToken(["cards"], "agent", "agent-clock-back");
    const seen = await mem.waitFor(
      () => mem.staff("GET", `/staff/complaints/${res.body.id}`, agent),
      (r) => r.body.status === "in_progress",
    );
    const last = Math.max(...ats(seen.body.audit));
    // Someone sets the simulated clock a day back (a demo, a test).
    mem.stack.restartClock(new Date(last - 86_400_000));
    const noted = await mem.staff("POST", `/staff/complaints/${res.body.id}/actions`, agent, {
      type: "note",
      note: "with the clock a day behind",
    });
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    const view = await mem.staff("GET", `/staff/complaints/${res.body.id}`, agent);
    const note = view.body.audit.find((e: { type: string }) => e.type === "NoteAdded");
    expect(Date.parse(note.at)).toBe(last);
    expect(nonDecreasing(ats(view.body.audit))).toBe(true);
    await mem.stop();
    h = undefined;
  }, 60_000);
});
