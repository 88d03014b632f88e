import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { listen } from "./listen";

/** A message published to the local topic, as the managers' subscription would receive it. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: unknown;
  attributes: Record<string, string>;
  receivedAt: string;
}

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A thin local SNS (AWS Query protocol, Publish only) so the unchanged SNS notifier works on the embedded
 * target; published messages are kept in memory and shown at `/local/notifications`.
 */
export const startSnsApi = async (opts: { port: number; host?: string; limit?: number }) => {
  const messages: PublishedMessage[] = [];
  const limit = opts.limit ?? 5000;
  let down = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const requestId = randomUUID();
      if (down) {
        res.writeHead(500, { "Content-Type": "text/xml" });
        res.end(
          `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>The local topic is down (a test's outage)</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        return;
      }
      if (form.get("Action") !== "Publish") {
        res.writeHead(400, { "Content-Type": "text/xml" });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>Only Publish is served locally</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
        );
        return;
      }
      const attributes: Record<string, string> = {};
      for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
        attributes[form.get(`MessageAttributes.entry.${i}.Name`) as string] =
          form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
      }
      const raw = form.get("Message") ?? "";
      let message: unknown = raw;
      try {
        message = JSON.parse(raw);
      } catch {
        // Plain-text messages are kept as they are.
      }
      const messageId = randomUUID();
      messages.push({
        messageId,
        topicArn: form.get("TopicArn") ?? "",
        ...(form.get("Subject") ? { subject: form.get("Subject") as string } : {}),
        message,
        attributes,
        receivedAt: new Date().toISOString(),
      });
      if (messages.length > limit) messages.splice(0, messages.length - limit);
      res.writeHead(200, { "Content-Type": "text/xml" });
      res.end(
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${xml(messageId)}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  const listening = await listen(server, opts.port, opts.host);
  return {
    ...listening,
    messages: () => [...messages],
    /** Tests: while down, every call is answered 500 InternalError, as in an SNS outage. */
    setDown: (on: boolean) => {
      down = on;
    },
  };
};
