import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../infra/local/stack";
import { type LocalStore, startLocalStore } from "../../../infra/local/store";
import { type LocalStreamConsumer, startStreamPoller } from "../../../infra/local/stream-poller";

/*
 * The embedded event source mapping against DynamoDB Local's streams API: what Lambda promises for a
 * DynamoDB stream — filters, batches, partial batch responses retried from the first failure, bisect on a
 * throwing handler, bounded retries, then the dead-letter list — and a position that survives a restart.
 */

let store: LocalStore;
let streams: DynamoDBStreamsClient;
let dir: string;
let table = 0;

beforeAll(async () => {
  store = await startLocalStore({ port: await freePort(), tableName: "poller-0" });
  streams = new DynamoDBStreamsClient({
    endpoint: store.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  dir = mkdtempSync(join(tmpdir(), "stream-poller-"));
});
afterAll(async () => {
  streams?.destroy();
  await store?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh table (with its stream) per test, so positions start from nothing. */
const freshTable = async () => {
  const name = `poller-${++table}`;
  await startLocalStoreTable(name);
  return name;
};
const startLocalStoreTable = async (name: string) => {
  const { createTableInput } = await import("../../../functions/adapters/dynamodb/table-schema");
  const { CreateTableCommand } = await import("@aws-sdk/client-dynamodb");
  await store.client.send(new CreateTableCommand(createTableInput(name)));
};

const put = (
  tableName: string,
  pk: string,
  sk: string,
  extra: Record<string, { N: string } | { S: string }> = {},
) =>
  store.client.send(
    new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, sk: { S: sk }, ...extra } }),
  );

const EVENTS_ONLY = [
  { eventName: ["INSERT"], dynamodb: { NewImage: { sk: { S: [{ prefix: "EVENT#" }] } } } },
];

/** A consumer recording what it was handed; `decide` may fail records or throw. */
const consumer = (
  id: string,
  decide: (sk: string, attempt: number) => "ok" | "fail" | "throw" = () => "ok",
): LocalStreamConsumer & { seen: string[][]; delivered: string[] } => {
  const attempts = new Map<string, number>();
  const seen: string[][] = [];
  const delivered: string[] = [];
  return {
    id,
    filters: EVENTS_ONLY,
    seen,
    delivered,
    handler: async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      const sks = event.Records.map((r) => `${r.dynamodb?.Keys?.pk?.S}/${r.dynamodb?.NewImage?.sk?.S}`);
      seen.push(sks);
      const failures: { itemIdentifier: string }[] = [];
      for (const r of event.Records) {
        const sk = `${r.dynamodb?.Keys?.pk?.S}/${r.dynamodb?.NewImage?.sk?.S}`;
        const n = (attempts.get(sk) ?? 0) + 1;
        attempts.set(sk, n);
        const verdict = decide(sk, n);
        if (verdict === "throw") throw new Error("handler crashed");
        if (verdict === "fail") failures.push({ itemIdentifier: r.dynamodb?.SequenceNumber ?? "" });
        else delivered.push(sk);
      }
      return { batchItemFailures: failures };
    },
  };
};

const poller = (tableName: string, consumers: LocalStreamConsumer[], checkpointFile?: string) =>
  startStreamPoller({
    dynamo: store.client,
    streams,
    tableName,
    consumers,
    batchSize: 3,
    retryAttempts: 2,
    retryBackoffMs: 5,
    activePollMs: 5,
    idlePollMs: 20,
    ...(checkpointFile ? { checkpointFile } : {}),
  });

describe("the embedded stream poller", () => {
  it("hands each consumer the records its filter passes, in order, in batches of at most batchSize", async () => {
    const name = await freshTable();
    for (let i = 1; i <= 4; i++) await put(name, "COMPLAINT#A", `EVENT#${i}`);
    await put(name, "COMPLAINT#A", "META");
    await put(name, "COMPLAINT#A", "EVENT#5");
    const c = consumer("c1");
    const p = await poller(name, [c]);
    await p.drained();
    await p.stop();
    expect(c.delivered).toEqual([1, 2, 3, 4, 5].map((i) => `COMPLAINT#A/EVENT#${i}`));
    expect(Math.max(...c.seen.map((b) => b.length))).toBeLessThanOrEqual(3);
    expect(p.deadLetters()).toEqual([]);
  });

  it("retries a partial failure from its first failed record: what came before is not handed over again", async () => {
    const name = await freshTable();
    for (let i = 1; i <= 3; i++) await put(name, "COMPLAINT#A", `EVENT#${i}`);
    const c = consumer("c1", (sk, n) => (sk.endsWith("EVENT#2") && n === 1 ? "fail" : "ok"));
    const p = await poller(name, [c]);
    await p.drained();
    await p.stop();
    expect(c.seen[0]).toEqual(["COMPLAINT#A/EVENT#1", "COMPLAINT#A/EVENT#2", "COMPLAINT#A/EVENT#3"]);
    expect(c.seen[1]).toEqual(["COMPLAINT#A/EVENT#2", "COMPLAINT#A/EVENT#3"]);
    expect(c.delivered.filter((d) => d.endsWith("EVENT#1"))).toHaveLength(1);
    expect(new Set(c.delivered)).toEqual(new Set([1, 2, 3].map((i) => `COMPLAINT#A/EVENT#${i}`)));
  });

  it("bisects a batch whose handler throws, and dead-letters the record that keeps failing after its retries", async () => {
    const name = await freshTable();
    for (let i = 1; i <= 3; i++) await put(name, "COMPLAINT#A", `EVENT#${i}`);
    const c = consumer("c1", (sk) => (sk.endsWith("EVENT#3") ? "throw" : "ok"));
    const other = consumer("c2");
    const p = await poller(name, [c, other]);
    await p.drained();
    await p.stop();
    // A throwing handler may have done part of its batch before it threw: those come again (at least once).
    expect(new Set(c.delivered)).toEqual(new Set(["COMPLAINT#A/EVENT#1", "COMPLAINT#A/EVENT#2"]));
    expect(c.seen).toContainEqual(["COMPLAINT#A/EVENT#1", "COMPLAINT#A/EVENT#2"]);
    expect(p.deadLetters()).toEqual([
      expect.objectContaining({ consumer: "c1", records: 1, attempts: 3, error: "Error" }),
    ]);
    // Another consumer of the same stream is not held up by it.
    expect(other.delivered).toHaveLength(3);
  });

  it("resumes from its kept position after a restart, delivering only what came after", async () => {
    const name = await freshTable();
    const file = join(dir, `${name}.json`);
    await put(name, "COMPLAINT#A", "EVENT#1");
    const first = consumer("c1");
    const p1 = await poller(name, [first], file);
    await p1.drained();
    await p1.stop();
    await put(name, "COMPLAINT#A", "EVENT#2");
    const second = consumer("c1");
    const p2 = await poller(name, [second], file);
    await p2.drained();
    await p2.stop();
    expect(first.delivered).toEqual(["COMPLAINT#A/EVENT#1"]);
    expect(second.delivered).toEqual(["COMPLAINT#A/EVENT#2"]);
  });
});
