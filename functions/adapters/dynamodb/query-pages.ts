import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { guarded } from "./store-errors";

/** Paging over DynamoDB queries, shared by the read models. */
export class QueryPages {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One page of one partition of an index, in sort-key order (or newest first). */
  indexPage(
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

  /** One query call as given (the caller sets Limit, filters and the start key). */
  once(input: Omit<QueryCommandInput, "TableName">) {
    return guarded(() => this.db.send(new QueryCommand({ ...input, TableName: this.tableName })));
  }

  /** Every item a query matches, following LastEvaluatedKey through all pages. */
  async all(input: Omit<QueryCommandInput, "TableName">): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    await this.each(input, (page) => {
      items.push(...page);
    });
    return items;
  }

  /** Each page a query matches, in turn, following LastEvaluatedKey; nothing is kept between pages. */
  async each(
    input: Omit<QueryCommandInput, "TableName">,
    visit: (items: Record<string, unknown>[]) => void,
  ): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.once({ ...input, ExclusiveStartKey: start });
      visit(out.Items ?? []);
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
