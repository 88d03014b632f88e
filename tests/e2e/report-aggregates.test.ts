import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoReadModels } from "../../functions/adapters/dynamodb/read-models";
import {
  buildRegulatoryReport,
  buildSlaReport,
  regulatoryReportQuerySchema,
  slaReportQuerySchema,
} from "../../functions/app/reports";
import { buildRootCauseReport, rootCauseReportQuerySchema } from "../../functions/app/root-causes";
import type { Complaint } from "../../functions/domain/complaint";
import { complaintBody, type Harness, startHarness } from "./harness";

/**
 * The aggregates against a full recount. A scripted day on the embedded target — reopens, reassignments,
 * an escalation, an extension, a repeat, open and unanswered complaints — then every report the API
 * answers from the aggregates is compared with the same report computed over the complaints themselves
 * (the pure builders the endpoints used before). Redelivered stream records must change nothing; a
 * corrupted cell must be found by a check and put right by a rebuild.
 */
const START = new Date("2026-12-01T09:00:00+08:00");
const RANGE = "from=2026-11-30&to=2026-12-04";

let h: Harness;
let db: DynamoDBDocumentClient;
let manager: string;
const ids: string[] = [];

beforeAll(async () => {
  h = await startHarness({ timeScale: 60, startAt: START });
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: h.stack.dynamoEndpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    }),
  );
  manager = await h.staffToken([], "manager", "manager-wang");
  await runScenario();
  await h.stack.stream.drained();
}, 180_000);
afterAll(async () => {
  await h?.stop();
});

