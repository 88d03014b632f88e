import { MONTH_SHARDS } from "../../functions/adapters/dynamodb/table-schema";
import { mdTable, type SectionResult, verdict } from "../lib/report";
import { fmt, percentile, pool, progress, rng } from "../lib/stats";
import { complaintBody, newKey, resolution, type System } from "../lib/system";

/**
 * Issue 6 item 7, the bounded load test: N complaints through intake and resolution at concurrency C.
 * Most are resolved and accepted (closed); a share is deliberately left open (waiting for staff, or
 * waiting for feedback) so the accounting has both sides. Afterwards the store is audited independently
 * of the API: count in (201 answers) = closed + open, read from DynamoDB's month index; one execution per
 * complaint, SUCCEEDED for closed and RUNNING for open; a sample of hash-chained audit trails verified.
 */
export const loadSection = async (
  sys: System,
  opts: { n: number; concurrency: number },
): Promise<SectionResult> => {
  const r = rng(42);
  const statusesBefore = { ...sys.statuses };
  const errorsBefore = sys.serverErrors.length;
  const runStartedAt = new Date(Date.now() - 60_000).toISOString();
  const plan = Array.from({ length: opts.n }, () =>
    r.chance(0.05) ? "open_staff" : r.chance(0.05) ? "open_feedback" : "close",
  );
  const segments = ["mass_retail", "mass_retail", "mass_affluent", "small_business", "wealth"] as const;
  const businessTypes = ["cards", "loans", "payments", "deposits", "e_banking"] as const;
  const accepted: { id: string; plan: string; channel: "mobile_app" }[] = [];
  const failures: string[] = [];
  const latencies: number[] = [];
  let done = 0;
  const start = performance.now();
  progress(`load: ${opts.n} complaints at concurrency ${opts.concurrency}`);
  await pool(opts.n, opts.concurrency, async (i) => {
    const t0 = performance.now();
    const body = complaintBody({
      customer: { id: `L-${i}`, segment: segments[i % segments.length] },
      businessType: businessTypes[i % businessTypes.length],
    });
    const sub = await sys.submit("mobile_app", body, newKey(`load${i}`));
    if (sub.status !== 201) {
      failures.push(`intake ${sub.status}`);
      return;
    }
    const id = sub.body.id as string;
    accepted.push({ id, plan: plan[i]!, channel: "mobile_app" });
    if (plan[i] !== "open_staff") {
      const token = await sys.staffToken([sub.body.team], "agent");
      const res = await sys.act(token, id, { type: "resolve", resolution: resolution() });
      if (res.status !== 200) failures.push(`resolve ${res.status} ${res.body?.error?.code ?? ""}`);
      else if (plan[i] === "close") {
        const fb = await sys.feedback("mobile_app", id, { satisfaction: 4, outcome: "accept" });
        if (fb.status !== 200) failures.push(`feedback ${fb.status} ${fb.body?.error?.code ?? ""}`);
      }
    }
    latencies.push(performance.now() - t0);
    if (++done % 250 === 0) progress(`load: ${done}/${opts.n}`);
  });
  const driveSeconds = (performance.now() - start) / 1000;

  // Let the last workflows reach their resting states, then audit from the store itself.
  progress("load: settling and auditing");
  const engine = sys.stack.engine;
  const arnOf = (id: string) => `${engine.stateMachineArn.replace(":stateMachine:", ":execution:")}:${id}`;
  const expectClosed = new Set(accepted.filter((a) => a.plan === "close").map((a) => a.id));
  const settleDeadline = Date.now() + 60_000;
  let stats = await engine.stats();
  while (Date.now() < settleDeadline) {
    stats = await engine.stats();
    const pending = [...expectClosed].filter(
      (id) => stats.executions[arnOf(id)]?.status !== "SUCCEEDED",
    ).length;
    if (pending === 0) break;
    await new Promise((res) => setTimeout(res, 200));
  }

  // Independent count: every complaint of this run, read from the month index (all shards).
  const byStatus: Record<string, number> = {};
  const seen = new Set<string>();
  const acceptedIds = new Set(accepted.map((a) => a.id));
  const months = [...new Set([runStartedAt.slice(0, 7), new Date().toISOString().slice(0, 7)])];
  for (const month of months) {
    for (let shard = 0; shard < MONTH_SHARDS; shard++) {
      const items = await sys.queryAll({
        IndexName: "GSI3",
        KeyConditionExpression: "gsi3pk = :pk AND gsi3sk >= :from",
        ExpressionAttributeValues: { ":pk": `MONTH#${month}#${shard}`, ":from": runStartedAt },
      });
      for (const item of items) {
        const c = item.complaint as { id: string; status: string; customer: { id: string } };
        if (!c.customer.id.startsWith("L-") || !acceptedIds.has(c.id)) continue;
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
      }
    }
  }
  const closed = byStatus.closed ?? 0;
  const open = Object.entries(byStatus)
    .filter(([s]) => s !== "closed")
    .reduce((sum, [, n]) => sum + n, 0);
  const countIn = accepted.length;
  const execs = accepted.map((a) => stats.executions[arnOf(a.id)]);
  const oneExecutionEach = execs.every((e) => e !== undefined);
  const succeeded = execs.filter((e) => e?.status === "SUCCEEDED").length;
  const running = execs.filter((e) => e?.status === "RUNNING").length;
  const failedExecs = execs.filter((e) => e && e.status !== "SUCCEEDED" && e.status !== "RUNNING").length;

  // A sample of audit trails: the hash chain recomputed by the API.
  const manager = await sys.staffToken(
    ["cards", "loans", "payments", "deposits", "digital", "wealth", "general"],
    "manager",
  );
  const sample = accepted
    .filter((_, i) => i % Math.max(1, Math.floor(accepted.length / 100)) === 0)
    .slice(0, 100);
  let verified = 0;
  for (const a of sample) {
    const v = await sys.asStaff(manager, "GET", `/staff/complaints/${a.id}/audit/verify`);
    if (v.status === 200 && v.body?.valid === true) verified++;
  }

  const statuses: Record<string, number> = {};
  for (const [k, v] of Object.entries(sys.statuses)) statuses[k] = v - (statusesBefore[k] ?? 0);
  const fiveXx = sys.serverErrors.length - errorsBefore;
  const accounted = countIn === closed + open && seen.size === countIn;
  const ok =
    accounted &&
    fiveXx === 0 &&
    oneExecutionEach &&
    failedExecs === 0 &&
    succeeded === closed &&
    running === open;
  const wanted = {
    close: plan.filter((p) => p === "close").length,
    open: plan.filter((p) => p !== "close").length,
  };
  return {
    id: "load",
    title: `Load test (issue 6, item 7): ${opts.n} complaints at concurrency ${opts.concurrency}`,
    figures: [
      {
        metric: `complaints in = closed + open (store count)`,
        value: `${countIn} = ${closed} + ${open}`,
        target: "every complaint accounted for",
        ratio: accounted ? "balanced" : `off by ${countIn - closed - open}`,
        verdict: verdict(accounted),
      },
      {
        metric: "5xx answers",
        value: String(fiveXx),
        target: "0",
        ratio: String(fiveXx),
        verdict: verdict(fiveXx === 0),
      },
      {
        metric: "executions: one per complaint; SUCCEEDED = closed, RUNNING = open",
        value: `${succeeded} succeeded, ${running} running, ${failedExecs} failed`,
        target: "matches the store",
        verdict: verdict(oneExecutionEach && failedExecs === 0 && succeeded === closed && running === open),
      },
      {
        metric: "load throughput (complaints/s, drive phase)",
        value: fmt(countIn / driveSeconds),
        verdict: "INFO",
      },
    ],
    details: [
      `Plan: ${wanted.close} resolved and accepted (to close), ${wanted.open} left open on purpose (half waiting for staff, half waiting for feedback). ` +
        `Drive phase ${fmt(driveSeconds)} s; per-complaint chain p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms.`,
      mdTable(["answers", ...Object.keys(statuses)], [["count", ...Object.values(statuses)]]),
      `Store count by status (GSI3 month index, read directly from DynamoDB): ${JSON.stringify(byStatus)}. ` +
        `Client-side failures: ${failures.length}${failures.length ? ` (${[...new Set(failures)].slice(0, 5).join("; ")})` : ""}. ` +
        `Audit chains verified: ${verified}/${sample.length} sampled.`,
      ok
        ? "Result: every complaint accounted for, zero 5xx."
        : "Result: NOT balanced — see the figures above.",
    ],
    data: {
      n: opts.n,
      concurrency: opts.concurrency,
      countIn,
      closed,
      open,
      byStatus,
      fiveXx,
      succeeded,
      running,
      failedExecs,
      driveSeconds,
      verified,
      sample: sample.length,
      statuses,
      failures: failures.length,
    },
  };
};
