import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { type StreamReads, streamRecordOf } from "../adapters/dynamodb/stream-records";
import type { Log } from "../app/dependencies";
import { deliverInOrder, type StreamMessage } from "../app/stream";

/**
 * Builds a stream consumer Lambda (DynamoDB Streams event source mapping with `ReportBatchItemFailures`):
 * parse each record, deliver in order per complaint, answer the records that failed. `deps` is the wiring
 * of this consumer's one destination, made once per container.
 */
export const streamConsumer = <D extends { log: Log }>(
  deps: () => D,
  deliver: (deps: D) => (message: StreamMessage) => Promise<void>,
  /** `reads`: what this consumer decodes (its part of the outbox; notices for the bus). */
  options: { reads: StreamReads; unreadable?: "fail" | "skip" },
) => {
  const recordOf = streamRecordOf(options.reads);
  let wired: { deps: D; deliver: (m: StreamMessage) => Promise<void> } | undefined;
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    if (!Array.isArray(event?.Records)) throw new TypeError("expected a DynamoDB stream event (Records)");
    // `deps` is made once per container; it is new only after the embedded target rewired.
    const d = deps();
    if (wired?.deps !== d) wired = { deps: d, deliver: deliver(d) };
    const failed = await deliverInOrder(
      event.Records.map(recordOf),
      wired.deliver,
      wired.deps.log,
      options.unreadable,
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
};
