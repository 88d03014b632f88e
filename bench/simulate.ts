import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { calendarFor } from "../functions/domain/calendar";
import type { Channel, Segment } from "../functions/domain/codes";
import { defaultRoutingTable } from "../functions/domain/routing";
import { fmt, pool, progress, rng, sleep } from "./lib/stats";
import { newKey, resolution, System } from "./lib/system";
import { dailySeries, groupBy, groupStats } from "./sim/analyse";
import { renderHtml } from "./sim/html";
import {
  BUSINESS_MIX,
  CAUSE_MIX,
  CHANNEL_MIX,
  type ComplaintOutcome,
  HOUR_WEIGHT,
  SEGMENT_MIX,
  type SimPolicy,
  type SimResult,
  simPolicySchema,
  WEEKDAY_FACTOR,
} from "./sim/model";

const USAGE = `npm run simulate -- [--days 10] [--arrivals 60/day] [--staff cards=3,loans=2,*=1] [--policy policy.json]
                    [--out .local/simulation.html] [--json .local/simulation.json] [--label name] [--seed 1]
                    [--start 2026-11-02T00:00:00+08:00] [--time-scale N]
npm run simulate -- --compare a.json b.json [--out .local/comparison.html]

Replays synthetic arrivals (weekday and office-hour peaks; segment, business type, cause and channel mix;
customers slow to reply or never replying; some reopening) through the real embedded system at a scaled
clock, with simulated staff working their team queues (nearest deadline first) within CN business hours.
--staff: agents per team (teams: ${[...new Set(defaultRoutingTable.map((r) => r.team))].join(", ")}); "*=N" for the rest (default 1).
--policy: a JSON file with the operating policy (see bench/sim/model.ts: workOrder, handlingMinutes,
requestInfoRate, supervisorsPerTeam, availability, customer behaviour shares).
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    days: { type: "string", default: "10" },
    arrivals: { type: "string", default: "60/day" },
    staff: { type: "string", default: "cards=3,loans=2,payments=2,digital=2,*=1" },
    policy: { type: "string" },
    out: { type: "string" },
    json: { type: "string" },
    label: { type: "string" },
    seed: { type: "string", default: "1" },
    start: { type: "string", default: "2026-11-02T00:00:00+08:00" },
    "time-scale": { type: "string" },
    compare: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "  n/a");
const pad = (s: string | number, n: number) => String(s).padStart(n);

const printRuns = (runs: SimResult[]) => {
  const out: string[] = [];
  const line = (label: string, f: (r: SimResult) => string | number) =>
    out.push(`${label.padEnd(34)}${runs.map((r) => pad(f(r), 22)).join("")}`);
  out.push(`${"".padEnd(34)}${runs.map((r) => pad(r.label.slice(0, 20), 22)).join("")}`);
  line("complaints submitted", (r) => r.totals.submitted);
  line("SLA attainment", (r) => pct(r.totals.attainment));
  line("internal SLA breaches", (r) => r.totals.breaches);
  line("statutory breaches", (r) => r.totals.statutoryBreaches);
  line("escalations", (r) => r.totals.escalations);
  line("backlog at the end (unresolved)", (r) => r.totals.backlog);
  line("median hours to first resolution", (r) => fmt(r.totals.medianResolveHours, 1));
  line("HTTP 5xx", (r) => r.totals.http5xx);
  for (const [title, pick] of [
    ["by team", (r: SimResult) => r.byTeam],
    ["by segment", (r: SimResult) => r.bySegment],
  ] as const) {
    out.push("", `${title}: complaints / attainment / breaches / escalations / backlog`);
    const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))];
    for (const k of keys)
      line(`  ${k}`, (r) => {
        const g = pick(r)[k];
        return g
          ? `${g.complaints} ${pct(g.attainment).trim()} ${g.breaches} ${g.escalations} ${g.backlog}`
          : "-";
      });
  }
  process.stdout.write(`${out.join("\n")}\n`);
};

const writeOut = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

if (values.compare) {
  if (positionals.length < 2) throw new Error(`--compare needs two JSON files\n${USAGE}`);
  const runs = positionals.map((p) => JSON.parse(readFileSync(p, "utf8")) as SimResult);
  printRuns(runs);
  const out = values.out ?? ".local/simulation-comparison.html";
  writeOut(out, renderHtml(runs));
  progress(`wrote ${out}`);
  process.exit(0);
}

// --- options ---------------------------------------------------------------------------------------------
const days = Number(values.days);
const arrivalsPerDay = Number(/^(\d+(?:\.\d+)?)(?:\/day)?$/.exec(values.arrivals!)?.[1] ?? Number.NaN);
if (!(days > 0) || !(arrivalsPerDay > 0)) throw new Error(`bad --days or --arrivals\n${USAGE}`);
const teams = [...new Set(defaultRoutingTable.map((r) => r.team))];
const staff: Record<string, number> = {};
let rest = 1;
for (const part of values.staff!.split(",").filter(Boolean)) {
  const [team, n] = part.split("=");
  if (team === "*") rest = Number(n);
  else if (!teams.includes(team!)) throw new Error(`unknown team '${team}'; teams: ${teams.join(", ")}`);
  else staff[team!] = Number(n);
}
for (const t of teams) staff[t] ??= rest;
const policy: SimPolicy = simPolicySchema.parse(
  values.policy ? JSON.parse(readFileSync(values.policy, "utf8")) : {},
);
const seed = Number(values.seed);
const start = new Date(values.start!);
const horizon = new Date(start.getTime() + days * 86_400_000);
const expected = days * arrivalsPerDay;
// Fit the run into a few minutes without saturating the system (2 cores run it all): ~4 arrivals a real second.
const timeScale = Number(values["time-scale"] ?? Math.round((days * 86_400) / Math.max(90, expected / 4)));
const label =
  values.label ??
  `${policy.name}: ${Object.entries(staff)
    .filter(([, n]) => n !== rest)
    .map(([t, n]) => `${t}=${n}`)
    .join(",")}${rest !== 1 ? `,*=${rest}` : ""}`;
const out = values.out ?? ".local/simulation.html";
const jsonOut = values.json ?? `${out.replace(/\.html?$/, "")}.json`;
const r = rng(seed);
const cal = calendarFor("CN");

// --- arrivals ---------------------------------------------------------------------------------------------
interface Arrival {
  at: number;
  channel: Channel;
  body: Record<string, unknown>;
  reply: "fast" | "slow" | "never";
  feedback: "accept" | "reopen" | "none";
}
const arrivals: Arrival[] = [];
const weekMean = WEEKDAY_FACTOR.reduce((a, b) => a + b, 0) / 7;
const hourTotal = HOUR_WEIGHT.reduce((a, b) => a + b, 0);
for (let d = 0; d < days; d++) {
  const dayStart = start.getTime() + d * 86_400_000;
  const weekday = (new Date(dayStart + 8 * 3_600_000).getUTCDay() + 6) % 7;
  const mean = (arrivalsPerDay * WEEKDAY_FACTOR[weekday]!) / weekMean;
  const n = Math.max(0, Math.round(mean + Math.sqrt(mean) * (r.next() + r.next() + r.next() - 1.5) * 2));
  for (let i = 0; i < n; i++) {
    let h = r.next() * hourTotal;
    let hour = 0;
    for (; hour < 23; hour++) {
      h -= HOUR_WEIGHT[hour]!;
      if (h <= 0) break;
    }
    const segment = r.weighted(SEGMENT_MIX) as Segment;
    const channel = r.weighted(CHANNEL_MIX) as Channel;
    const customerId = `SIM-${r.int(1, Math.max(50, Math.floor(expected * 0.9)))}`;
    arrivals.push({
      at: dayStart + hour * 3_600_000 + r.next() * 3_600_000,
      channel,
      body: {
        customer: { id: customerId, segment, name: "Wang Fang", phone: "+86 139 0000 0000" },
        businessType: r.weighted(BUSINESS_MIX),
        cause: r.weighted(CAUSE_MIX),
        description: "Synthetic complaint for the staffing simulation: a disputed charge and a slow answer.",
        ...(r.chance(0.03)
          ? { flags: { vulnerableCustomer: true } }
          : r.chance(0.005)
            ? { flags: { mediaRisk: true } }
            : {}),
      },
      reply: r.chance(policy.noReplyShare) ? "never" : r.chance(policy.slowReplyShare) ? "slow" : "fast",
      feedback: r.chance(policy.noFeedbackShare)
        ? "none"
        : r.chance(policy.reopenShare)
          ? "reopen"
          : "accept",
    });
  }
}
arrivals.sort((a, b) => a.at - b.at);

// --- run --------------------------------------------------------------------------------------------------
progress(
  `simulate: ${days} days from ${start.toISOString()}, ${arrivals.length} arrivals, clock x${timeScale} ` +
    `(~${fmt((days * 86_400) / timeScale, 0)} s real), staff ${JSON.stringify(staff)}, policy ${policy.name}`,
);
const sys = await System.start({ timeScale, startAt: start, reconcileEveryMs: 30_000 });
const realStart = Date.now();
sys.stack.restartClock(start);
const originReal = Date.now();
const simNow = () => start.getTime() + (Date.now() - originReal) * timeScale;
const sleepUntilSim = async (t: number) => {
  const ms = (t - simNow()) / timeScale;
  if (ms > 0) await sleep(ms);
};
const isBusiness = (t: number) => cal.businessMinutesBetween(new Date(t), new Date(t + 60_000)).minutes > 0;
const nextBusinessStart = (t: number) => cal.addBusinessMinutes(new Date(t), 1).at.getTime() - 60_000;
let running = true;
const actions: Record<string, number> = {};
const count = (k: string) => {
  actions[k] = (actions[k] ?? 0) + 1;
};
const lateness: number[] = [];

interface Tracked {
  channel: Channel;
  arrival: Arrival;
  reopened: boolean;
}
const tracked = new Map<string, Tracked>();
const inflight = new Set<Promise<unknown>>();
const spawn = (p: Promise<unknown>) => {
  const q = p
    .catch((e) => progress(`simulate: ${String(e).slice(0, 200)}`))
    .finally(() => inflight.delete(q));
  inflight.add(q);
};
const at = (t: number, fn: () => Promise<unknown>) => {
  if (t >= horizon.getTime()) return;
  spawn(sleepUntilSim(t).then(() => (running ? fn() : undefined)));
};

const customerReply = (id: string, t: Tracked) => {
  if (t.arrival.reply === "never") return;
  const delayH = t.arrival.reply === "fast" ? r.exp(8) : 72 + r.next() * 144;
  at(simNow() + delayH * 3_600_000, async () => {
    const res = await sys.reply(t.channel, id, "Here are the details you asked for.");
    count(`customer-reply ${res.status}`);
  });
};
const customerFeedback = (id: string, t: Tracked) => {
  if (t.arrival.feedback === "none") return;
  at(simNow() + r.exp(36) * 3_600_000, async () => {
    const reopen = t.arrival.feedback === "reopen" && !t.reopened;
    const res = await sys.feedback(
      t.channel,
      id,
      reopen
        ? { satisfaction: 1, outcome: "reopen", comment: "Not solved" }
        : { satisfaction: 4, outcome: "accept" },
    );
    if (reopen && res.status === 200) t.reopened = true;
    count(`feedback-${reopen ? "reopen" : "accept"} ${res.status}`);
  });
};

for (const a of arrivals)
  at(a.at, async () => {
    lateness.push(Math.max(0, simNow() - a.at));
    const res = await sys.submit(a.channel, a.body, newKey("sim"));
    count(`intake ${res.status}`);
    if (res.status === 201) tracked.set(res.body.id, { channel: a.channel, arrival: a, reopened: false });
  });

// Staff: per team, a dispatcher hands queue items (nearest deadline first) to free staff in business hours.
interface Worker {
  subject: string;
  role: "agent" | "supervisor";
  token: string;
  busy: boolean;
}
const taken = new Set<string>();
const overheads: number[] = [];
const asked = new Set<string>();
const lognormal = (median: number) =>
  median * Math.exp(0.6 * (r.next() + r.next() + r.next() + r.next() - 2) * 1.22);
const work = async (team: string, w: Worker, item: { id: string; businessType: string }) => {
  const id = item.id;
  w.busy = true;
  taken.add(id);
  // Handling time runs from the moment the item is picked: the claim's round trip is part of it.
  const began = simNow();
  try {
    const claimed = await sys.act(w.token, id, { type: "claim" });
    count(`claim ${claimed.status}`);
    if (claimed.status === 200) count(`worked by ${team}`);
    if (claimed.status !== 200) return;
    const minutes =
      lognormal(policy.handlingMinutes * (policy.handlingFactor[item.businessType] ?? 1)) /
      policy.availability;
    const due = cal.addBusinessMinutes(new Date(began), minutes).at.getTime();
    await sleepUntilSim(due);
    if (!running) return;
    const t = tracked.get(id);
    if (!asked.has(id) && r.chance(policy.requestInfoRate)) {
      const res = await sys.act(w.token, id, {
        type: "request_info",
        question: "Please send the statement page with the charge.",
      });
      count(`request_info ${res.status}`);
      if (res.status === 200 && t) {
        asked.add(id);
        customerReply(id, t);
      }
    } else {
      const res = await sys.act(w.token, id, {
        type: "resolve",
        resolution: resolution(r.chance(0.6) ? "upheld" : "rejected"),
      });
      count(`resolve ${res.status}`);
      if (res.status === 200 && t) customerFeedback(id, t);
    }
    // How much later than the model says the decision landed (driver and system latency, simulated).
    overheads.push(Math.max(0, simNow() - due));
  } finally {
    w.busy = false;
    taken.delete(id);
  }
};
const dispatcher = async (team: string, workers: Worker[]) => {
  const reader = workers[0]!;
  while (running) {
    const now = simNow();
    if (!isBusiness(now)) {
      await sleepUntilSim(Math.min(nextBusinessStart(now), horizon.getTime()));
      continue;
    }
    const free = workers.filter((w) => !w.busy);
    const idle = async () => sleep(Math.max(250, (15 * 60_000) / timeScale));
    if (free.length === 0) {
      await idle();
      continue;
    }
    const q = await sys.asStaff(reader.token, "GET", `/queues/${team}?limit=50&stage=in_progress`);
    count(`queue ${q.status}`);
    let items = (
      (q.body?.items ?? []) as { id: string; tier: number; receivedAt: string; businessType: string }[]
    ).filter((i) => !taken.has(i.id));
    if (policy.workOrder === "fifo") items = items.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    let assigned = 0;
    for (const w of [...free].sort((a) => (a.role === "supervisor" ? -1 : 1))) {
      const i = items.findIndex((it) => (w.role === "supervisor" ? true : it.tier < 2));
      if (i < 0) continue;
      const [item] = items.splice(i, 1);
      spawn(work(team, w, item!));
      assigned++;
    }
    if (assigned === 0) await idle();
    else await sleep(20);
  }
};
const dispatchers: Promise<void>[] = [];
for (const team of teams) {
  const workers: Worker[] = [];
  for (let i = 0; i < staff[team]!; i++)
    workers.push({
      subject: `${team}-agent-${i + 1}`,
      role: "agent",
      token: await sys.staffToken([team], "agent", `${team}-agent-${i + 1}`),
      busy: false,
    });
  for (let i = 0; i < policy.supervisorsPerTeam; i++)
    workers.push({
      subject: `${team}-supervisor-${i + 1}`,
      role: "supervisor",
      token: await sys.staffToken([team], "supervisor", `${team}-supervisor-${i + 1}`),
      busy: false,
    });
  if (workers.length) dispatchers.push(dispatcher(team, workers));
}

// Progress once per simulated day.
while (simNow() < horizon.getTime()) {
  await sleep(Math.min(2_000, Math.max(50, (horizon.getTime() - simNow()) / timeScale)));
  const day = Math.floor((simNow() - start.getTime()) / 86_400_000);
  progress(
    `simulate: day ${Math.min(day, days)}/${days}, ${tracked.size} complaints in, ${inflight.size} tasks pending, 5xx ${sys.serverErrors.length}`,
  );
}
running = false;
progress("simulate: horizon reached; collecting outcomes from the store");
await Promise.race([Promise.allSettled([...dispatchers]), sleep(5_000)]);

// --- outcomes, read straight from DynamoDB (META + audit events up to the horizon) -------------------------
const breachTimes: number[] = [];
const escalationTimes: number[] = [];
const ids = [...tracked.keys()];
const outcomes = await pool(ids.length, 8, async (i): Promise<ComplaintOutcome> => {
  const id = ids[i]!;
  const meta = await sys.db.send(
    new GetCommand({ TableName: sys.stack.tableName, Key: { pk: `COMPLAINT#${id}`, sk: "META" } }),
  );
  const events = (
    await sys.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :e)",
      ExpressionAttributeValues: { ":pk": `COMPLAINT#${id}`, ":e": "EVENT#" },
    })
  )
    .filter((e) => Date.parse(e.at) <= horizon.getTime())
    .map((e) => ({ type: e.type as string, at: e.at as string }));
  const c = meta.Item?.complaint ?? {};
  const of = (type: string) => events.filter((e) => e.type === type);
  for (const e of of("SlaBreached")) breachTimes.push(Date.parse(e.at));
  for (const e of of("Escalated")) escalationTimes.push(Date.parse(e.at));
  const closedAt = of("Closed")[0]?.at;
  const firstResolvedAt = of("Resolved")[0]?.at;
  return {
    id,
    team: c.team,
    segment: c.customer?.segment,
    priority: c.priority,
    channel: c.channel,
    receivedAt: c.receivedAt,
    status: closedAt ? "closed" : firstResolvedAt ? "resolved" : "open",
    resolveBy: c.sla?.resolveBy,
    ...(firstResolvedAt ? { firstResolvedAt } : {}),
    ...(closedAt ? { closedAt } : {}),
    warned: of("SlaWarning").length > 0,
    breached: of("SlaBreached").length > 0,
    escalations: of("Escalated").length,
    statutoryBreaches: of("StatutoryDeadlineBreached").length,
    reopened: of("Reopened").length,
    infoRequests: of("InformationRequested").length,
    tier: c.tier ?? 0,
  };
});
const realSeconds = (Date.now() - realStart) / 1000;
const http5xx = sys.serverErrors.length;
const errorSamples = [
  ...new Set(
    sys.serverErrors.map(
      (e) =>
        `${e.method} ${e.path.replace(/[0-9A-HJKMNP-TV-Z]{26}/, "{id}")} ${e.status} ${JSON.stringify(e.body).slice(0, 160)}`,
    ),
  ),
].slice(0, 5);
await sys.stop();

