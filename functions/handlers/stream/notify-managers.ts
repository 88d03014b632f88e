import { managerNoticesOutbox } from "../../adapters/dynamodb/audit-item";
import { alertDelivery } from "../../adapters/runtime";
import { notifyManagers } from "../../app/stream";
import { streamConsumer } from "../../stream/consumer";

/** Stream consumer: manager notices (warnings, escalations, statutory breaches) to the alerts topic. */
export const handler = streamConsumer(alertDelivery, notifyManagers, {
  reads: { outbox: managerNoticesOutbox },
});
