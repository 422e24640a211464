import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument } from "../core/iam";
import { formerType } from "../core/options";

/** Days a dead-letter queue keeps a message (the SQS maximum), time enough to inspect and redrive it. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

export interface WorkQueueArgs {
  /** Physical queue name; the dead-letter queue is `<queueName>-dlq`. */
  queueName: string;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  maxReceiveCount?: number;
  /** Seconds a received message stays hidden: at least 6 times the consumer Lambda's timeout. @default 360 */
  visibilityTimeoutSeconds?: number;
  /** Seconds a message is kept. @default 345600 (4 days) */
  retentionSeconds?: number;
}

/**
 * An SQS queue with its dead-letter queue: SSE (SQS-managed keys) on both, TLS-only policies, a redrive
 * policy after `maxReceiveCount` receives, and a dead-letter queue that accepts redrives from its own
 * queue only and keeps messages 14 days.
 *
 * @example
 * new WorkQueue("backtest-jobs", { queueName: ctx.name("backtest-jobs"), maxReceiveCount: 5, visibilityTimeoutSeconds: 360 }, ctx.opts);
 */
export class WorkQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:WorkQueue", name, {}, formerType("tradai:messaging:WorkQueue", opts));
    const child = { parent: this };
    const region = aws.getRegionOutput({}, child).region;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    // The queue's ARN is known from its name, which breaks the queue <-> DLQ reference cycle.
    const queueArn = pulumi.interpolate`arn:aws:sqs:${region}:${accountId}:${args.queueName}`;

    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${args.queueName}-dlq`,
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        sqsManagedSseEnabled: true,
        redriveAllowPolicy: pulumi
          .output(queueArn)
          .apply((arn) => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] })),
      },
      child,
    );
    this.queue = new aws.sqs.Queue(
      name,
      {
        name: args.queueName,
        visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? 360,
        messageRetentionSeconds: args.retentionSeconds ?? 345600,
        receiveWaitTimeSeconds: 20,
        sqsManagedSseEnabled: true,
        redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.maxReceiveCount ?? 5 }),
        ),
      },
      child,
    );
    for (const [suffix, queue] of [
      ["", this.queue],
      ["-dlq", this.deadLetterQueue],
    ] as const) {
      new aws.sqs.QueuePolicy(
        `${name}${suffix}-policy`,
        { queueUrl: queue.url, policy: policyDocument([denyInsecureTransport([queue.arn])]) },
        child,
      );
    }
    this.registerOutputs({ url: this.queue.url, dlqUrl: this.deadLetterQueue.url });
  }
}
