import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, type PolicyStatement, policyDocument } from "../core/iam";
import { dataResourceOptions, formerType } from "../core/options";

/** A lifecycle rule in the shape the bucket applies it. */
export interface LifecycleRule {
  id: string;
  /** Key prefix the rule applies to. @default "" (the whole bucket) */
  prefix?: string;
  /** Move current objects to Standard-IA after this many days. */
  infrequentAccessAfterDays?: number;
  /** Delete current objects after this many days. */
  expireAfterDays?: number;
  /** Delete noncurrent versions after this many days (versioned buckets). */
  noncurrentExpireAfterDays?: number;
}

export interface SecureBucketArgs {
  /** Physical bucket name (globally unique). */
  bucketName: pulumi.Input<string>;
  /** Keep object versions (for data that matters). @default true */
  versioned?: boolean;
  /** Lifecycle rules. Incomplete multipart uploads are always aborted after 7 days. @default [] */
  lifecycleRules?: LifecycleRule[];
  /**
   * Protect against deletion (`protect` + retain on delete) and refuse `forceDestroy`.
   * @default false
   */
  protectData?: boolean;
  /** Extra bucket policy statements (e.g. for CloudTrail). The TLS-only statement is always present. @default [] */
  policyStatements?: (bucketArn: pulumi.Output<string>) => PolicyStatement[];
}

/**
 * An S3 bucket that is private, encrypted and TLS-only by construction: public access block with all four
 * flags, bucket-owner-enforced ownership (no ACLs), SSE-S3 with bucket keys, a policy denying plain HTTP,
 * optional versioning and lifecycle rules.
 *
 * @example
 * new SecureBucket("market-data", { bucketName: ctx.name("market-data"), protectData: true }, ctx.opts);
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly policy: aws.s3.BucketPolicy;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:persistent:SecureBucket", name, {}, formerType("tradai:storage:SecureBucket", opts));
    const protectData = args.protectData ?? false;
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: !protectData },
      { ...child, ...dataResourceOptions(protectData) },
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
      },
      child,
    );
    const versioned = args.versioned ?? true;
    if (versioned) {
      new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
        child,
      );
    }
    this.createLifecycle(name, args.lifecycleRules ?? [], child);
    // The policy waits for the public access block: S3 rejects a policy while the block is being applied.
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: this.bucket.id,
        policy: policyDocument([
          denyInsecureTransport([this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`]),
          ...(args.policyStatements?.(this.bucket.arn) ?? []),
        ]),
      },
      { ...child, dependsOn: [publicAccess] },
    );

    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  private createLifecycle(name: string, rules: LifecycleRule[], opts: pulumi.CustomResourceOptions): void {
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          ...rules.map((rule) => ({
            id: rule.id,
            status: "Enabled",
            filter: { prefix: rule.prefix ?? "" },
            ...(rule.infrequentAccessAfterDays
              ? { transitions: [{ days: rule.infrequentAccessAfterDays, storageClass: "STANDARD_IA" }] }
              : {}),
            ...(rule.expireAfterDays ? { expiration: { days: rule.expireAfterDays } } : {}),
            ...(rule.noncurrentExpireAfterDays
              ? { noncurrentVersionExpiration: { noncurrentDays: rule.noncurrentExpireAfterDays } }
              : {}),
          })),
        ],
      },
      opts,
    );
  }
}
