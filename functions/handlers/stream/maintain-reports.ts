import { reportFactsOutbox } from "../../adapters/dynamodb/audit-item";
import { reportDelivery } from "../../adapters/runtime";
import { maintainReports } from "../../app/stream";
import { streamConsumer } from "../../stream/consumer";

/**
 * Stream consumer: every change's report facts into the report aggregates. A failed record is retried
 * (the stream's one retry policy, then the dead-letter queue): the update is idempotent per audit event.
 */
export const handler = streamConsumer(reportDelivery, maintainReports, {
  reads: { outbox: reportFactsOutbox },
});
