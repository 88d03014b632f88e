import { reportFactsOutbox } from "../../adapters/dynamodb/audit-item";
import { analyticsDelivery } from "../../adapters/runtime";
import { projectForAnalytics } from "../../app/stream";
import { streamConsumer } from "../../stream/consumer";

/** Stream consumer: each change's row into the analysts' projection (one object per change, idempotent). */
export const handler = streamConsumer(analyticsDelivery, projectForAnalytics, {
  reads: { outbox: reportFactsOutbox },
});
