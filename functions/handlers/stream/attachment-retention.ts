import { evidenceOutbox } from "../../adapters/dynamodb/audit-item";
import { evidenceDelivery } from "../../adapters/runtime";
import { applyEvidenceInstructions } from "../../app/attachments";
import { streamConsumer } from "../../stream/consumer";

/**
 * Stream consumer: keeps evidence as long as required — locks a file when it becomes available, extends
 * the locks when the complaint closes — and deletes rejected files (never locked).
 */
export const handler = streamConsumer(evidenceDelivery, applyEvidenceInstructions, {
  reads: { outbox: evidenceOutbox },
});
