import { DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { DynamoComplaintRepository } from "../../../functions/adapters/dynamodb/complaint-repository";
import { DynamoReadModels } from "../../../functions/adapters/dynamodb/read-models";
import { TransientStoreError } from "../../../functions/app/ports";
import { toIntakeResponse } from "../../../functions/domain/views";
import { newComplaint } from "../domain/fixtures";

/*
 * What DynamoDB Local cannot be made to do on demand: throttle, time out, cancel a transaction for a
 * conflict. The queries and conditions themselves are proven against DynamoDB Local in
 * tests/adapters/dynamodb.test.ts.
 */

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
const ddb = mockClient(DynamoDBDocumentClient);
const repo = new DynamoComplaintRepository(doc, "complaints-test");
const reads = new DynamoReadModels(doc, "complaints-test");
afterEach(() => ddb.reset());

const complaint = newComplaint();
const creation = () => ({
  complaint,
  events: [],
  deliveries: [],
  idempotency: {
    channel: "mobile_app",
    key: "k-12345678",
    requestHash: "h",
    complaintId: complaint.id,
    response: toIntakeResponse(complaint, new Date("2026-12-01T02:00:00Z")),
  },
  idempotencyExpiresAt: new Date("2026-12-02T02:00:00Z"),
});
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: "cancelled",
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("DynamoDB adapters under faults", () => {
  it("turns throttling and timeouts into TransientStoreError (what the workflow retries and HTTP answers 503 for)", async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error("slow down"), { name: "ThrottlingException" }));
    await expect(repo.get(complaint.id)).rejects.toBeInstanceOf(TransientStoreError);
    ddb.reset();
    ddb.on(QueryCommand).rejects(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    await expect(reads.audit(complaint.id)).rejects.toBeInstanceOf(TransientStoreError);
  });

  it("reads a taken idempotency key (the first item's condition) as false, and a conflict as transient", async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled("ConditionalCheckFailed", "None", "None"));
    expect(await repo.create(creation())).toBe(false);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled("None", "TransactionConflict", "None"));
    await expect(repo.create(creation())).rejects.toBeInstanceOf(TransientStoreError);
  });
});
