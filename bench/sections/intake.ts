import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mdTable, type SectionResult, verdict } from "../lib/report";
import { fmt, percentile, progress, rng, sleep, timed } from "../lib/stats";
import { complaintBody, newKey, type System } from "../lib/system";

/** Bytes DynamoDB bills an item for: attribute names plus values (strings/numbers approximated as text). */
const itemBytes = (value: unknown): number => {
  if (value === null || value === undefined) return 1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (typeof value === "number") return Math.ceil(String(value).length / 2) + 1;
  if (typeof value === "boolean") return 1;
  if (Array.isArray(value)) return 3 + value.reduce((s: number, v) => s + 1 + itemBytes(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (s, [k, v]) => s + Buffer.byteLength(k) + 1 + itemBytes(v),
      0,
    )
  );
};

/** Waits (bounded) until the complaint's execution parks in "Wait for staff" (3 transitions). */
const parked = async (sys: System, id: string) => {
  const arn = `${sys.stack.engine.stateMachineArn.replace(":stateMachine:", ":execution:")}:${id}`;
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const s = (await sys.stack.engine.stats()).executions[arn];
    if (s && s.stateTransitions >= 3) return;
    await sleep(2);
  }
};

/**
 * Intake overhead: `POST /complaints` over loopback HTTP against a bare PutItem of an item of the same
 * size on the same DynamoDB Local, interleaved pair by pair in random order. Between pairs the previous
 * complaint's workflow is allowed to park (on AWS its steps run in other Lambdas; here they would share
 * the two cores with the next measurement). The intake's own store calls are replayed bare as well, to
 * show the floor its sequence of round trips sets.
 */
