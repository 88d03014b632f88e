/**
 * The table's physical design, once: the CDK table construct and the embedded target's CreateTable
 * are both built from it, and only the DynamoDB adapter knows what the keys contain.
 */
export const TABLE = {
  partitionKey: "pk",
  sortKey: "sk",
  ttlAttribute: "expiresAt",
  /** The change stream the outbox is delivered from: the new image of every written item. */
  streamView: "NEW_IMAGE",
  indexes: {
    /** Team queues: open complaints of a team, sorted by their nearest deadline. Sparse: closed ones leave. */
    byQueue: { name: "GSI1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    /** Complaints of one customer (repeat detection, customer history). */
    byCustomer: { name: "GSI2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    /**
     * Complaints received in a month, sharded to spread write load (reports, reconciliation). Its
     * `PARKED#<shard>` partitions list the deliveries waiting for the reconciler (sparse, short-lived).
     */
    byMonth: { name: "GSI3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  },
} as const;

/** Number of write shards of the month index. */
export const MONTH_SHARDS = 4;

/** CreateTable input for the embedded target; CDK declares the same keys and indexes. */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: "PAY_PER_REQUEST" as const,
  StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
  AttributeDefinitions: [
    TABLE.partitionKey,
    TABLE.sortKey,
    ...Object.values(TABLE.indexes).flatMap((i) => [i.partitionKey, i.sortKey]),
  ].map((name) => ({ AttributeName: name, AttributeType: "S" as const })),
  KeySchema: [
    { AttributeName: TABLE.partitionKey, KeyType: "HASH" as const },
    { AttributeName: TABLE.sortKey, KeyType: "RANGE" as const },
  ],
  GlobalSecondaryIndexes: Object.values(TABLE.indexes).map((i) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: "HASH" as const },
      { AttributeName: i.sortKey, KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
  })),
});
