import { metricsOutbox } from "../../adapters/dynamodb/audit-item";
import { metricDelivery } from "../../adapters/runtime";
import { recordMetrics } from "../../app/stream";
import { streamConsumer } from "../../stream/consumer";

/**
 * Stream consumer: the SLA metrics of every change, as CloudWatch EMF lines. A record it cannot read is
 * skipped (and logged), not retried: a retried batch would count every other record in it again.
 */
export const handler = streamConsumer(metricDelivery, recordMetrics, {
  reads: { outbox: metricsOutbox },
  unreadable: "skip",
});
