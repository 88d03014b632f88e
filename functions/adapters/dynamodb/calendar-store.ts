import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type CalendarLoadRecord,
  type CalendarStore,
  ConcurrentUpdateError,
  type RecomputeJob,
  type StoredCalendarYear,
} from "../../app/ports";
import { CALENDAR_PREFIX, key } from "./keys";
import { guarded } from "./store-errors";

const K = key.calendars;

/** Strips the keys and the item kind from a stored item. */
const body = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as T;
};

/**
 * The calendar partition (`pk = CALENDARS`): `VERSION` (bumped by every load), `YEAR#<id>#<year>` (a
 * loaded year), `LOAD#<at>#<loadId>` (its audit record), `JOB#<createdAt>#<jobId>` (the recompute job),
 * `RULES` (the statutory rules version last recomputed under). A few hundred items over a system's life.
 */
export class DynamoCalendarStore implements CalendarStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async version(): Promise<number> {
    const out = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: K.version, ConsistentRead: true })),
    );
    return typeof out.Item?.version === "number" ? out.Item.version : 0;
  }

  private async query(prefix: string, options: { limit?: number; newestFirst?: boolean } = {}) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await guarded(() =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues: { ":pk": K.pk, ":prefix": prefix },
            ConsistentRead: true,
            ScanIndexForward: !options.newestFirst,
            ...(options.limit ? { Limit: options.limit - items.length } : {}),
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && (options.limit === undefined || items.length < options.limit));
    return items;
  }

  async years(): Promise<StoredCalendarYear[]> {
    return (await this.query(CALENDAR_PREFIX.year)).map((i) => body<StoredCalendarYear>(i));
  }

  async load(input: {
    year: StoredCalendarYear;
    record: CalendarLoadRecord;
    job: RecomputeJob;
    expectedVersion: number;
  }): Promise<void> {
    const { year, record, job, expectedVersion } = input;
    try {
      await guarded(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...K.version,
                    kind: "calendarVersion",
                    version: expectedVersion + 1,
                    at: record.at,
                  },
                  ConditionExpression:
                    expectedVersion === 0 ? "attribute_not_exists(pk)" : "version = :expected",
                  ...(expectedVersion === 0
                    ? {}
                    : { ExpressionAttributeValues: { ":expected": expectedVersion } }),
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...K.year(year.calendar, year.year), kind: "calendarYear", ...year },
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...K.load(record.at, record.loadId), kind: "calendarLoad", ...record },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...K.job(job.createdAt, job.jobId), kind: "recomputeJob", ...job },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        ),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        throw new ConcurrentUpdateError(`calendar ${year.calendar}/${year.year}`, { cause: e });
      }
      throw e;
    }
  }

  async loads(limit: number): Promise<CalendarLoadRecord[]> {
    return (await this.query(CALENDAR_PREFIX.load, { limit, newestFirst: true })).map((i) =>
      body<CalendarLoadRecord>(i),
    );
  }

  async jobs(limit: number): Promise<RecomputeJob[]> {
    return (await this.query(CALENDAR_PREFIX.job, { limit, newestFirst: true })).map((i) =>
      body<RecomputeJob>(i),
    );
  }

  async saveJob(job: RecomputeJob, expectedStep: number): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...K.job(job.createdAt, job.jobId), kind: "recomputeJob", ...job },
            ConditionExpression: "step = :step",
            ExpressionAttributeValues: { ":step": expectedStep },
          }),
        ),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async rulesVersion(): Promise<string | undefined> {
    const out = await guarded(() =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: K.rules, ConsistentRead: true })),
    );
    return typeof out.Item?.version === "string" ? out.Item.version : undefined;
  }

  async adoptRules(input: {
    version: string;
    previous: string | undefined;
    job: RecomputeJob;
  }): Promise<boolean> {
    try {
      await guarded(() =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...K.rules,
                    kind: "statutoryRules",
                    version: input.version,
                    at: input.job.createdAt,
                  },
                  ConditionExpression:
                    input.previous === undefined ? "attribute_not_exists(pk)" : "version = :previous",
                  ...(input.previous === undefined
                    ? {}
                    : { ExpressionAttributeValues: { ":previous": input.previous } }),
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...K.job(input.job.createdAt, input.job.jobId),
                    kind: "recomputeJob",
                    ...input.job,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        ),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException) return false;
      throw e;
    }
  }
}
