import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PULUMI_SECRETS_KEY_ALIAS } from "@tradai/contracts";
import { SecureBucket } from "../persistent/secure-bucket";

export interface StateBackendArgs {
  /** Physical bucket name, e.g. `tradai-pulumi-state-<account>`. */
  bucketName: pulumi.Input<string>;
  /** KMS alias of the stack secrets key. @default "alias/tradai-pulumi-secrets" */
  keyAlias?: string;
  /** Days noncurrent state versions are kept. @default 90 */
  versionRetentionDays?: number;
}

/**
 * Where every stack keeps its state and how its secrets are encrypted: a versioned, private, TLS-only
 * S3 bucket (the `pulumi login s3://...` backend) and a KMS key with rotation for the
 * `awskms://alias/...` secrets provider. Both are protected: losing either loses every stack.
 *
 * @example
 * new StateBackend("state", { bucketName: pulumi.interpolate`tradai-pulumi-state-${accountId}` }, ctx.opts);
 */
export class StateBackend extends pulumi.ComponentResource {
  readonly bucket: SecureBucket;
  readonly key: aws.kms.Key;
  readonly alias: aws.kms.Alias;

  constructor(name: string, args: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:bootstrap:StateBackend", name, {}, opts);
    this.bucket = new SecureBucket(
      `${name}-bucket`,
      {
        bucketName: args.bucketName,
        versioned: true,
        protectData: true,
        lifecycleRules: [
          { id: "noncurrent-state", noncurrentExpireAfterDays: args.versionRetentionDays ?? 90 },
        ],
      },
      { parent: this },
    );
    this.key = new aws.kms.Key(
      `${name}-secrets-key`,
      {
        description: "Encrypts TradAI Pulumi stack secrets",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      { parent: this, protect: true, retainOnDelete: true },
    );
    this.alias = new aws.kms.Alias(
      `${name}-secrets-alias`,
      { name: args.keyAlias ?? PULUMI_SECRETS_KEY_ALIAS, targetKeyId: this.key.keyId },
      { parent: this },
    );
    this.registerOutputs({ bucket: this.bucket.name, keyArn: this.key.arn, alias: this.alias.name });
  }
}
