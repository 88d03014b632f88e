import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  DynamoComplaintStore,
  InvalidCursorError,
} from "../../../functions/adapters/dynamodb/complaint-repository";
import { chainHash, GENESIS_HASH } from "../../../functions/app/audit-chain";
import { ConcurrentUpdateError, TransientStoreError } from "../../../functions/app/ports";
import { toIntakeResponse } from "../../../functions/domain/views";
import { newComplaint } from "../domain/fixtures";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
const ddb = mockClient(DynamoDBDocumentClient);
const store = new DynamoComplaintStore(doc, "complaints-test");

afterEach(() => ddb.reset());

const complaint = newComplaint();
const item = (overrides: Record<string, unknown> = {}) => ({
  pk: `COMPLAINT#${complaint.id}`,
  sk: "META",
  complaint,
  version: 0,
  eventCount: 1,
  lastEventHash: "a".repeat(64),
  ...overrides,
});

describe("DynamoComplaintStore", () => {
  it("creates the complaint, its audit event and the idempotency record in one conditional transaction", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const created = await store.create({
      complaint,
      events: [
        {
          type: "ComplaintReceived",
          at: complaint.receivedAt,
          actor: { kind: "channel", channel: "mobile_app" },
          statusAfter: "received",
        },
      ],
      idempotency: {
        channel: "mobile_app",
        key: "k-12345678",
        requestHash: "h",
        complaintId: complaint.id,
        response: toIntakeResponse(complaint, new Date("2026-12-01T02:00:00Z")),
      },
      idempotencyExpiresAt: new Date("2026-12-02T02:00:00Z"),
    });
    expect(created).toBe(true);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    const input = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    const items = input.TransactItems!.map((t) => t.Put!);
    expect(items.map((p) => p.Item!.pk)).toEqual([
      "IDEMPOTENCY#mobile_app#k-12345678",
      `COMPLAINT#${complaint.id}`,
      `REFERENCE#${complaint.reference}`,
      `COMPLAINT#${complaint.id}`,
    ]);
    // The reference a customer quotes leads to the complaint.
    expect(items[2]!.Item).toEqual({
      pk: `REFERENCE#${complaint.reference}`,
      sk: "REFERENCE",
      complaintId: complaint.id,
    });
    expect(items.every((p) => p.ConditionExpression === "attribute_not_exists(pk)")).toBe(true);
    expect(items[0]!.Item!.expiresAt).toBe(Math.floor(Date.parse("2026-12-02T02:00:00Z") / 1000));
    // The open complaint sits in its team's queue, sorted by due time.
    expect(items[1]!.Item).toMatchObject({
      gsi1pk: "QUEUE#cards",
      gsi1sk: `${complaint.sla.resolveBy}#${complaint.id}`,
      gsi2pk: "CUSTOMER#C-1001",
    });
    // The first audit event chains from the genesis hash.
    const event = items[3]!.Item!;
    expect(event.sk).toBe("EVENT#00000001");
    expect(event.prevHash).toBe(GENESIS_HASH);
    const { pk: _pk, sk: _sk, hash, prevHash: _prev, ...body } = event;
    expect(hash).toBe(chainHash(GENESIS_HASH, body as never));
  });

  it("reports a taken idempotency key as false, not an error", async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: "cancelled",
        $metadata: {},
        CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }],
      }),
    );
    const created = await store.create({
      complaint,
      events: [],
      idempotency: {
        channel: "mobile_app",
        key: "k-12345678",
        requestHash: "h",
        complaintId: complaint.id,
        response: toIntakeResponse(complaint, new Date("2026-12-01T02:00:00Z")),
      },
      idempotencyExpiresAt: new Date(),
    });
    expect(created).toBe(false);
  });

  it("parks a refused delivery under its complaint, listed oldest first on the month index's PARKED shards", async () => {
    ddb.on(PutCommand).resolves({});
    const delivery = {
      complaintId: complaint.id,
      version: 7,
      parkedAt: "2026-12-01T03:00:00.000Z",
      attempts: 1,
      lastAttemptAt: "2026-12-01T03:00:00.000Z",
      target: "customer_notices" as const,
      noticeIds: [`${complaint.id}-7-1`],
    };
    await store.park(delivery);
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put.Item).toMatchObject({
      pk: `COMPLAINT#${complaint.id}`,
      sk: "PARKED#00000007#customer_notices",
      gsi3pk: expect.stringMatching(/^PARKED#[0-3]$/),
      gsi3sk: `2026-12-01T03:00:00.000Z#${complaint.id}#7#customer_notices`,
      noticeIds: delivery.noticeIds,
    });

    // Read back from every shard, validated, oldest first, at most `limit`.
    const older = {
      ...put.Item,
      parkedAt: "2026-12-01T02:00:00.000Z",
      version: 6,
      sk: "PARKED#00000006#customer_notices",
    };
    ddb.on(QueryCommand).callsFake((input) => ({
      Items: input.ExpressionAttributeValues[":pk"] === "PARKED#2" ? [put.Item, older] : [],
    }));
    const parked = await store.parked(10);
    expect(
      ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.ExpressionAttributeValues?.[":pk"]),
    ).toEqual(["PARKED#0", "PARKED#1", "PARKED#2", "PARKED#3"]);
    expect(parked.map((d) => d.version)).toEqual([6, 7]);
    expect(parked[0]).not.toHaveProperty("gsi3pk");
    expect(await store.parked(1)).toHaveLength(1);

    ddb.on(QueryCommand).resolves({ Items: [{ ...put.Item, target: "smoke_signals" }] });
    await expect(store.parked(10)).rejects.toThrow();

    ddb.on(DeleteCommand).resolves({});
    await store.unpark(delivery);
    expect(ddb.commandCalls(DeleteCommand)[0]!.args[0].input.Key).toEqual({
      pk: `COMPLAINT#${complaint.id}`,
      sk: "PARKED#00000007#customer_notices",
    });
    // A redelivery that failed again counts the attempt; one unparked meanwhile is not an error.
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: "gone", $metadata: {} }));
    await expect(store.stillParked(delivery, new Date("2026-12-01T03:05:00Z"))).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      UpdateExpression: "SET attempts = attempts + :one, lastAttemptAt = :at",
      ConditionExpression: "attribute_exists(pk)",
    });
  });

  it("reads a range of the month index page by page, every shard of every month, keeping no page", async () => {
    const at = (n: number) => ({
      ...complaint,
      id: `${complaint.id.slice(0, -2)}${n}0`,
      receivedAt: `2026-0${n}-02T00:00:00.000Z`,
    });
    // Shard 1 of May answers in two pages; every other partition is empty.
    ddb.on(QueryCommand).callsFake((input) => {
      const pk = input.ExpressionAttributeValues[":pk"];
      if (pk !== "MONTH#2026-05#1") return { Items: [] };
      return input.ExclusiveStartKey
        ? { Items: [item({ complaint: at(5) })] }
        : {
            Items: [item({ complaint: at(6) }), item({ complaint: at(4) })],
            LastEvaluatedKey: { pk: "x", sk: "y" },
          };
    });
    const from = new Date("2026-04-15T00:00:00Z");
    const to = new Date("2026-06-15T00:00:00Z");
    const pages: string[][] = [];
    await store.eachReceivedBetween(from, to, (page) =>
      pages.push(page.map((c) => c.receivedAt.slice(5, 7))),
    );
    expect(pages.filter((p) => p.length > 0)).toEqual([["06", "04"], ["05"]]);
    const partitions = ddb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[":pk"]);
    expect(new Set(partitions)).toEqual(
      new Set(["2026-04", "2026-05", "2026-06"].flatMap((m) => [0, 1, 2, 3].map((s) => `MONTH#${m}#${s}`))),
    );
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      IndexName: "GSI3",
      KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
      ExpressionAttributeValues: expect.objectContaining({
        ":from": from.toISOString(),
        ":to": to.toISOString(),
      }),
    });
    // The whole-range read is the same complaints, in receipt order.
    expect((await store.receivedBetween(from, to)).map((c) => c.receivedAt.slice(5, 7))).toEqual([
      "04",
      "05",
      "06",
    ]);
  });

  it("turns throttling into TransientStoreError (what the workflow retries and HTTP answers 503 for)", async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error("slow down"), { name: "ThrottlingException" }));
    await expect(store.get(complaint.id)).rejects.toBeInstanceOf(TransientStoreError);
  });

  it("saves conditionally on the version and token read, and leaves the queue when closed", async () => {
    ddb.on(GetCommand).resolves({ Item: item({ taskToken: "tok", taskStage: "staff" }) });
    ddb.on(TransactWriteCommand).resolves({});
    const closed = { ...complaint, status: "closed" as const, closedAt: "2026-12-02T00:00:00.000Z" };
    const saved = await store.save({
      after: closed,
      events: [],
      condition: { expectedVersion: 0, expectedToken: "tok" },
      task: null,
    });
    expect(saved.version).toBe(1);
    const update = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Update!;
    expect(update.ConditionExpression).toBe("version = :expected AND taskToken = :token");
    expect(update.ExpressionAttributeValues).toMatchObject({
      ":expected": 0,
      ":token": "tok",
      ":version": 1,
    });
    expect(update.UpdateExpression).toContain("REMOVE gsi1pk, gsi1sk, taskToken, taskStage, taskSince");
  });

  it("raises ConcurrentUpdateError when the version moved on", async () => {
    ddb.on(GetCommand).resolves({ Item: item({ version: 3 }) });
    await expect(
      store.save({ after: complaint, events: [], condition: { expectedVersion: 2 } }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it("registers a task token only while the complaint waits for staff", async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: "no", $metadata: {} }))
      .resolves({});
    expect(await store.registerTask(complaint.id, { stage: "staff", token: "t1", since: "x" })).toBe(false);
    expect(await store.registerTask(complaint.id, { stage: "staff", token: "t2", since: "x" })).toBe(true);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: "attribute_exists(pk) AND #status = :waiting",
      ExpressionAttributeValues: expect.objectContaining({ ":token": "t2", ":waiting": "in_progress" }),
    });
  });

  it("rejects a row that does not parse instead of trusting it", async () => {
    ddb.on(GetCommand).resolves({ Item: item({ complaint: { ...complaint, status: "lost" } }) });
    await expect(store.get(complaint.id)).rejects.toThrow();
  });

  it("queries a team queue from the queue index (never a Scan), filling a filtered page, and refuses forged cursors", async () => {
    const lastKey = { pk: "a", sk: "b", gsi1pk: "c", gsi1sk: "d" };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item()], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [item()] });
    const page = await store.queue("cards", { limit: 10, filter: { slaPhase: "breached", tier: 1 } });
    // A filtered page keeps reading until it is full or the queue ends.
    expect(page.items).toHaveLength(2);
    expect(page.cursor).toBeUndefined();
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      IndexName: "GSI1",
      FilterExpression: "#slaPhase = :slaPhase AND #tier = :tier",
      ExpressionAttributeValues: { ":pk": "QUEUE#cards", ":slaPhase": "breached", ":tier": 1 },
      Limit: 10,
    });
    expect(calls[1]).toMatchObject({ ExclusiveStartKey: lastKey, Limit: 9 });

    // A filter that matches nothing stops after a bounded number of reads and answers with a cursor.
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: lastKey });
    const next = await store.queue("cards", { limit: 5, filter: { tier: 3 } });
    expect(next.items).toEqual([]);
    expect(next.cursor).toBeDefined();
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(5);
    await store.queue("cards", { limit: 5, cursor: next.cursor! });
    expect(ddb.commandCalls(QueryCommand).at(-1)!.args[0].input.ExclusiveStartKey).toEqual(lastKey);
    await expect(store.queue("cards", { limit: 10, cursor: "bm9wZQ" })).rejects.toBeInstanceOf(
      InvalidCursorError,
    );
  });
  it("finds a customer's open complaints about a business type across every page of the customer index", async () => {
    const lastKey = { pk: "a", sk: "b", gsi2pk: "c", gsi2sk: "d" };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [item()] });
    const open = await store.openComplaintsAbout("C-1001", "cards");
    expect(open.map((c) => c.id)).toEqual([complaint.id]);
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({
      IndexName: "GSI2",
      FilterExpression: "#status <> :closed AND #c.businessType = :bt",
      ExpressionAttributeValues: { ":pk": "CUSTOMER#C-1001", ":closed": "closed", ":bt": "cards" },
    });
    expect(calls[0]?.Limit).toBeUndefined();
    expect(calls[1]?.ExclusiveStartKey).toEqual(lastKey);
  });
});
