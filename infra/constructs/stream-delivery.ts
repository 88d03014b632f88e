import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { FilterCriteria, type IFunction, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { STREAM_FILTERS } from "../../functions/adapters/dynamodb/stream-records";
import { STREAM_CONSUMERS, type StreamConsumerId } from "../../functions/handlers/catalog";

/** How the event source mappings deliver; the embedded poller follows the same numbers. */
export const STREAM_DELIVERY = {
  batchSize: 100,
  /** Retries of a failed batch (from its first failed record) before it goes to the dead-letter queue. */
  retryAttempts: 5,
  /** A record older than this goes to the dead-letter queue (the stream keeps records for 24 hours). */
  maxRecordAgeSeconds: 86_400,
} as const;

export interface StreamDeliveryProps {
  /** The complaints table, with its stream. */
  table: ITable;
  /** One function per stream consumer of the catalog. */
  consumers: Record<StreamConsumerId, IFunction>;
  removalPolicy: RemovalPolicy;
}

/**
 * The transactional outbox on AWS: the table's change stream (new images) delivered to one consumer per
 * destination, each through an event source mapping filtered to the items it handles, with partial batch
 * responses (a failed record and the complaint's records after it are retried; other complaints go on),
 * bisect on error, bounded retries and record age, and an on-failure SQS dead-letter queue. Records of
 * one partition key (one complaint) are delivered in order.
 */
export class StreamDelivery extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: StreamDeliveryProps) {
    super(scope, id);
    // What Lambda sends here on failure is the batch's position in the stream (shard, sequence numbers),
    // not the records: no personal data, so SQS-managed encryption.
    this.deadLetters = new Queue(this, "DeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself the dead-letter (on-failure) destination of the stream consumers' event source mappings.",
    });
    for (const [consumer, kind] of Object.entries(STREAM_CONSUMERS) as [
      StreamConsumerId,
      keyof typeof STREAM_FILTERS,
    ][]) {
      props.consumers[consumer].addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: STREAM_DELIVERY.batchSize,
          bisectBatchOnError: true,
          retryAttempts: STREAM_DELIVERY.retryAttempts,
          maxRecordAge: Duration.seconds(STREAM_DELIVERY.maxRecordAgeSeconds),
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(this.deadLetters),
          filters: STREAM_FILTERS[kind].map((pattern) => FilterCriteria.filter(pattern)),
        }),
      );
    }
  }
}
