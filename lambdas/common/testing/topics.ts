/** An SNS topic with an SQS queue subscribed: what a test reads to see published messages. */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

/** One published message as a subscriber sees it: subject, string attributes and the parsed JSON message. */
export interface ReceivedNotification {
  subject: string;
  attributes: Record<string, string>;
  body: Record<string, unknown>;
}

/** The JSON envelope SNS wraps a message in when delivering to SQS without raw delivery. */
interface Envelope {
  Subject?: string;
  Message?: string;
  MessageAttributes?: Record<string, { Type?: string; Value?: string }>;
}

export interface TopicProbe {
  topicArn: string;
  /** Bodies (parsed JSON) of the messages published since the last call. moto delivers synchronously. */
  received(): Promise<unknown[]>;
  /** Like {@link TopicProbe.received}, with each message's subject (alerts carry one). */
  notifications(): Promise<ReceivedNotification[]>;
}

/** The SNS envelopes delivered to `queueUrl` since the last call (received messages stay hidden). */
async function drainEnvelopes(queueUrl: string): Promise<Envelope[]> {
  const client = new SQSClient({});
  try {
    const all: Envelope[] = [];
    for (;;) {
      const out = await client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      const batch = out.Messages ?? [];
      all.push(...batch.map((m) => JSON.parse(m.Body ?? "{}") as Envelope));
      if (batch.length < 10) return all;
    }
  } finally {
    client.destroy();
  }
}

/**
 * Creates the topic `topicName` and a queue `<topicName>-probe` subscribed to it. The subscription keeps
 * the SNS envelope (no raw delivery) so the subject can be checked too.
 */
export async function createTopicProbe(topicName: string): Promise<TopicProbe> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  try {
    const topic = await sns.send(new CreateTopicCommand({ Name: topicName }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${topicName}-probe` }));
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const topicArn = topic.TopicArn;
    const queueUrl = queue.QueueUrl;
    if (!topicArn || !queueUrl || !attrs.Attributes?.QueueArn) {
      throw new Error(`the emulator did not create the topic ${topicName} and its probe queue`);
    }
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: attrs.Attributes.QueueArn }),
    );
    return {
      topicArn,
      async received() {
        return (await drainEnvelopes(queueUrl)).map((e) => JSON.parse(e.Message ?? "null") as unknown);
      },
      async notifications() {
        return (await drainEnvelopes(queueUrl)).map((e) => ({
          subject: e.Subject ?? "",
          attributes: Object.fromEntries(
            Object.entries(e.MessageAttributes ?? {}).map(([name, a]) => [name, a.Value ?? ""]),
          ),
          body: JSON.parse(e.Message ?? "{}") as Record<string, unknown>,
        }));
      },
    };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}
