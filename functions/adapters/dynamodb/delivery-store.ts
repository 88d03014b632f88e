import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DeliveryStore, ParkedDelivery } from "../../app/ports";
import { fromParkedItem } from "./complaint-item";
import { key, shardOf } from "./keys";
import { QueryPages } from "./query-pages";
import { guarded } from "./store-errors";
import { MONTH_SHARDS, TABLE } from "./table-schema";

/**
 * Parked deliveries on DynamoDB: under their complaint (`PARKED#<version>#<target>`), listed oldest first
 * on the month index's `PARKED#<shard>` partitions for the reconciler (sparse and short-lived).
 */
export class DynamoDeliveryStore implements DeliveryStore {
  private readonly pages: QueryPages;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.pages = new QueryPages(db, tableName);
  }

  async park(delivery: ParkedDelivery): Promise<void> {
    const index = TABLE.indexes.byMonth;
    await guarded(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key.parked(delivery),
            [index.partitionKey]: key.parkedList(shardOf(delivery.complaintId)),
            [index.sortKey]: `${delivery.parkedAt}#${delivery.complaintId}#${delivery.version}#${delivery.target}`,
            ...delivery,
          },
        }),
      ),
    );
  }

  async parked(limit: number): Promise<ParkedDelivery[]> {
    const found: ParkedDelivery[] = [];
    for (let shard = 0; shard < MONTH_SHARDS; shard++) {
      const out = await this.pages.indexPage(TABLE.indexes.byMonth, key.parkedList(shard), { limit });
      for (const raw of out.Items ?? []) found.push(fromParkedItem(raw));
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
}
