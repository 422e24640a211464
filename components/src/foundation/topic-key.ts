import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../core/iam";
import { formerType } from "../core/options";

export interface TopicKeyArgs {
  /** Alias without the `alias/` prefix (`tradai-<env>-sns`). */
  aliasName: string;
}

/**
 * The customer managed KMS key that encrypts the SNS topics. Not the AWS managed `alias/aws/sns`: its key
 * policy cannot be changed, so CloudWatch alarms and EventBridge could never publish to a topic it
 * encrypts (their deliveries are dropped silently). This key allows:
 * - any principal of the account, through SNS only (what `alias/aws/sns` allows: publishers need no KMS
 *   permission of their own);
 * - CloudWatch alarms of this account, and EventBridge, to encrypt what they publish.
 * Rotation is on.
 *
 * @example
 * const key = new TopicKey("topic-key", { aliasName: ctx.name("sns") }, ctx.opts);
 */
export class TopicKey extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: TopicKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:TopicKey", name, {}, formerType("tradai:messaging:TopicKey", opts));
    const child = { parent: this };
    const region = aws.getRegionOutput({}, child).region;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const use = ["kms:GenerateDataKey*", "kms:Decrypt"];
    this.key = new aws.kms.Key(
      name,
      {
        description: `SNS topics (${args.aliasName})`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyDocument([
          {
            Sid: "AccountAdministers",
            Effect: "Allow",
            Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "AccountPublishesThroughSns",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: use,
            Resource: "*",
            Condition: {
              StringEquals: {
                "kms:CallerAccount": accountId,
                "kms:ViaService": pulumi.interpolate`sns.${region}.amazonaws.com`,
              },
            },
          },
          {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: use,
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
          {
            // EventBridge sends no source account/ARN to KMS: a condition would drop every delivery.
            Sid: "EventBridgePublishes",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: use,
            Resource: "*",
          },
        ]),
      },
      child,
    );
    new aws.kms.Alias(name, { name: `alias/${args.aliasName}`, targetKeyId: this.key.keyId }, child);
    this.arn = this.key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
