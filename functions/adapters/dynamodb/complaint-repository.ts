import {
  ConditionalCheckFailedException,
  type DynamoDBServiceException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { chainHash, GENESIS_HASH } from "../../app/audit-chain";
import {
  type AuditEvent,
  type ComplaintStore,
  ConcurrentUpdateError,
  type IdempotencyRecord,
  type ParkedDelivery,
  type PendingTask,
  type QueueFilter,
  type SaveCondition,
  type StoredComplaint,
  type StoredNotice,
  TransientStoreError,
} from "../../app/ports";
import { type Complaint, type DomainEvent, OPEN_STATUSES, STAGE_OF } from "../../domain/complaint";
import type { CustomerNotice } from "../../domain/notices";
import type { IntakeResponse } from "../../domain/schemas";
import {
  auditItemSchema,
  complaintItemSchema,
  idempotencyItemSchema,
  noticeItemSchema,
  parkedItemSchema,
  referenceItemSchema,
} from "./complaint-item";
import { MONTH_SHARDS, TABLE } from "./table-schema";

const key = {
  complaint: (id: string) => ({ pk: `COMPLAINT#${id}`, sk: "META" }),
  event: (id: string, seq: number) => ({
    pk: `COMPLAINT#${id}`,
    sk: `EVENT#${String(seq).padStart(8, "0")}`,
  }),
  idempotency: (channel: string, idemKey: string) => ({
    pk: `IDEMPOTENCY#${channel}#${idemKey}`,
    sk: "IDEMPOTENCY",
  }),
  counter: (localDate: string) => ({ pk: `COUNTER#REFERENCE#${localDate}`, sk: "COUNTER" }),
  reference: (reference: string) => ({ pk: `REFERENCE#${reference}`, sk: "REFERENCE" }),
  notice: (id: string, seq: number) => ({
    pk: `COMPLAINT#${id}`,
    sk: `NOTICE#${String(seq).padStart(8, "0")}`,
  }),
  customer: (customerId: string) => `CUSTOMER#${customerId}`,
  parked: (d: Pick<ParkedDelivery, "complaintId" | "version" | "target">) => ({
    pk: `COMPLAINT#${d.complaintId}`,
    sk: `PARKED#${String(d.version).padStart(8, "0")}#${d.target}`,
  }),
};

const TRANSIENT = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TransactionInProgressException",
  "TimeoutError",
]);

const isNetworkError = (e: unknown): boolean =>
  e instanceof Error &&
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|socket hang up/.test(
    `${e.message} ${String((e as { code?: string }).code ?? "")}`,
  );

/** Turns the store's throttling and outages into one error the callers (and the workflow) retry on. */
const translate = (e: unknown): unknown => {
  const name = (e as DynamoDBServiceException | undefined)?.name ?? "";
  if (TRANSIENT.has(name) || isNetworkError(e)) {
    return new TransientStoreError(`the complaint store is unavailable (${name || "network"})`, { cause: e });
  }
  if (e instanceof TransactionCanceledException) {
    const reasons = e.CancellationReasons?.map((r) => r.Code ?? "None") ?? [];
    if (
      reasons.some(
        (r) =>
          r === "ThrottlingError" || r === "TransactionConflict" || r === "ProvisionedThroughputExceeded",
      )
    ) {
      return new TransientStoreError(`the complaint store refused a transaction (${reasons.join(",")})`, {
        cause: e,
      });
    }
  }
  return e;
};

const guarded = async <T>(op: () => Promise<T>): Promise<T> => {
  try {
    return await op();
  } catch (e) {
    throw translate(e);
  }
};

const monthOf = (isoInstant: string) => isoInstant.slice(0, 7);
const shardOf = (id: string) => {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % MONTH_SHARDS;
};

/** Index attributes derived from the complaint; a closed complaint leaves its team's queue. */
const indexAttributes = (c: Complaint) => ({
  ...(OPEN_STATUSES.includes(c.status)
    ? {
        [TABLE.indexes.byQueue.partitionKey]: `QUEUE#${c.team}`,
        [TABLE.indexes.byQueue.sortKey]: `${c.sla.tierDueBy ?? c.sla.resolveBy}#${c.id}`,
      }
    : {}),
  [TABLE.indexes.byCustomer.partitionKey]: key.customer(c.customer.id),
  [TABLE.indexes.byCustomer.sortKey]: `${c.receivedAt}#${c.id}`,
  [TABLE.indexes.byMonth.partitionKey]: `MONTH#${monthOf(c.receivedAt)}#${shardOf(c.id)}`,
  [TABLE.indexes.byMonth.sortKey]: `${c.receivedAt}#${c.id}`,
  // Top-level copies for queue filters (the complaint map itself cannot be filtered cheaply).
  status: c.status,
  tier: c.tier,
  priority: c.priority,
  slaPhase: c.slaPhase,
});