const runScenario = async () => {
  const cards = await h.staffToken(["cards"], "agent", "agent-li");
  const loans = await h.staffToken(["loans"], "agent", "agent-zhou");
  const loansSupervisor = await h.staffToken(["loans"], "supervisor", "supervisor-qian");
  const submit = async (body: unknown, channel: "mobile_app" | "wechat" = "mobile_app") => {
    const res = await h.submit(channel, body);
    expect(res.status).toBe(201);
    ids.push(res.body.id);
    return res.body.id as string;
  };
  const view = (id: string) => h.staff("GET", `/staff/complaints/${id}`, manager);
  const until = (id: string, done: (c: any) => boolean) =>
    h.waitFor(
      () => view(id),
      (r) => r.status === 200 && done(r.body),
      30_000,
    );
  const act = async (token: string, id: string, body: unknown) => {
    const res = await h.waitFor(
      () => h.staff("POST", `/staff/complaints/${id}/actions`, token, body),
      // A step of the workflow may land between our read and our decision: decide again.
      (r) => r.status !== 409 || !["TASK_BUSY", "COMPLAINT_CHANGED"].includes(r.body.error?.code),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const resolve = (token: string, id: string, extra: Record<string, unknown> = {}) =>
    act(token, id, {
      type: "resolve",
      resolution: { outcome: "upheld", summary: "Refunded", rootCause: "process", ...extra },
    });
  const feedback = async (
    id: string,
    channel: string,
    satisfaction: number,
    outcome: "accept" | "reopen",
  ) => {
    const res = await h.waitFor(
      () =>
        h.request("POST", `/complaints/${id}/feedback`, {
          headers: { "x-api-key": h.apiKey(channel as never) },
          body: { satisfaction, outcome },
        }),
      (r) => r.status !== 409 || r.body.error?.code !== "TASK_BUSY",
    );
    expect(res.status).toBe(200);
  };

  // 1: extended, reassigned to loans, escalated, resolved with redress and a remediation action,
  //    reopened, resolved again by a supervisor, accepted.
  const one = await submit(complaintBody({ customer: { id: "C-AG-1", segment: "mass_retail" } }));
  // 2: the same customer and business type while 1 is open: a repeat; rejected at once, accepted.
  const two = await submit(
    complaintBody({ customer: { id: "C-AG-1", segment: "mass_retail" }, branch: "SH-PUDONG-001" }),
    "wechat",
  );
  // 3: payments of a wealth client (routed to the wealth desk), left open.
  const three = await submit(
    complaintBody({ businessType: "payments", customer: { id: "C-AG-3", segment: "wealth" } }),
  );
  // 4: loans, partly upheld, no feedback yet.
  const four = await submit(
    complaintBody({ businessType: "loans", customer: { id: "C-AG-4", segment: "small_business" } }),
  );

  await until(one, (c) => c.status === "in_progress");
  await act(cards, one, { type: "claim" });
  await act(cards, one, { type: "extend", level: "cn_30", reason: "Card scheme enquiry" });
  await act(cards, one, { type: "reassign", team: "loans", reason: "It is the card loan" });
  await until(one, (c) => c.team === "loans" && c.status === "in_progress");
  await act(loans, one, { type: "escalate", reason: "Customer insists" });
  await resolve(loans, one, {
    remedy: { amount: "50.00", currency: "CNY" },
    remediation: { description: "Fix the fee job", owner: "cards ops", dueBy: "2026-12-01" },
  });
  await feedback(one, "mobile_app", 2, "reopen");
  await until(one, (c) => c.status === "in_progress" && c.cycle === 2);
  await resolve(loansSupervisor, one, { rootCause: "pricing_policy" });
  await feedback(one, "mobile_app", 4, "accept");

  await until(two, (c) => c.status === "in_progress");
  await resolve(cards, two, { outcome: "rejected", rootCause: "customer_misunderstanding" });
  await feedback(two, "wechat", 5, "accept");

  await until(four, (c) => c.status === "in_progress");
  await resolve(loans, four, { outcome: "partially_upheld", rootCause: "product_design" });
  await until(three, (c) => c.status === "in_progress");
  await until(one, (c) => c.status === "closed");
};

/** The complaints as stored (the recount's input), read past the API. */
const storedComplaints = async (): Promise<Complaint[]> =>
  new DynamoReadModels(db, h.stack.tableName).receivedBetween(
    new Date("2026-11-30T00:00:00Z"),
    new Date("2026-12-04T00:00:00Z"),
  );

/** Report bodies without the fields that say when they were read. */
const withoutTimes = (body: Record<string, unknown>) => {
  const { asOf: _asOf, lastChangedAt: _changed, ...rest } = body;
  return rest;
};

/** Equal, except percentiles (keys p50, p90), which may differ by the histogram's 1%. */
const expectSameFigures = (actual: unknown, expected: unknown, path = "") => {
  if (typeof expected === "number" && /p\d+$/.test(path)) {
    expect(typeof actual, path).toBe("number");
    expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(expected * 0.01 + 0.01);
    return;
  }
  if (expected && typeof expected === "object") {
    expect(actual && typeof actual === "object", path).toBe(true);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(e).sort());
    for (const k of Object.keys(e)) expectSameFigures(a[k], e[k], `${path}.${k}`);
    return;
  }
  expect(actual, path).toEqual(expected);
};

const reports = async () => {
  const get = async (path: string) => {
    const res = await h.staff("GET", path, manager);
    expect(res.status, path).toBe(200);
    return res.body;
  };
  return {
    team: await get(`/reports/sla?${RANGE}&groupBy=team`),
    segment: await get(`/reports/sla?${RANGE}&groupBy=segment`),
    priority: await get(`/reports/sla?${RANGE}&groupBy=priority`),
    regulatory: await get("/reports/regulatory?period=2026-Q4"),
    rootCauses: await get(`/reports/root-causes?${RANGE}`),
  };
};

/** The same reports computed over the complaints (a full recount). */
const recount = async (now: Date) => {
  const complaints = await storedComplaints();
  const sla = (groupBy: string) =>
    buildSlaReport(complaints, slaReportQuerySchema.parse({ from: "2026-11-30", to: "2026-12-04", groupBy }));
  const rootQuery = rootCauseReportQuerySchema.parse({ from: "2026-11-30", to: "2026-12-04" });
  return {
    team: sla("team"),
    segment: sla("segment"),
    priority: sla("priority"),
    regulatory: buildRegulatoryReport(
      complaints,
      regulatoryReportQuerySchema.parse({ period: "2026-Q4" }).period,
      now,
    ),
    rootCauses: buildRootCauseReport(complaints, [], rootQuery, now),
  };
};

const expectReportsMatchRecount = async () => {
  const fromAggregates = await reports();
  const now = new Date(fromAggregates.rootCauses.asOf);
  const expected = await recount(now);
  for (const name of Object.keys(expected) as (keyof typeof expected)[]) {
    expectSameFigures(
      withoutTimes(fromAggregates[name]),
      JSON.parse(JSON.stringify(withoutTimes(expected[name] as never))),
      name,
    );
  }
  return fromAggregates;
};

/** The audit items that carry report facts, as stream records (what the stream delivers again on a retry). */
const reportRecords = async () => {
  const records = [];
  let n = 0;
  for (const id of ids) {
    const out = await db.send(
      new QueryCommand({
        TableName: h.stack.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :e)",
        ExpressionAttributeValues: { ":pk": `COMPLAINT#${id}`, ":e": "EVENT#" },
      }),
    );
    for (const item of out.Items ?? []) {
      if (item.outReports === undefined) continue;
      records.push({
        eventName: "INSERT",
        dynamodb: {
          Keys: marshall({ pk: item.pk, sk: item.sk }),
          NewImage: marshall(item, { removeUndefinedValues: true }),
          SequenceNumber: String(++n).padStart(21, "0"),
        },
      });
    }
  }
  return records;
};

