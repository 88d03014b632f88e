import type { RemovalPolicy } from "aws-cdk-lib";
import { EventBus } from "aws-cdk-lib/aws-events";
import { Key } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";

export interface ComplaintEventBusProps {
  /** The bus name handlers put events on (`EVENT_BUS_NAME`). */
  eventBusName: string;
  removalPolicy: RemovalPolicy;
}

/**
 * The complaint system's custom EventBridge bus: integration events for the CRM and the rest of the bank
 * (one detail-type per event, schemas in docs/events/) and customer notices for the messaging service
 * (`CustomerNoticeRequested`). Notices carry personal data, so the bus is encrypted with its own key.
 * Consumers subscribe with rules on their own side; this construct only owns the bus and who may put.
 */
export class ComplaintEventBus extends Construct {
  readonly bus: EventBus;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: ComplaintEventBusProps) {
    super(scope, id);
    this.key = new Key(this, "Key", {
      description: "Encrypts the complaint event bus (customer notices carry personal data)",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.bus = new EventBus(this, "Bus", {
      eventBusName: props.eventBusName,
      description: "Complaint handling: integration events and customer notice requests",
      kmsKey: this.key,
    });
  }

  /** Lets a function put events on the bus (and only this bus), and tells it the bus's name. */
  grantPublish(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.bus.grantPutEventsTo(fn);
    fn.addEnvironment("EVENT_BUS_NAME", this.bus.eventBusName);
  }
}
