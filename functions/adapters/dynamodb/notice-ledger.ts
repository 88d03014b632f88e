import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { NoticeLedger } from "../../app/ports";
import { key } from "./keys";
import { guarded } from "./store-errors";

/** The ledger of delivered customer notices: `deliveredAt` on each notice item, set once. */
export class DynamoNoticeLedger implements NoticeLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async delivered(complaintId: string, seq: number): Promise<boolean> {
    const out = await guarded(() =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: key.notice(complaintId, seq),
          ProjectionExpression: "deliveredAt",
          ConsistentRead: true,
        }),
      ),
    );
    return typeof out.Item?.deliveredAt === "string";
  }

  async markDelivered(complaintId: string, seq: number, at: Date): Promise<void> {
    try {
      await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key.notice(complaintId, seq),
            UpdateExpression: "SET deliveredAt = :at",
            ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(deliveredAt)",
            ExpressionAttributeValues: { ":at": at.toISOString() },
          }),
        ),
      );
    } catch (e) {
      // Recorded already by an earlier delivery of the same record: nothing to add.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
}
