import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { HANDLERS } from "../../functions/handlers/catalog";
import { mdTable, type SectionResult, verdict } from "../lib/report";
import { fmt, progress, sleep } from "../lib/stats";
import { complaintBody, newKey, resolution, type System, WORKING_TUESDAY } from "../lib/system";

/**
 * AWS list prices, us-east-1, as published on the pricing pages below (checked 2026; see BENCHMARKS.md).
 * - Step Functions Standard: $0.025 per 1,000 state transitions (https://aws.amazon.com/step-functions/pricing/)
 * - Lambda arm64: $0.0000133334 per GB-second (first 7.5 billion GB-s/month), $0.20 per 1M requests
 *   (https://aws.amazon.com/lambda/pricing/)
 * - DynamoDB on-demand, Standard table class: $0.625 per million write request units, $0.125 per million
 *   read request units (https://aws.amazon.com/dynamodb/pricing/on-demand/)
 */
export const PRICES = {
  sfnPerTransition: 0.025 / 1000,
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  ddbPerWru: 0.625 / 1_000_000,
  ddbPerRru: 0.125 / 1_000_000,
  /** Memory of every function (infra/constructs/handler-function.ts). */
  lambdaGb: 512 / 1024,
};

const DAY_S = 86_400;

interface Lifecycle {
  scenario: string;
  id: string;
  transitions: number;
  retries: number;
  workflowLambdas: number;
  apiCalls: number;
  checkpoints: number;
  checkpointKinds: string[];
  lambdaMs: number;
  wru: number;
  rru: number;
  ddbCalls: number;
  status: string;
  openDays: number;
}

/**
 * Workflow cost per complaint lifecycle, measured on the embedded engine at a scaled clock: state
 * transitions from the engine's event log (`StateEntered`, plus `StateRetried`), Lambda invocations
 * (the workflow's, timed in-process, plus one per API call), DynamoDB capacity units from a counting proxy
 * that asks DynamoDB Local for `ReturnConsumedCapacity` on every call the handlers make, and the USD at
 * list prices.
 */
