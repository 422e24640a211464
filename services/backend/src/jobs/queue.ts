import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { BacktestJobMessage } from "@tradai/contracts";

/** The backtest-jobs queue. */
export class BacktestQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  /** Sends one job message; FIFO queues get the job id as group and deduplication id. */
  async send(message: BacktestJobMessage): Promise<string | undefined> {
    const fifo = this.queueUrl.endsWith(".fifo");
    const result = await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { jobId: { DataType: "String", StringValue: message.jobId } },
        ...(fifo ? { MessageGroupId: message.jobId, MessageDeduplicationId: message.jobId } : {}),
      }),
    );
    return result.MessageId;
  }
}
