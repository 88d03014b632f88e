import { noOutbox } from "../../adapters/dynamodb/audit-item";
import { workflowDelivery } from "../../adapters/runtime";
import { startWorkflows } from "../../app/stream";
import { streamConsumer } from "../../stream/consumer";

/** Stream consumer: starts the workflow each `ComplaintReceived` (or operator `Resumed`) calls for. */
export const handler = streamConsumer(workflowDelivery, startWorkflows, { reads: { outbox: noOutbox } });
