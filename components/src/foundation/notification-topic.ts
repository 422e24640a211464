import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";

export interface NotificationTopicArgs {
  /** Physical topic name. */
  topicName: string;
  /** KMS key (id, ARN or alias) encrypting the messages at rest. */
  kmsKeyId: pulumi.Input<string>;
  /** Email addresses subscribed (each must confirm the mail AWS sends). @default [] */
  emailSubscriptions?: string[];
}

/**
 * An encrypted SNS topic with optional email subscriptions.
 *
 * @example
 * new NotificationTopic("alerts", { topicName: ctx.name("alerts"), kmsKeyId: key.arn, emailSubscriptions: ["ops@example.com"] }, ctx.opts);
 */
export class NotificationTopic extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: NotificationTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "tradai:foundation:NotificationTopic",
      name,
      {},
      formerType("tradai:messaging:NotificationTopic", opts),
    );
    const child = { parent: this };
    this.topic = new aws.sns.Topic(name, { name: args.topicName, kmsMasterKeyId: args.kmsKeyId }, child);
    for (const [i, endpoint] of (args.emailSubscriptions ?? []).entries()) {
      new aws.sns.TopicSubscription(
        `${name}-email-${i}`,
        { topic: this.topic.arn, protocol: "email", endpoint },
        child,
      );
    }
    this.name = this.topic.name;
    this.arn = this.topic.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
