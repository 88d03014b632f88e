import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  CUSTOMER_NOTICE_DETAIL_TYPE,
  EventBridgePublisher,
} from "../../../functions/adapters/eventbridge/event-bridge-publisher";
import { integrationEventsFor } from "../../../functions/domain/integration-events";
import { renderNotice } from "../../../functions/domain/notices";
import { newComplaint, receivedEvent } from "../domain/fixtures";

const eventBridge = mockClient(EventBridgeClient);
const publisher = new EventBridgePublisher(new EventBridgeClient({ region: "us-east-1" }), "complaints-test");
const c = newComplaint();
const received = integrationEventsFor(c, [receivedEvent(c)]);

describe("EventBridgePublisher", () => {
  beforeEach(() => {
    eventBridge.reset();
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  });

  it("puts integration events on the bus in order, detail-type = event type", async () => {
    await publisher.publish(received);
    expect(eventBridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          EventBusName: "complaints-test",
          Source: "bank.complaints",
          DetailType: "ComplaintReceived",
        }),
        expect.objectContaining({ DetailType: "Acknowledged", Detail: JSON.stringify(received[1]) }),
      ],
    });
  });

  it("sends customer notices as CustomerNoticeRequested, ten entries a call", async () => {
    const notices = Array.from({ length: 12 }, (_, i) =>
      renderNotice(c, { kind: "acknowledgement" }, new Date(c.receivedAt), `n-${i}`),
    );
    await publisher.send(notices);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
    const first = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(first).toHaveLength(10);
    expect(first[0]).toMatchObject({ DetailType: CUSTOMER_NOTICE_DETAIL_TYPE });
  });

  it("fails loudly when the bus refuses entries", async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: "ThrottlingException" }] });
    await expect(publisher.publish(received)).rejects.toMatchObject({ name: "EventPublicationError" });
  });
});
