import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import type { StoredNotice } from "../../app/ports";
import type { StreamMessage, StreamRecord } from "../../app/stream";
import { fromEventItem, OUTBOX, type OutboxPart } from "./audit-item";
import { ITEM_PREFIX } from "./keys";

/**
 * The table's change stream, read: which records each consumer receives (the event source mappings'
 * filters, on AWS; the embedded poller evaluates the same patterns) and how a record becomes a message.
 * Only inserts matter: audit events and notices are written once and never updated.
 */

const inserted = { eventName: ["INSERT"] } as const;
const hasAttribute = (name: string) =>
  ({ ...inserted, dynamodb: { NewImage: { [name]: { N: [{ exists: true }] } } } }) as const;

/** The filter patterns of each stream consumer (EventBridge pattern syntax, as Lambda filters take them). */
export const STREAM_FILTERS = {
  workflow: [hasAttribute(OUTBOX.workflow)],
  bus: [
    hasAttribute(OUTBOX.events),
    { ...inserted, dynamodb: { NewImage: { sk: { S: [{ prefix: ITEM_PREFIX.notice }] } } } },
  ],
  alerts: [hasAttribute(OUTBOX.alerts)],
  metrics: [hasAttribute(OUTBOX.metrics)],
  evidence: [hasAttribute(OUTBOX.evidence)],
  reports: [hasAttribute(OUTBOX.reports)],
} as const;
export type StreamConsumerKind = keyof typeof STREAM_FILTERS;

const COMPLAINT_KEY = /^COMPLAINT#([^#]+)$/;

/** A record that is not one of ours (a filter that let too much through, a hand-made item). */
export class UnreadableStreamRecordError extends Error {
  constructor(sequenceNumber: string, why: string) {
    super(`stream record ${sequenceNumber} cannot be delivered: ${why}`);
    this.name = "UnreadableStreamRecordError";
  }
}

/**
 * What one consumer reads of the records its filter lets through: the part of the outbox it delivers, and
 * (the bus alone) the customer notices. Nothing else is decoded, so its bundle carries no other schema.
 */
export interface StreamReads {
  outbox: OutboxPart;
  /** Reads a notice item (`fromNoticeItem`); a consumer without it refuses notice records as unreadable. */
  notice?: (item: Record<string, unknown>) => StoredNotice;
}

/** A stream record as the delivery use cases take it: its position, its complaint, and a parser. */
export const streamRecordOf =
  (reads: StreamReads) =>
  (record: DynamoDBRecord): StreamRecord => {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? "";
    const pk = record.dynamodb?.Keys?.pk?.S ?? "";
    const complaintId = COMPLAINT_KEY.exec(pk)?.[1] ?? pk;
    return {
      sequenceNumber,
      complaintId,
      read: (): StreamMessage => {
        const image = record.dynamodb?.NewImage;
        if (!image || !COMPLAINT_KEY.test(pk))
          throw new UnreadableStreamRecordError(sequenceNumber, "not a complaint's item");
        const item = unmarshall(image as Record<string, AttributeValue>);
        const sk = String(item.sk ?? "");
        if (sk.startsWith(ITEM_PREFIX.event))
          return { kind: "event", complaintId, ...fromEventItem(item, reads.outbox) };
        if (sk.startsWith(ITEM_PREFIX.notice) && reads.notice)
          return { kind: "notice", complaintId, notice: reads.notice(item) };
        throw new UnreadableStreamRecordError(sequenceNumber, `no delivery for item ${sk.split("#")[0]}`);
      },
    };
  };
