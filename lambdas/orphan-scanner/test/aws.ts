/** Emulator helpers for this Lambda's tests: an alerts topic observed through a subscribed queue, metrics. */
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

/** An SNS topic with an SQS queue subscribed, so published messages can be read back. */
export async function topicWithQueue(name: string): Promise<{ topicArn: string; queueUrl: string }> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({});
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-observer` }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  if (!TopicArn || !QueueUrl || !Attributes?.QueueArn)
    throw new Error("emulator did not create the topic/queue");
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn }));
  return { topicArn: TopicArn, queueUrl: QueueUrl };
}

/** Every message currently in the queue, unwrapped from the SNS envelope and parsed as JSON. */
export async function receivedAlerts(
  queueUrl: string,
): Promise<{ subject: string; body: Record<string, unknown> }[]> {
  const sqs = new SQSClient({});
  const alerts: { subject: string; body: Record<string, unknown> }[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!out.Messages?.length) return alerts;
    for (const message of out.Messages) {
      const envelope = JSON.parse(message.Body ?? "{}") as { Subject?: string; Message?: string };
      alerts.push({
        subject: envelope.Subject ?? "",
        body: JSON.parse(envelope.Message ?? "{}") as Record<string, unknown>,
      });
    }
  }
}

/** Data points (Maximum) of a TradAI metric with the given dimensions over the last hour. */
export async function metricMaxima(name: string, dimensions: Record<string, string> = {}): Promise<number[]> {
  const cloudwatch = new CloudWatchClient({});
  const now = Date.now();
  const out = await cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: "TradAI",
      MetricName: name,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      StartTime: new Date(now - 3_600_000),
      EndTime: new Date(now + 3_600_000),
      Period: 60,
      Statistics: ["Maximum"],
    }),
  );
  return (out.Datapoints ?? []).map((d) => d.Maximum ?? Number.NaN);
}
