import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AuditEvent, QueueFilter, ReadModels, StoredNotice } from "../../app/ports";
import type { Complaint } from "../../domain/complaint";
import { fromAuditItem, fromNoticeItem } from "./audit-item";
import { complaintOf } from "./complaint-item";
import { decodeCursor, encodeCursor } from "./cursors";
import { ITEM_PREFIX, key, monthsBetween } from "./keys";
import { QueryPages } from "./query-pages";
import { MONTH_SHARDS, TABLE } from "./table-schema";

/** DynamoDB reads one queue request may make before it answers with a cursor. */
const MAX_QUEUE_READS = 5;

interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * The read models on DynamoDB: each complaint's trail (its partition), team queues (GSI1), complaints by
 * customer (GSI2) and by month of receipt (GSI3). Queries only, never a Scan; every item is parsed.
 */
export class DynamoReadModels implements ReadModels {
  private readonly pages: QueryPages;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.pages = new QueryPages(db, tableName);
  }

  async audit(id: string): Promise<AuditEvent[]> {
    return (await this.complaintItems(id, ITEM_PREFIX.event)).map(fromAuditItem);
  }

  async notices(id: string): Promise<StoredNotice[]> {
    return (await this.complaintItems(id, ITEM_PREFIX.notice)).map(fromNoticeItem);
  }

  /** A complaint's items whose sort key starts with `prefix` (its audit events, its notices), in order. */
  private complaintItems(id: string, prefix: string): Promise<Record<string, unknown>[]> {
    return this.pages.all({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": key.complaint(id).pk, ":prefix": prefix },
      ConsistentRead: true,
    });
  }

  async queue(team: string, page: { limit: number; cursor?: string; filter?: QueueFilter }) {
    const index = TABLE.indexes.byQueue;
    const partition = key.queue(team);
    const names: Record<string, string> = { "#pk": index.partitionKey };
    const values: Record<string, unknown> = { ":pk": partition };
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
    let start = page.cursor ? decodeCursor(page.cursor, index, partition) : undefined;
    let last: Record<string, unknown> | undefined;
    do {
      const out = await this.pages.once({
        IndexName: index.name,
        KeyConditionExpression: "#pk = :pk",
        ...(conditions.length ? { FilterExpression: conditions.join(" AND ") } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: page.limit - items.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
      });
      for (const raw of out.Items ?? []) items.push(complaintOf(raw));
      start = out.LastEvaluatedKey;
      last = out.LastEvaluatedKey;
    } while (start && items.length < page.limit && ++reads < MAX_QUEUE_READS);
    return { items, ...(last ? { cursor: encodeCursor(last) } : {}) };
  }

  async customerHistory(customerId: string, page: { limit: number; cursor?: string }) {
    const index = TABLE.indexes.byCustomer;
    const partition = key.customer(customerId);
    const start = page.cursor ? decodeCursor(page.cursor, index, partition) : undefined;
    const out = await this.pages.indexPage(index, partition, { limit: page.limit, newestFirst: true, start });
    const items = (out.Items ?? []).map(complaintOf);
    // Repeat links across the whole history, reading two small attributes per complaint.
    const links = await this.pages.all({
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
    });
    const repeats = links.flatMap((raw) => {
      const c = (raw as { complaint?: { id?: unknown; repeatOf?: unknown } }).complaint;
      return typeof c?.id === "string" && typeof c.repeatOf === "string"
        ? [{ id: c.id, repeatOf: c.repeatOf }]
        : [];
    });
    return {
      items,
      ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}),
      repeats,
    };
  }

  openComplaintsAbout(customerId: string, businessType: string, at: string): Promise<Complaint[]> {
    return this.ofCustomer(customerId, {
      expression: "(#status <> :closed OR #c.#closedAt > :at) AND #c.businessType = :bt",
      names: { "#status": "status", "#c": "complaint", "#closedAt": "closedAt" },
      values: { ":closed": "closed", ":at": at, ":bt": businessType },
    });
  }

  repeatsOf(customerId: string, complaintId: string): Promise<Complaint[]> {
    return this.ofCustomer(customerId, {
      expression: "#c.repeatOf = :id",
      names: { "#c": "complaint" },
      values: { ":id": complaintId },
    });
  }

  /** All of a customer's complaints matching a filter, every page of the customer index (no Limit). */
  private async ofCustomer(customerId: string, filter: Filter): Promise<Complaint[]> {
    const index = TABLE.indexes.byCustomer;
    const items = await this.pages.all({
      IndexName: index.name,
      KeyConditionExpression: "#pk = :pk",
      FilterExpression: filter.expression,
      ExpressionAttributeNames: { "#pk": index.partitionKey, ...filter.names },
      ExpressionAttributeValues: { ":pk": key.customer(customerId), ...filter.values },
    });
    return items.map(complaintOf);
  }

  async receivedBefore(instant: Date, months: string[]): Promise<Complaint[]> {
    const found: Complaint[] = [];
    await this.eachMonthIndexPage(
      months,
      { condition: "#sk < :before", values: { ":before": instant.toISOString() } },
      (page) => {
        found.push(...page);
      },
      {
        expression: "#status = :received",
        names: { "#status": "status" },
        values: { ":received": "received" },
      },
    );
    return found;
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

  /** The month index's complaints page by page (every shard of every month), each page parsed. */
  private async eachMonthIndexPage(
    months: readonly string[],
    sortKey: { condition: string; values: Record<string, string> },
    visit: (page: Complaint[]) => void,
    filter?: Filter,
  ): Promise<void> {
    const index = TABLE.indexes.byMonth;
    for (const month of months) {
      for (let shard = 0; shard < MONTH_SHARDS; shard++) {
        await this.pages.each(
          {
            IndexName: index.name,
            KeyConditionExpression: `#pk = :pk AND ${sortKey.condition}`,
            ...(filter ? { FilterExpression: filter.expression } : {}),
            ExpressionAttributeNames: { "#pk": index.partitionKey, "#sk": index.sortKey, ...filter?.names },
            ExpressionAttributeValues: {
              ":pk": key.month(month, shard),
              ...sortKey.values,
              ...filter?.values,
            },
          },
          (items) => visit(items.map(complaintOf)),
        );
      }
    }
  }
}
