import { fromNoticeItem, integrationEventsOutbox } from "../../adapters/dynamodb/audit-item";
import { busDelivery } from "../../adapters/runtime";
import { publishToBus } from "../../app/stream";
import { streamConsumer } from "../../stream/consumer";

/** Stream consumer: integration events and customer notices onto the event bus. */
export const handler = streamConsumer(busDelivery, publishToBus, {
  reads: { outbox: integrationEventsOutbox, notice: fromNoticeItem },
});