/** DynamoDB reads one queue request may make before it answers with a cursor. */
const MAX_QUEUE_READS = 5;

/** The status a complaint has while the workflow waits in a callback stage. */
const statusWaitingIn = (stage: PendingTask["stage"]): string =>
  Object.entries(STAGE_OF).find(([, s]) => s === stage)?.[0] ?? "in_progress";

const QUEUE_INDEX_REMOVAL = `REMOVE ${TABLE.indexes.byQueue.partitionKey}, ${TABLE.indexes.byQueue.sortKey}`;

/** DynamoDB implementation of the complaint store (single table; see docs/architecture.md). */
export class DynamoComplaintStore implements ComplaintStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async nextReferenceSequence(localDate: string): Promise<number> {
    const out = await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key.counter(localDate),
          UpdateExpression: "ADD #n :one",
          ExpressionAttributeNames: { "#n": "value" },
          ExpressionAttributeValues: { ":one": 1 },
          ReturnValues: "UPDATED_NEW",
        }),
      ),
    );
    return Number(out.Attributes?.value);
  }

  private chain(id: string, startSeq: number, prevHash: string, events: DomainEvent[]) {
    const items: AuditEvent[] = [];
    let hash = prevHash;
    events.forEach((e, i) => {
      const body = { ...e, seq: startSeq + i };
      const next = chainHash(hash, body);
      items.push({ ...body, prevHash: hash, hash: next });
      hash = next;
    });
    return {
      lastHash: hash,
      puts: items.map((item) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...key.event(id, item.seq), ...item },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      })),
    };
  }

  /** Puts of the notices a change calls for, numbered after the ones already stored; never overwritten. */
  private noticePuts(id: string, startSeq: number, notices: readonly CustomerNotice[] = []) {
    return notices.map((notice, i) => ({
      Put: {
        TableName: this.tableName,
        Item: { ...key.notice(id, startSeq + i), seq: startSeq + i, ...notice },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    }));
  }

  async create(input: {
    complaint: Complaint;
    events: DomainEvent[];
    idempotency: IdempotencyRecord;
    idempotencyExpiresAt: Date;
    notices?: readonly CustomerNotice[];
  }): Promise<boolean> {
    const { complaint, events, idempotency } = input;
    const { lastHash, puts } = this.chain(complaint.id, 1, GENESIS_HASH, events);
    const notices = this.noticePuts(complaint.id, 1, input.notices);
    try {
      await guarded(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...key.idempotency(idempotency.channel, idempotency.key),
                    ...idempotency,
                    [TABLE.ttlAttribute]: Math.floor(input.idempotencyExpiresAt.getTime() / 1000),
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...key.complaint(complaint.id),
                    ...indexAttributes(complaint),
                    complaint,
                    version: complaint.version,
                    eventCount: events.length,
                    lastEventHash: lastHash,
                    noticeCount: notices.length,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                // References are unique (one counter per local date); the lookup lands with the complaint.
                Put: {
                  TableName: this.tableName,
                  Item: { ...key.reference(complaint.reference), complaintId: complaint.id },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
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
    if (!out.Item) return undefined;
    const item = idempotencyItemSchema.parse(out.Item);
    return {
      channel: item.channel,
      key: item.key,
      requestHash: item.requestHash,
      complaintId: item.complaintId,
      response: item.response as unknown as IntakeResponse,
    };
  }

  async idByReference(reference: string): Promise<string | undefined> {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key.reference(reference), ConsistentRead: true }),
      ),
    );
    return out.Item ? referenceItemSchema.parse(out.Item).complaintId : undefined;
  }

  private async getItem(id: string) {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: key.complaint(id), ConsistentRead: true }),
      ),
    );
    return out.Item ? complaintItemSchema.parse(out.Item) : undefined;
  }

  async get(id: string): Promise<StoredComplaint | undefined> {
    const item = await this.getItem(id);
    if (!item) return undefined;
    const task: PendingTask | undefined =
      item.taskToken && item.taskStage
        ? { token: item.taskToken, stage: item.taskStage, since: item.taskSince ?? "" }
        : undefined;
    return { complaint: item.complaint, ...(task ? { task } : {}) };
  }

  async save(input: {
    after: Complaint;
    events: DomainEvent[];
    condition: SaveCondition;
    task?: null;
    notices?: readonly CustomerNotice[];
  }): Promise<Complaint> {
    const { after, events, condition } = input;
    const current = await this.getItem(after.id);
    if (!current || current.version !== condition.expectedVersion) throw new ConcurrentUpdateError(after.id);
    const next: Complaint = { ...after, version: condition.expectedVersion + 1 };
    const { lastHash, puts } = this.chain(after.id, current.eventCount + 1, current.lastEventHash, events);
    const index = indexAttributes(next);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ":expected": condition.expectedVersion,
      ":version": next.version,
      ":complaint": next,
      ":count": current.eventCount + events.length,
      ":hash": lastHash,
    };
    const sets = [
      "version = :version",
      "complaint = :complaint",
      "eventCount = :count",
      "lastEventHash = :hash",
    ];
    const storedNotices = current.noticeCount ?? 0;
    const notices = this.noticePuts(after.id, storedNotices + 1, input.notices);
    if (notices.length > 0) {
      sets.push("noticeCount = :notices");
      values[":notices"] = storedNotices + notices.length;
    }
    Object.entries(index).forEach(([attr, value], i) => {
      names[`#i${i}`] = attr;
      values[`:i${i}`] = value;
      sets.push(`#i${i} = :i${i}`);
    });
    const removes: string[] = [];
    if (!(TABLE.indexes.byQueue.partitionKey in index))
      removes.push(QUEUE_INDEX_REMOVAL.replace("REMOVE ", ""));
    if (input.task === null) removes.push("taskToken, taskStage, taskSince");
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

  async audit(id: string): Promise<AuditEvent[]> {
    return (await this.complaintItems(id, "EVENT#")).map((raw) => {
      const { pk: _pk, sk: _sk, ...event } = auditItemSchema.parse(raw);
      return event as AuditEvent;
    });
  }

  async notices(id: string): Promise<StoredNotice[]> {
    return (await this.complaintItems(id, "NOTICE#")).map((raw) => {
      const { pk: _pk, sk: _sk, ...notice } = noticeItemSchema.parse(raw);
      return notice as StoredNotice;
    });
  }

  /** A complaint's items whose sort key starts with `prefix` (its audit events, its notices), in order. */
  private complaintItems(id: string, prefix: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": key.complaint(id).pk, ":prefix": prefix },
      ConsistentRead: true,
    });
  }

  /** One page of one partition of an index, in sort-key order (or newest first). */
  private indexPage(
    index: { name: string; partitionKey: string },
    partition: string,
    page: { limit: number; newestFirst?: boolean; start?: Record<string, unknown> | undefined },
  ) {
    return guarded(() =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: "#pk = :pk",
          ExpressionAttributeNames: { "#pk": index.partitionKey },
          ExpressionAttributeValues: { ":pk": partition },
          ...(page.newestFirst ? { ScanIndexForward: false } : {}),
          Limit: page.limit,
          ...(page.start ? { ExclusiveStartKey: page.start } : {}),
        }),
      ),
    );
  }

  /** Every item a query matches, following LastEvaluatedKey through all pages. */
  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    await this.eachQueryPage(input, (page) => {
      items.push(...page);
    });
    return items;
  }

  /** Each page a query matches, in turn, following LastEvaluatedKey; nothing is kept between pages. */
  private async eachQueryPage(
    input: QueryCommandInput,
    visit: (items: Record<string, unknown>[]) => void,
  ): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await guarded(() => this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
      visit(out.Items ?? []);
      start = out.LastEvaluatedKey;
    } while (start);
  }

  async customerHistory(customerId: string, page: { limit: number; cursor?: string }) {
    const index = TABLE.indexes.byCustomer;
    const partition = key.customer(customerId);
    const start = page.cursor ? decodeCustomerCursor(page.cursor, partition) : undefined;
    const out = await this.indexPage(index, partition, { limit: page.limit, newestFirst: true, start });
    const items = (out.Items ?? []).map((raw) => complaintItemSchema.parse(raw).complaint);
    // Repeat links across the whole history, reading two small attributes per complaint.
    const repeats: { id: string; repeatOf: string }[] = [];
    let next: Record<string, unknown> | undefined;
    do {
      const links = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: "#pk = :pk",
            FilterExpression: "attribute_exists(#c.#r)",
            ProjectionExpression: "#c.#id, #c.#r",
            ExpressionAttributeNames: {
              "#pk": index.partitionKey,
              "#c": "complaint",
              "#id": "id",
              "#r": "repeatOf",
            },
            ExpressionAttributeValues: { ":pk": partition },
            ExclusiveStartKey: next,
          }),
        ),
      );
      for (const raw of links.Items ?? []) {
        const c = (raw as { complaint?: { id?: unknown; repeatOf?: unknown } }).complaint;
        if (typeof c?.id === "string" && typeof c.repeatOf === "string")
          repeats.push({ id: c.id, repeatOf: c.repeatOf });
      }
      next = links.LastEvaluatedKey;
    } while (next);
    return {
      items,
      ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}),
      repeats,
    };
  }

  async queue(team: string, page: { limit: number; cursor?: string; filter?: QueueFilter }) {
    const index = TABLE.indexes.byQueue;
    const names: Record<string, string> = { "#pk": index.partitionKey };
    const values: Record<string, unknown> = { ":pk": `QUEUE#${team}` };
    const conditions: string[] = [];
    for (const [field, value] of Object.entries(page.filter ?? {})) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      conditions.push(`#${field} = :${field}`);
    }
    // A filter is applied after DynamoDB's Limit, so keep reading until the page is full or the queue ends —
    // at most a few reads per request: a sparse filter answers a short page with a cursor to continue.
    const items: Complaint[] = [];
    let reads = 0;
    let start: Record<string, unknown> | undefined = page.cursor ? decodeCursor(page.cursor) : undefined;
    let last: Record<string, unknown> | undefined;
    do {
      const out = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: "#pk = :pk",
            ...(conditions.length ? { FilterExpression: conditions.join(" AND ") } : {}),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            Limit: page.limit - items.length,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const raw of out.Items ?? []) items.push(complaintItemSchema.parse(raw).complaint);
      start = out.LastEvaluatedKey;
      last = out.LastEvaluatedKey;
    } while (start && items.length < page.limit && ++reads < MAX_QUEUE_READS);
    return { items, ...(last ? { cursor: encodeCursor(last) } : {}) };
  }

  async openComplaintsAbout(customerId: string, businessType: string): Promise<Complaint[]> {
    return this.ofCustomer(customerId, {
      expression: "#status <> :closed AND #c.businessType = :bt",
      names: { "#status": "status", "#c": "complaint" },
      values: { ":closed": "closed", ":bt": businessType },
    });
  }

  async repeatsOf(customerId: string, complaintId: string): Promise<Complaint[]> {
    return this.ofCustomer(customerId, {
      expression: "#c.repeatOf = :id",
      names: { "#c": "complaint" },
      values: { ":id": complaintId },
    });
  }

  /** All of a customer's complaints matching a filter, every page of the customer index (no Limit). */
  private async ofCustomer(
    customerId: string,
    filter: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<Complaint[]> {
    const index = TABLE.indexes.byCustomer;
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: "#pk = :pk",
      FilterExpression: filter.expression,
      ExpressionAttributeNames: { "#pk": index.partitionKey, ...filter.names },
      ExpressionAttributeValues: { ":pk": `CUSTOMER#${customerId}`, ...filter.values },
    });
    return items.map((raw) => complaintItemSchema.parse(raw).complaint);
  }

  async receivedBefore(instant: Date, months: string[]): Promise<Complaint[]> {
    return this.fromMonthIndex(
      months,
      { condition: "#sk < :before", values: { ":before": instant.toISOString() } },
      {
        expression: "#status = :received",
        names: { "#status": "status" },
        values: { ":received": "received" },
      },
    );
  }

  async receivedBetween(from: Date, to: Date): Promise<Complaint[]> {
    const found: Complaint[] = [];
    await this.eachReceivedBetween(from, to, (page) => {
      found.push(...page);
    });
    return found.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
  }

  async eachReceivedBetween(from: Date, to: Date, visit: (page: Complaint[]) => void): Promise<void> {
    // Sort keys are `${receivedAt}#${id}`: BETWEEN from and to keeps [from, to) (a key at `to` sorts after it).
    await this.eachMonthIndexPage(
      monthsBetween(from, to),
      {
        condition: "#sk BETWEEN :from AND :to",
        values: { ":from": from.toISOString(), ":to": to.toISOString() },
      },
      visit,
    );
  }

  async park(delivery: ParkedDelivery): Promise<void> {
    const index = TABLE.indexes.byMonth;
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key.parked(delivery),
            // Listed for the reconciler on the month index, oldest first (see TABLE.indexes.byMonth).
            [index.partitionKey]: `PARKED#${shardOf(delivery.complaintId)}`,
            [index.sortKey]: `${delivery.parkedAt}#${delivery.complaintId}#${delivery.version}#${delivery.target}`,
            ...delivery,
          },
        }),
      ),
    );
  }

  async parked(limit: number): Promise<ParkedDelivery[]> {
    const index = TABLE.indexes.byMonth;
    const found: ParkedDelivery[] = [];
    for (let shard = 0; shard < MONTH_SHARDS; shard++) {
      const out = await this.indexPage(index, `PARKED#${shard}`, { limit });
      for (const raw of out.Items ?? []) {
        const { pk: _pk, sk: _sk, ...delivery } = parkedItemSchema.parse(raw);
        found.push(delivery as ParkedDelivery);
      }
    }
    return found.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt)).slice(0, limit);
  }

  async unpark(delivery: ParkedDelivery): Promise<void> {
    await guarded(() =>
      this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key.parked(delivery) })),
    );
  }

  async stillParked(delivery: ParkedDelivery, at: Date): Promise<void> {
    try {
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key.parked(delivery),
            UpdateExpression: "SET attempts = attempts + :one, lastAttemptAt = :at",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeValues: { ":one": 1, ":at": at.toISOString() },
          }),
        ),
      );
    } catch (e) {
      // Delivered and unparked by a concurrent redelivery meanwhile: nothing left to count.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  /** Every complaint of the month index in some months (all shards, all pages) matching a sort-key range. */
  private async fromMonthIndex(
    months: readonly string[],
    sortKey: { condition: string; values: Record<string, string> },
    filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<Complaint[]> {
    const found: Complaint[] = [];
    await this.eachMonthIndexPage(
      months,
      sortKey,
      (page) => {
        found.push(...page);
      },
      filter,
    );
    return found;
  }

  /** The month index's complaints page by page (every shard of every month), each page parsed. */
  private async eachMonthIndexPage(
    months: readonly string[],
    sortKey: { condition: string; values: Record<string, string> },
    visit: (page: Complaint[]) => void,
    filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
  ): Promise<void> {
    const index = TABLE.indexes.byMonth;
    for (const month of months) {
      for (let shard = 0; shard < MONTH_SHARDS; shard++) {
        await this.eachQueryPage(
          {
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: `#pk = :pk AND ${sortKey.condition}`,
            ...(filter ? { FilterExpression: filter.expression } : {}),
            ExpressionAttributeNames: { "#pk": index.partitionKey, "#sk": index.sortKey, ...filter?.names },
            ExpressionAttributeValues: {
              ":pk": `MONTH#${month}#${shard}`,
              ...sortKey.values,
              ...filter?.values,
            },
          },
          (items) => visit(items.map((raw) => complaintItemSchema.parse(raw).complaint)),
        );
      }
    }
  }
}

/** The UTC months (yyyy-mm, as the month index keys them) that [from, to) touches. */
const monthsBetween = (from: Date, to: Date): string[] => {
  const months: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (cursor.getTime() < to.getTime()) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
};

/** Cursors are opaque to clients: base64url of the last evaluated key. */
const encodeCursor = (k: Record<string, unknown>) => Buffer.from(JSON.stringify(k)).toString("base64url");

const cursorSchemaKeys = ["pk", "sk", TABLE.indexes.byQueue.partitionKey, TABLE.indexes.byQueue.sortKey];

export class InvalidCursorError extends Error {
  constructor() {
    super("the pagination cursor is not one this API issued");
    this.name = "InvalidCursorError";
  }
}

/** A customer-history cursor: the customer index's key, valid only for the customer it was issued for. */
const decodeCustomerCursor = (cursor: string, partition: string): Record<string, unknown> => {
  const index = TABLE.indexes.byCustomer;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>;
    const keys = Object.keys(parsed).sort();
    const expected = ["pk", "sk", index.partitionKey, index.sortKey].sort();
    if (
      keys.join() !== expected.join() ||
      !Object.values(parsed).every((v) => typeof v === "string") ||
      parsed[index.partitionKey] !== partition
    ) {
      throw new InvalidCursorError();
    }
    return parsed;
  } catch {
    throw new InvalidCursorError();
  }
};

const decodeCursor = (cursor: string): Record<string, unknown> => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Record<string, unknown>;
    const keys = Object.keys(parsed).sort();
    if (
      keys.join() !== [...cursorSchemaKeys].sort().join() ||
      !Object.values(parsed).every((v) => typeof v === "string")
    ) {
      throw new InvalidCursorError();
    }
    return parsed;
  } catch {
    throw new InvalidCursorError();
  }
};