export const workflowCostSection = async (
  sys: System,
  opts: { longDays: number },
): Promise<SectionResult> => {
  const scale = sys.stack.engine.timeScale;
  const proxy = await sys.countDynamo();
  sys.timeWorkflowLambdas();
  const engine = sys.stack.engine;
  const arnOf = (id: string) => `${engine.stateMachineArn.replace(":stateMachine:", ":execution:")}:${id}`;
  const channel = "mobile_app" as const;
  const agent = await sys.staffToken(["cards"], "agent");
  const supervisor = await sys.staffToken(["cards"], "supervisor");
  const manager = await sys.staffToken(["cards"], "manager");

  /** Reads the stored complaint straight from DynamoDB Local (bypassing the proxy: not part of the bill). */
  const waitStored = async (id: string, done: (c: Record<string, any>) => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = await sys.db.send(
        new GetCommand({ TableName: sys.stack.tableName, Key: { pk: `COMPLAINT#${id}`, sk: "META" } }),
      );
      const c = out.Item?.complaint ?? {};
      if (done(c)) return c;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting on ${id}: ${JSON.stringify(c).slice(0, 300)}`);
      await sleep(10);
    }
  };

  const run = async (
    scenario: string,
    script: (id: string, api: { calls: number }) => Promise<void>,
    openDays = 0,
  ): Promise<Lifecycle> => {
    progress(`workflow cost: ${scenario}`);
    sys.stack.restartClock(WORKING_TUESDAY);
    proxy.reset();
    const api = { calls: 1 };
    const sub = await sys.submit(
      channel,
      complaintBody({ customer: { id: `W-${scenario.replace(/\W/g, "")}`, segment: "mass_retail" } }),
      newKey("wf"),
    );
    if (sub.status !== 201) throw new Error(`intake failed: ${sub.status}`);
    const id = sub.body.id as string;
    await script(id, api);
    const closed = await waitStored(id, (c) => c.status === "closed", 30_000);
    // Wait for the execution itself to finish (the close step is its last Lambda).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await engine.stats()).executions[arnOf(id)]?.status === "RUNNING")
      await sleep(20);
    const s = (await engine.stats()).executions[arnOf(id)];
    // Every call the handlers made meanwhile belongs to this lifecycle (nothing else runs; the benchmark's
    // own polling reads DynamoDB Local directly, not through the proxy).
    const counts = proxy.counts();
    const staffView = await sys.asStaff(manager, "GET", `/staff/complaints/${id}`);
    const audit = (staffView.body?.audit ?? []) as { type: string }[];
    const kinds = audit
      .map((e) => e.type)
      .filter((t) =>
        ["SlaWarning", "SlaBreached", "Escalated", "StatutoryDeadlineBreached", "TierTimedOut"].includes(t),
      );
    let lambdaMs = 0;
    let checkpoints = 0;
    for (const [name, t] of Object.entries(sys.lambdaTimings)) {
      const per = t.byComplaint[id];
      if (!per) continue;
      lambdaMs += per.ms ?? 0;
      if (name.endsWith("checkSlaClock")) checkpoints += per.count ?? 0;
    }
    return {
      scenario,
      id,
      transitions: s?.stateTransitions ?? Number.NaN,
      retries: s?.retries ?? 0,
      workflowLambdas: s?.lambdaInvocations ?? Number.NaN,
      apiCalls: api.calls,
      checkpoints,
      checkpointKinds: kinds,
      lambdaMs,
      wru: counts.wru,
      rru: counts.rru,
      ddbCalls: Object.values(counts.calls).reduce((a, b) => a + b, 0),
      status: `${closed.status}/${s?.status}`,
      openDays,
    };
  };

  const resolveAs = async (token: string, id: string, api: { calls: number }) => {
    api.calls++;
    const r = await sys.act(token, id, { type: "resolve", resolution: resolution() });
    if (r.status !== 200) throw new Error(`resolve: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const accept = async (id: string, api: { calls: number }) => {
    api.calls++;
    const r = await sys.feedback(channel, id, { satisfaction: 5, outcome: "accept" });
    if (r.status !== 200) throw new Error(`feedback: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const waitView = (id: string, done: (c: Record<string, any>) => boolean, timeoutMs: number) =>
    waitStored(id, done, timeoutMs);
  /** Real milliseconds for simulated days at this clock scale. */
  const realMs = (days: number) => (days * DAY_S * 1000) / scale;

  const results: Lifecycle[] = [];
  results.push(
    await run("first-time resolution", async (id, api) => {
      await resolveAs(agent, id, api);
      await accept(id, api);
    }),
  );
  results.push(
    await run("with one warning", async (id, api) => {
      await waitView(id, (v) => v.slaPhase === "at_risk", realMs(30) + 5_000);
      await resolveAs(agent, id, api);
      await accept(id, api);
    }),
  );
  results.push(
    await run("with one escalation", async (id, api) => {
      await waitView(id, (v) => v.tier >= 1, realMs(30) + 5_000);
      await resolveAs(supervisor, id, api);
      await accept(id, api);
    }),
  );
  results.push(
    await run("with a pause (request_info + reply)", async (id, api) => {
      api.calls += 2;
      const asked = await sys.act(agent, id, {
        type: "request_info",
        question: "Which card was charged twice?",
      });
      if (asked.status !== 200) throw new Error(`request_info: ${asked.status}`);
      const replied = await sys.reply(channel, id, "The gold card ending 4417");
      if (replied.status !== 200) throw new Error(`reply: ${replied.status}`);
      await resolveAs(agent, id, api);
      await accept(id, api);
    }),
  );
  results.push(
    await run("with a reopen", async (id, api) => {
      await resolveAs(agent, id, api);
      api.calls++;
      const re = await sys.feedback(channel, id, {
        satisfaction: 1,
        outcome: "reopen",
        comment: "Still charged",
      });
      if (re.status !== 200) throw new Error(`reopen: ${re.status}`);
      await resolveAs(supervisor, id, api);
      await accept(id, api);
    }),
  );
  results.push(
    await run(
      "open 1 day, then resolved",
      async (id, api) => {
        await sleep(realMs(1));
        await resolveAs(agent, id, api);
        await accept(id, api);
      },
      1,
    ),
  );
  results.push(
    await run(
      `open ${opts.longDays} days, then resolved`,
      async (id, api) => {
        const deadline = Date.now() + realMs(opts.longDays);
        while (Date.now() < deadline) {
          await sleep(Math.min(2_000, deadline - Date.now()));
          progress(
            `workflow cost: ${opts.longDays}-day complaint, ${fmt(((Date.now() - deadline) / realMs(1)) * -1, 1)} simulated days to go`,
          );
        }
        await resolveAs(manager, id, api);
        await accept(id, api);
      },
      opts.longDays,
    ),
  );

  const cost = (l: Lifecycle) => {
    const lambdaRequests = l.workflowLambdas + l.apiCalls;
    // API handlers' time is approximated by their loopback round trip: an upper bound of their duration.
    const lambdaSeconds = l.lambdaMs / 1000 + l.apiCalls * 0.03;
    const sfn = (l.transitions + l.retries) * PRICES.sfnPerTransition;
    const lambda =
      lambdaRequests * PRICES.lambdaPerRequest + lambdaSeconds * PRICES.lambdaGb * PRICES.lambdaPerGbSecond;
    const ddb = l.wru * PRICES.ddbPerWru + l.rru * PRICES.ddbPerRru;
    return {
      sfn: sfn * 1000,
      lambda: lambda * 1000,
      ddb: ddb * 1000,
      total: (sfn + lambda + ddb) * 1000,
      lambdaRequests,
    };
  };

  const first = results[0]!;
  const warning = results[1]!;
  const escalation = results[2]!;
  const oneDay = results[5]!;
  const long = results[6]!;
  const perCheckpoint = (l: Lifecycle) =>
    l.checkpoints > 0 ? (l.transitions - first.transitions) / l.checkpoints : Number.NaN;
  const perCheckpointWorst = Math.max(perCheckpoint(warning), perCheckpoint(escalation), perCheckpoint(long));
  const growth = long.transitions - oneDay.transitions;
  const unexplained = growth - 3 * (long.checkpoints - oneDay.checkpoints);
  const kindsLong = long.checkpointKinds.reduce<Record<string, number>>((m, k) => {
    m[k] = (m[k] ?? 0) + 1;
    return m;
  }, {});
  const idleRechecks = long.checkpoints - long.checkpointKinds.length;

  const rows = results.map((l) => {
    const c = cost(l);
    return [
      l.scenario,
      l.transitions,
      l.retries,
      l.checkpoints,
      `${l.workflowLambdas} + ${l.apiCalls}`,
      l.ddbCalls,
      fmt(l.wru, 1),
      fmt(l.rru, 1),
      `$${c.sfn.toFixed(4)}`,
      `$${c.lambda.toFixed(4)}`,
      `$${c.ddb.toFixed(4)}`,
      `**$${c.total.toFixed(4)}**`,
      l.status,
    ];
  });

  return {
    id: "workflow",
    title: "Workflow cost per complaint lifecycle",
    figures: [
      {
        metric: "state transitions, first-time resolution",
        value: String(first.transitions),
        target: "<= 12",
        ratio: String(first.transitions),
        verdict: verdict(first.transitions <= 12),
      },
      {
        metric: "state transitions per SLA checkpoint (worst of warning / escalation / long-open)",
        value: fmt(perCheckpointWorst),
        target: "<= 3",
        ratio: fmt(perCheckpointWorst),
        verdict: verdict(perCheckpointWorst <= 3),
      },
      {
        metric: `transitions open 1 day vs ${opts.longDays} days`,
        value: `${oneDay.transitions} vs ${long.transitions}`,
        target: "no growth with time open (beyond SLA checkpoints)",
        ratio: `+${growth} = 3 x ${long.checkpoints - oneDay.checkpoints} checkpoints ${unexplained === 0 ? "+ 0 unexplained" : `+ ${unexplained} unexplained`}`,
        verdict: verdict(unexplained === 0),
      },
      {
        metric: "USD per 1,000 complaints, first-time resolution (SFN + Lambda + DynamoDB)",
        value: `$${cost(first).total.toFixed(3)}`,
        verdict: "INFO",
      },
    ],
    details: [
      `Clock scale ${scale} simulated s per real s; every scenario starts on ${WORKING_TUESDAY.toISOString()} (a CN working Tuesday, 09:00), ` +
        "a mass-retail cards complaint (P3, team cards). Transitions = `StateEntered` events of the complaint's execution " +
        "(retries are listed apart; each would be one more billed transition). Checkpoints = invocations of *Check SLA clock*. " +
        "Lambda = workflow steps + API calls of the lifecycle (intake, staff actions, customer calls). DynamoDB units: every " +
        "call the handlers made during the lifecycle went through a counting proxy which set `ReturnConsumedCapacity: INDEXES`; " +
        "the figures are what DynamoDB Local reported (table + GSIs, transactional writes doubled).",
      mdTable(
        [
          "lifecycle",
          "transitions",
          "retries",
          "SLA checkpoints",
          "Lambda (workflow + API)",
          "DynamoDB calls",
          "WRU",
          "RRU",
          "SFN $/1k",
          "Lambda $/1k",
          "DynamoDB $/1k",
          "total $/1k",
          "final",
        ],
        rows,
      ),
      `${opts.longDays}-day complaint's checkpoints: ${JSON.stringify(kindsLong)}${idleRechecks > 0 ? ` plus ${idleRechecks} without an SLA event (the monthly re-check at the top tier, or a statutory check)` : ""}. ` +
        "Each checkpoint costs exactly *Check SLA clock* -> *What happens next?* -> *Wait for staff*: 3 transitions; nothing is polled while a complaint waits.",
      "Lambda GB-seconds: workflow steps timed in-process here; API handlers counted at 30 ms each (their loopback round trip is an upper bound). " +
        "At 512 MB arm64 the Lambda share is dominated by the per-request price. Not included: API Gateway requests, SNS notices, CloudWatch logs/metrics, storage.",
      `Prices (us-east-1, list, checked on the pages cited in this file): Step Functions Standard $0.025 per 1,000 transitions; ` +
        "Lambda arm64 $0.0000133334 per GB-s and $0.20 per 1M requests; DynamoDB on-demand $0.625 per million WRU and $0.125 per million RRU.",
    ],
    data: {
      scale,
      results: results.map((l) => ({ ...l, cost: cost(l) })),
      perCheckpointWorst,
      growth,
      unexplained,
      handlers: Object.keys(HANDLERS).length,
    },
  };
};