const totals = groupStats(outcomes, horizon);
const series = dailySeries(outcomes, start, days, breachTimes, escalationTimes);
const result: SimResult = {
  version: 1,
  label,
  options: { days, arrivalsPerDay, staff, policy, start: start.toISOString(), timeScale, seed },
  realSeconds,
  totals: { ...totals, arrivals: arrivals.length, submitted: outcomes.length, http5xx, actions },
  byTeam: groupBy(outcomes, (c) => c.team, horizon),
  bySegment: groupBy(outcomes, (c) => c.segment, horizon),
  daily: series.daily,
  dailyBacklogByTeam: series.byTeam,
  complaints: outcomes,
};
printRuns([result]);
const lag = lateness.sort((a, b) => a - b)[Math.floor(lateness.length * 0.95)] ?? 0;
const overhead = overheads.sort((a, b) => a - b)[Math.floor(overheads.length / 2)] ?? 0;
process.stdout.write(
  `\nactions: ${JSON.stringify(actions)}\narrival lag p95: ${fmt(lag / 60_000, 1)} simulated minutes` +
    `${lag > 3_600_000 ? " (the driver fell behind: rerun with a smaller --time-scale for faithful figures)" : ""}\n` +
    `staff decision overhead p50: ${fmt(overhead / 60_000, 0)} simulated minutes per item beyond the modelled handling time` +
    `${overhead > 30 * 60_000 ? " (high: staff output is understated; a smaller --time-scale gives more faithful staffing figures)" : ""}\n`,
);
if (errorSamples.length) process.stdout.write(`5xx answers (distinct): \n  ${errorSamples.join("\n  ")}\n`);
writeOut(jsonOut, JSON.stringify(result, null, 1));
writeOut(out, renderHtml([result]));
progress(`simulate: wrote ${out} and ${jsonOut} (${fmt(realSeconds, 0)} s real)`);
process.exit(0);