export const intakeSection = async (sys: System, opts: { pairs: number }): Promise<SectionResult> => {
  const table = sys.stack.tableName;
  const r = rng(7);
  // Warm up both paths (JIT, keep-alive sockets, DynamoDB Local's JVM).
  progress(`intake: warm-up`);
  let sampleId = "";
  for (let i = 0; i < 20; i++) {
    const res = await sys.submit("mobile_app", complaintBody(), newKey("warm"));
    sampleId = res.body.id;
    await parked(sys, sampleId);
  }
  const stored = await sys.db.send(
    new GetCommand({ TableName: table, Key: { pk: `COMPLAINT#${sampleId}`, sk: "META" } }),
  );
  const size = itemBytes(stored.Item);
  const pad = "x".repeat(Math.max(0, size - 40));
  let n = 0;
  const barePut = () =>
    sys.db.send(new PutCommand({ TableName: table, Item: { pk: `BENCH#PUT#${++n}`, sk: "META", pad } }));
  for (let i = 0; i < 20; i++) await barePut();

  const intake: number[] = [];
  const put: number[] = [];
  progress(`intake: ${opts.pairs} interleaved pairs (item ~${size} B)`);
  for (let i = 0; i < opts.pairs; i++) {
    const intakeFirst = r.chance(0.5);
    let id = "";
    const runIntake = async () => {
      const res = await sys.submit("mobile_app", complaintBody(), newKey("intake"));
      if (res.status === 201) intake.push(res.ms);
      id = res.body?.id ?? "";
    };
    const runPut = async () => put.push((await timed(barePut)).ms);
    if (intakeFirst) {
      await runIntake();
      await runPut();
    } else {
      await runPut();
      await runIntake();
    }
    if (id) await parked(sys, id);
    if ((i + 1) % 100 === 0) progress(`intake: ${i + 1}/${opts.pairs}`);
  }

  // The store round trips intake makes, one after another, replayed bare (same sizes, same store).
  progress("intake: replaying intake's store calls bare");
  const seqGet: number[] = [];
  const seqUpdate: number[] = [];
  const seqQuery: number[] = [];
  const seqTx: number[] = [];
  for (let i = 0; i < Math.min(100, opts.pairs); i++) {
    seqGet.push(
      (
        await timed(() =>
          sys.db.send(
            new GetCommand({
              TableName: table,
              Key: { pk: `IDEMPOTENCY#x#k${i}`, sk: "IDEMPOTENCY" },
              ConsistentRead: true,
            }),
          ),
        )
      ).ms,
    );
    seqUpdate.push(
      (
        await timed(() =>
          sys.db.send(
            new UpdateCommand({
              TableName: table,
              Key: { pk: "BENCH#COUNTER", sk: "COUNTER" },
              UpdateExpression: "ADD #n :one",
              ExpressionAttributeNames: { "#n": "value" },
              ExpressionAttributeValues: { ":one": 1 },
              ReturnValues: "UPDATED_NEW",
            }),
          ),
        )
      ).ms,
    );
    seqQuery.push(
      (
        await timed(() =>
          sys.db.send(
            new QueryCommand({
              TableName: table,
              IndexName: "GSI2",
              KeyConditionExpression: "gsi2pk = :p",
              ExpressionAttributeValues: { ":p": "CUSTOMER#C-100001" },
              ScanIndexForward: false,
              Limit: 20,
            }),
          ),
        )
      ).ms,
    );
    seqTx.push(
      (
        await timed(() =>
          sys.db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: table,
                    Item: { pk: `BENCH#TXI#${i}`, sk: "IDEMPOTENCY", pad: "x".repeat(600) },
                  },
                },
                { Put: { TableName: table, Item: { pk: `BENCH#TX#${i}`, sk: "META", pad } } },
                {
                  Put: {
                    TableName: table,
                    Item: { pk: `BENCH#TX#${i}`, sk: "EVENT#00000001", pad: "x".repeat(400) },
                  },
                },
              ],
            }),
          ),
        )
      ).ms,
    );
  }

  const p50i = percentile(intake, 50);
  const p99i = percentile(intake, 99);
  const p50p = percentile(put, 50);
  const p99p = percentile(put, 99);
  const ratio = p50i / p50p;
  const floor =
    percentile(seqGet, 50) + percentile(seqUpdate, 50) + percentile(seqQuery, 50) + percentile(seqTx, 50);
  return {
    id: "intake",
    title: "Intake overhead",
    figures: [
      { metric: "POST /complaints p50 / p99 (ms)", value: `${fmt(p50i)} / ${fmt(p99i)}` },
      { metric: "bare PutItem, same size, p50 / p99 (ms)", value: `${fmt(p50p)} / ${fmt(p99p)}` },
      {
        metric: "intake p50 / bare put p50",
        value: fmt(ratio),
        target: "<= 3x",
        ratio: `${fmt(ratio)}x`,
        verdict: verdict(ratio <= 3),
      },
    ],
    details: [
      `${opts.pairs} pairs, sequential, order randomised per pair; complaint item ${size} B, bare item padded to the same size. ` +
        "Client: Node http keep-alive on loopback. Between pairs the previous complaint's workflow parks first.",
      "Intake's store calls replayed bare, in the order intake makes them (p50 ms):",
      mdTable(
        [
          "GetItem idempotency (consistent)",
          "UpdateItem reference counter",
          "Query GSI2 customer",
          "TransactWriteItems (3 puts)",
          "sum (floor)",
          "intake p50",
          "intake - floor",
        ],
        [
          [
            fmt(percentile(seqGet, 50)),
            fmt(percentile(seqUpdate, 50)),
            fmt(percentile(seqQuery, 50)),
            fmt(percentile(seqTx, 50)),
            fmt(floor),
            fmt(p50i),
            fmt(p50i - floor),
          ],
        ],
      ),
      "Intake also calls StartExecution (a loopback HTTP call to the local Step Functions API) after the transaction.",
    ],
    data: {
      pairs: opts.pairs,
      itemBytes: size,
      intake: { p50: p50i, p99: p99i },
      put: { p50: p50p, p99: p99p },
      ratio,
      floor,
    },
  };
};
