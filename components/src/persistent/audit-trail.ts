import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../core/iam";
import { formerType } from "../core/options";

export interface AuditTrailArgs {
  /** Physical trail name. */
  trailName: string;
  /** Name of the bucket that receives the logs (its policy must carry {@link cloudTrailBucketStatements}). */
  bucketName: pulumi.Input<string>;
  /** The bucket policy resource: the trail is created after it, or CloudTrail refuses the bucket. */
  bucketPolicy: pulumi.Resource;
  /** Key prefix of the log files. @default "cloudtrail" */
  prefix?: string;
}

/** Bucket policy statements CloudTrail needs to write to `bucketArn` under `prefix`. */
export function cloudTrailBucketStatements(
  bucketArn: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
  prefix = "cloudtrail",
): PolicyStatement[] {
  return [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/${prefix}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
}

/**
 * A multi-region CloudTrail trail with log file validation, delivering to the audit bucket.
 *
 * @example
 * new AuditTrail("audit", { trailName: ctx.name("audit"), bucketName: audit.name, bucketPolicy: audit.policy }, ctx.opts);
 */
export class AuditTrail extends pulumi.ComponentResource {
  readonly trail: aws.cloudtrail.Trail;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:persistent:AuditTrail", name, {}, formerType("tradai:audit:AuditTrail", opts));
    this.trail = new aws.cloudtrail.Trail(
      name,
      {
        name: args.trailName,
        s3BucketName: args.bucketName,
        s3KeyPrefix: args.prefix ?? "cloudtrail",
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
      },
      { parent: this, dependsOn: [args.bucketPolicy] },
    );
    this.registerOutputs({ trailArn: this.trail.arn });
  }
}
