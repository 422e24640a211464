/** An SNS topic with an SQS queue subscribed (raw delivery): what a test reads to see published messages. */
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

export interface TopicProbe {
  topicArn: string;
  /** Bodies (parsed JSON) of the messages published since the last call. moto delivers synchronously. */
  received(): Promise<unknown[]>;
}

export async function createTopicProbe(topicName: string): Promise<TopicProbe> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  try {
    const topic = await sns.send(new CreateTopicCommand({ Name: topicName }));
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${topicName}-probe` }));
    const queueUrl = queue.QueueUrl ?? "";
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic.TopicArn,
        Protocol: "sqs",
        Endpoint: attrs.Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    return {
      topicArn: topic.TopicArn ?? "",
      async received() {
        const client = new SQSClient({});
        try {
          const all: unknown[] = [];
          for (;;) {
            const out = await client.send(
              new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
            );
            const batch = out.Messages ?? [];
            all.push(...batch.map((m) => JSON.parse(m.Body ?? "null") as unknown));
            if (batch.length < 10) return all;
          }
        } finally {
          client.destroy();
        }
      },
    };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}
