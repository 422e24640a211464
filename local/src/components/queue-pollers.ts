/**
 * SQS event source mappings: one poller per mapping long-polls for up to the plan's batch size, invokes the
 * function with an SQS event, and deletes what succeeded. With
 * `ReportBatchItemFailures` only the records the function lists in `batchItemFailures` stay on the
 * queue; a thrown error (or a timeout) leaves the whole batch. Records left on the queue come back after
 * the visibility timeout, and the queue's redrive policy moves them to the dead-letter queue after
 * `maxReceiveCount` receives (moto implements redrive).
 */
import { createHash } from "node:crypto";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { QueueTrigger, Topology } from "../topology";
import type { FunctionRuntime } from "./functions";

export interface PollerOptions {
  /**
   * Seconds after which a failed record is visible again. Unset: the queue's visibility timeout, as in
   * AWS (6 minutes for the backtest queues); `tradai local up --retry-after 2` shortens the wait.
   */
  retryAfterSeconds?: number;
}

export interface QueuePollers {
  stop(): Promise<void>;
  /** Batches handed to functions, per function key. */
  batches(): Record<string, number>;
}

/** Seconds each receive waits for a message. */
const LONG_POLL_SECONDS = 1;

/** The queue URL the emulator answers for a queue ARN. */
export function queueUrlOf(emulatorUrl: string, arn: string): string {
  const [, , , , account, name] = arn.split(":");
  return `${emulatorUrl}/${account}/${name}`;
}

function toRecord(message: Message, trigger: QueueTrigger, region: string): SQSRecord {
  const body = message.Body ?? "";
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body,
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "local",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([key, value]) => [
        key,
        {
          dataType: value.DataType ?? "String",
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? createHash("md5").update(body).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN: trigger.queueArn,
    awsRegion: region,
  };
}

export function startQueuePollers(options: {
  topology: Topology;
  emulatorUrl: string;
  sqs: SQSClient;
  functions: FunctionRuntime;
  log: (line: string) => void;
  pollerOptions?: PollerOptions;
}): QueuePollers {
  const { topology, sqs, functions, log } = options;
  let stopped = false;
  const counts: Record<string, number> = {};
  const loops = topology.queueTriggers.map(async (trigger) => {
    const queueUrl = queueUrlOf(options.emulatorUrl, trigger.queueArn);
    while (!stopped) {
      let messages: Message[] = [];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(trigger.batchSize, 10),
            // Long polling, as Lambda's pollers do: the emulator answers as soon as a message is visible, and
            // an idle queue costs one request a second instead of a busy loop (a wait of 0, what a mapping
            // without a batching window used to get here, kept the emulator's CPU saturated). One second
            // keeps stop() prompt: it lets the receive in flight finish rather than abandon its messages.
            WaitTimeSeconds: LONG_POLL_SECONDS,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (stopped) break;
        log(`${trigger.functionKey}: receive from ${queueUrl} failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      const event: SQSEvent = { Records: messages.map((m) => toRecord(m, trigger, topology.region)) };
      counts[trigger.functionKey] = (counts[trigger.functionKey] ?? 0) + 1;
      let failedIds: Set<string>;
      try {
        const result = (await functions.invoke(trigger.functionKey, event)) as {
          batchItemFailures?: { itemIdentifier: string }[];
        } | null;
        failedIds = new Set(
          trigger.reportBatchItemFailures
            ? (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier)
            : [],
        );
      } catch {
        failedIds = new Set(messages.map((m) => m.MessageId ?? ""));
      }
      const succeeded = messages.filter((m) => !failedIds.has(m.MessageId ?? ""));
      const failed = messages.filter((m) => failedIds.has(m.MessageId ?? ""));
      if (succeeded.length > 0) {
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: succeeded.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? "" })),
          }),
        );
      }
      if (failed.length > 0) {
        log(
          `${trigger.functionKey}: ${failed.length} of ${messages.length} record(s) failed; left on the queue`,
        );
        if (options.pollerOptions?.retryAfterSeconds !== undefined) {
          await sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: failed.map((m, i) => ({
                Id: String(i),
                ReceiptHandle: m.ReceiptHandle ?? "",
                VisibilityTimeout: options.pollerOptions?.retryAfterSeconds ?? 0,
              })),
            }),
          );
        }
      }
    }
  });
  return {
    batches: () => ({ ...counts }),
    async stop() {
      stopped = true;
      await Promise.allSettled(loops);
    },
  };
}
