import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { chainHash, GENESIS_HASH } from "../../app/audit-chain";
import {
  type AuditEvent,
  type ComplaintChange,
  type ComplaintReader,
  type ComplaintRepository,
  ConcurrentUpdateError,
  type DecisionRecord,
  type EventDeliveries,
  type IdempotencyRecord,
  type NewComplaint,
  type PendingTask,
  type StoredComplaint,
} from "../../app/ports";
import { type Complaint, type DomainEvent, STAGE_OF } from "../../domain/complaint";
import type { CustomerNotice } from "../../domain/notices";
import { toAuditItem, toNoticeItem } from "./audit-item";
import {
  type ChainPosition,
  fromComplaintItem,
  fromDecisionItem,
  fromIdempotencyItem,
  referenceItemSchema,
  toComplaintItem,
  toDecisionItem,
  toIdempotencyItem,
} from "./complaint-item";
import { key } from "./keys";
import { guarded } from "./store-errors";
import { TABLE } from "./table-schema";

/** The status a complaint has while the workflow waits in a callback stage. */
const statusWaitingIn = (stage: PendingTask["stage"]): string =>
  Object.entries(STAGE_OF).find(([, s]) => s === stage)?.[0] ?? "in_progress";

const QUEUE_INDEX = [TABLE.indexes.byQueue.partitionKey, TABLE.indexes.byQueue.sortKey];

/**
 * Reads of one complaint (by id, by reference) on DynamoDB: what the read-only handlers are wired with. A
 * class of its own because a class's methods are never tree-shaken: a bundle that constructs only this
 * carries none of the commit path (transactions, the hash chain, the outbox's item layout).
 */
export class DynamoComplaintReader implements ComplaintReader {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async idByReference(reference: string): Promise<string | undefined> {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key.reference(reference), ConsistentRead: true }),
      ),
    );
    return out.Item ? referenceItemSchema.parse(out.Item).complaintId : undefined;
  }

  /** The complaint item, read strongly consistent, with its place in the hash chain. */
  protected async read(id: string) {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key.complaint(id), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromComplaintItem(out.Item) : undefined;
  }

  async get(id: string): Promise<StoredComplaint | undefined> {
    return (await this.read(id))?.stored;
  }
}

/**
 * The complaint aggregate on DynamoDB (single table; see docs/architecture.md "Data model"): the complaint
 * item, its hash-chained audit events and its notices, written together in one transaction per change,
 * conditional on the version read.
 */
export class DynamoComplaintRepository extends DynamoComplaintReader implements ComplaintRepository {
  async reserveReferences(localDate: string, count: number): Promise<{ first: number; last: number }> {
    // One atomic ADD hands out a block: concurrent containers get disjoint ranges, never the same number.
    const out = await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.counter(localDate),
          UpdateExpression: "ADD #n :count",
          ExpressionAttributeNames: { "#n": "value" },
          ExpressionAttributeValues: { ":count": count },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    const last = Number(out.Attributes?.value);
    return { first: last - count + 1, last };
  }

  /**
   * The audit events of a change, chained after the last stored one, as conditional Puts, each carrying
   * what it hands over (the outbox).
   */
  private chain(
    id: string,
    startSeq: number,
    prevHash: string,
    events: readonly DomainEvent[],
    deliveries: readonly EventDeliveries[],
  ) {
    let hash = prevHash;
    const puts = events.map((e, i) => {
      const body = { ...e, seq: startSeq + i };
      const next = chainHash(hash, body);
      const item: AuditEvent = { ...body, prevHash: hash, hash: next };
      hash = next;
      return this.put(toAuditItem(id, item, deliveries[i]));
    });
    return { lastHash: hash, puts };
  }

  /** Puts of the notices a change calls for, numbered after the ones already stored; never overwritten. */
  private noticePuts(id: string, startSeq: number, notices: readonly CustomerNotice[] = []) {
    return notices.map((notice, i) => this.put(toNoticeItem(id, startSeq + i, notice)));
  }