describe("report aggregates against a full recount", () => {
  it("answer every report exactly as a recount over the complaints", async () => {
    const body = await expectReportsMatchRecount();
    // The scenario is in the figures (so the comparison is not of two empty reports).
    expect(body.team.total).toMatchObject({ received: 4, resolved: 3, open: 1, reopens: 1, repeats: 1 });
    expect(body.team.groups.map((g: any) => [g.team, g.received])).toEqual([
      ["cards", 1],
      ["loans", 2],
      ["wealth", 1], // 3: a wealth client's payments complaint goes to the wealth desk
    ]);
    expect(body.rootCauses.total).toMatchObject({ received: 4, withRootCause: 3 });
    expect(body.rootCauses.remediationPastDue.map((r: any) => r.complaintId)).toEqual([]);
    expect(typeof body.team.lastChangedAt).toBe("string");
  });

  it("count a redelivered event once", async () => {
    const before = await reports();
    const records = await reportRecords();
    expect(records.length).toBeGreaterThan(ids.length);
    // The whole trail again, in order, and then its first records alone (an old event after newer ones).
    const again = (await h.stack.invoke("streamReports", { Records: records })) as { batchItemFailures: [] };
    expect(again.batchItemFailures).toEqual([]);
    await h.stack.invoke("streamReports", { Records: records.slice(0, 2) });
    const after = await reports();
    // Same figures, and the same lastChangedAt: nothing was written.
    const asRead = (r: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, { ...v, asOf: undefined }]));
    expect(asRead(after)).toEqual(asRead(before));
    expect(after.team.lastChangedAt).toBe(before.team.lastChangedAt);
  });

  it("a check finds a corrupted cell, and a rebuild puts it right", async () => {
    const check = { from: "2026-11-30", to: "2026-12-04", checkOnly: true };
    expect(await h.stack.invoke("reportsRebuild", check)).toMatchObject({ complaints: 4, cellsCorrected: 0 });
    // Corrupt the total of 1 December (its day cell): the report now disagrees with the recount.
    await db.send(
      new UpdateCommand({
        TableName: h.stack.tableName,
        Key: { pk: "REPORTS#DAY#2026-12", sk: "total#01#*" },
        UpdateExpression: "ADD r :five",
        ExpressionAttributeValues: { ":five": 5 },
      }),
    );
    const corrupted = await h.staff("GET", `/reports/sla?${RANGE}`, manager);
    expect(corrupted.body.total.received).toBe(9);
    expect(await h.stack.invoke("reportsRebuild", check)).toMatchObject({ cellsCorrected: 1 });
    const rebuilt = await h.stack.invoke("reportsRebuild", { from: "2026-11-30", to: "2026-12-04" });
    expect(rebuilt).toMatchObject({ complaints: 4, cellsCorrected: 1, checkOnly: false });
    await expectReportsMatchRecount();
    expect(await h.stack.invoke("reportsRebuild", check)).toMatchObject({ cellsCorrected: 0 });
  });

  it("refuses ranges off the quarter-hour, and a rebuild of part of a day", async () => {
    const res = await h.staff("GET", "/reports/sla?from=2026-12-01T00:10:00Z&to=2026-12-02", manager);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: "query.from", message: expect.any(String) }]);
    await expect(h.stack.invoke("reportsRebuild", { from: "2026-12-02", to: "2026-12-01" })).rejects.toThrow(
      /after 'from'/,
    );
  });
});
