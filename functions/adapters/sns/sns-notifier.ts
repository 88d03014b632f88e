import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { ManagerNotice } from "../../app/notifications";
import type { Notifier } from "../../app/ports";

/** Publishes manager notices to the alerts topic (SNS on AWS; the embedded target serves the same API). */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(notices: readonly ManagerNotice[]): Promise<void> {
    for (const notice of notices) {
      await this.sns.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: notice.subject.slice(0, 99),
          Message: JSON.stringify(notice),
          MessageAttributes: {
            kind: { DataType: "String", StringValue: notice.kind },
            team: { DataType: "String", StringValue: notice.team },
          },
        }),
      );
    }
  }
}
