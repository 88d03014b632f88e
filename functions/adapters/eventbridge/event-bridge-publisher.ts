import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import type { CustomerNotifier, EventPublisher } from "../../app/ports";
import { EVENT_SOURCE, type IntegrationEvent } from "../../domain/integration-events";
import type { CustomerNotice } from "../../domain/notices";

/** The detail-type of a customer notice on the bus: the bank's messaging service delivers it. */
export const CUSTOMER_NOTICE_DETAIL_TYPE = "CustomerNoticeRequested";

/** PutEvents takes at most ten entries a call. */
const BATCH = 10;

/** Some entries of a PutEvents call were refused (throttling, size): named so callers can tell. */
export class EventPublicationError extends Error {
  constructor(failed: number, codes: string[]) {
    super(`${failed} event(s) were not accepted by the bus (${codes.join(",") || "unknown"})`);
    this.name = "EventPublicationError";
  }
}

/**
 * Puts integration events and customer notices on the complaint system's custom bus (EventBridge on AWS;
 * the embedded target serves the same API locally). Entries go in order, ten per call; a partial failure
 * is an error, never silently dropped.
 */
export class EventBridgePublisher implements EventPublisher, CustomerNotifier {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly IntegrationEvent[]): Promise<void> {
    await this.put(
      events.map((e) => ({
        Source: EVENT_SOURCE,
        DetailType: e.type,
        Detail: JSON.stringify(e),
        Time: new Date(e.occurredAt),
        Resources: [],
      })),
    );
  }

  async send(notices: readonly CustomerNotice[]): Promise<void> {
    await this.put(
      notices.map((n) => ({
        Source: EVENT_SOURCE,
        DetailType: CUSTOMER_NOTICE_DETAIL_TYPE,
        Detail: JSON.stringify(n),
        Time: new Date(n.at),
        Resources: [],
      })),
    );
  }

  private async put(entries: Omit<PutEventsRequestEntry, "EventBusName">[]): Promise<void> {
    for (let i = 0; i < entries.length; i += BATCH) {
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: entries.slice(i, i + BATCH).map((e) => ({ ...e, EventBusName: this.busName })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const codes = (out.Entries ?? []).flatMap((e) => (e.ErrorCode ? [e.ErrorCode] : []));
        throw new EventPublicationError(out.FailedEntryCount ?? 0, [...new Set(codes)]);
      }
    }
  }
}