  /** A transaction Put that never overwrites. */
  private put(item: Record<string, unknown>) {
    return {
      Put: { TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(pk)" },
    };
  }

  async create(input: NewComplaint): Promise<boolean> {
    const { complaint, events, idempotency } = input;
    const { lastHash, puts } = this.chain(complaint.id, 1, GENESIS_HASH, events, input.deliveries);
    const notices = this.noticePuts(complaint.id, 1, input.notices);
    const lastEventAt = events.at(-1)?.at;
    const position: ChainPosition = {
      eventCount: events.length,
      lastEventHash: lastHash,
      ...(lastEventAt ? { lastEventAt } : {}),
      noticeCount: notices.length,
    };
    try {
      await guarded(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              // First, so a replay's cancellation reason names it (index 0).
              this.put(toIdempotencyItem(idempotency, input.idempotencyExpiresAt, TABLE.ttlAttribute)),
              this.put(toComplaintItem(complaint, position)),
              // References are unique (one counter per local date); the lookup lands with the complaint.
              this.put({ ...key.reference(complaint.reference), complaintId: complaint.id }),
              ...puts,
              ...notices,
            ],
          }),
        ),
      );
      return true;
    } catch (e) {
      if (
        e instanceof TransactionCanceledException &&
        e.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
      ) {
        return false;
      }
      throw e;
    }
  }

  async getIdempotency(channel: string, idemKey: string): Promise<IdempotencyRecord | undefined> {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key.idempotency(channel, idemKey),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? fromIdempotencyItem(out.Item) : undefined;
  }

  async getDecision(
    scope: string,
    complaintId: string,
    idemKey: string,
  ): Promise<DecisionRecord | undefined> {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key.decision(scope, complaintId, idemKey),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? fromDecisionItem(out.Item) : undefined;
  }

  async putDecision(record: DecisionRecord): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(new PutCommand({ TableName: this.tableName, ...this.decisionPut(record) })),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  private decisionPut(record: DecisionRecord) {
    return {
      Item: toDecisionItem(record, TABLE.ttlAttribute),
      ConditionExpression: "attribute_not_exists(pk)",
    };
  }

  async save(change: ComplaintChange): Promise<Complaint> {
    const { after, events, condition } = change;
    const current = await this.read(after.id);
    if (!current || current.stored.complaint.version !== condition.expectedVersion) {
      throw new ConcurrentUpdateError(after.id);
    }
    const { position } = current;
    const next: Complaint = {
      ...after,
      version: change.auditOnly ? condition.expectedVersion : condition.expectedVersion + 1,
    };
    const { lastHash, puts } = this.chain(
      after.id,
      position.eventCount + 1,
      position.lastEventHash,
      events,
      change.deliveries,
    );
    const notices = this.noticePuts(after.id, position.noticeCount + 1, change.notices);
    // The whole item is rewritten from the mapping (index keys included), conditional on the version read.
    const lastEventAt = events.at(-1)?.at ?? position.lastEventAt;
    const item = toComplaintItem(next, {
      eventCount: position.eventCount + events.length,
      lastEventHash: lastHash,
      ...(lastEventAt ? { lastEventAt } : {}),
      noticeCount: position.noticeCount + notices.length,
    });
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":expected": condition.expectedVersion };
    const sets = Object.entries(item)
      .filter(([attr]) => attr !== TABLE.partitionKey && attr !== TABLE.sortKey)
      .map(([attr, value], i) => {
        names[`#a${i}`] = attr;
        values[`:a${i}`] = value;
        return `#a${i} = :a${i}`;
      });
    const removes: string[] = [];
    // A closed complaint leaves its team's queue: the sparse index keys go.
    if (!(QUEUE_INDEX[0]! in item)) removes.push(...QUEUE_INDEX);
    if (change.task === null) removes.push("taskToken", "taskStage", "taskSince");
    let conditionExpression = "version = :expected";
    if (condition.expectedToken !== undefined) {
      conditionExpression += " AND taskToken = :token";
      values[":token"] = condition.expectedToken;
    }
    try {
      await guarded(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: key.complaint(after.id),
                  UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
                  ConditionExpression: conditionExpression,
                  ExpressionAttributeNames: names,
                  ExpressionAttributeValues: values,
                },
              },
              ...puts,
              ...notices,
              ...(change.decision
                ? [{ Put: { TableName: this.tableName, ...this.decisionPut(change.decision) } }]
                : []),
            ],
          }),
        ),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException) throw new ConcurrentUpdateError(after.id, { cause: e });
      throw e;
    }
    return next;
  }

  async registerTask(id: string, task: PendingTask): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key.complaint(id),
            UpdateExpression: "SET taskToken = :token, taskStage = :stage, taskSince = :since",
            ConditionExpression: "attribute_exists(pk) AND #status = :waiting",
            ExpressionAttributeNames: { "#status": "status" },
            ExpressionAttributeValues: {
              ":token": task.token,
              ":stage": task.stage,
              ":since": task.since,
              ":waiting": statusWaitingIn(task.stage),
            },
          }),
        ),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
