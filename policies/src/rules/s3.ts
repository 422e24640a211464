/** S3 guardrails: no public access, default encryption. Both need the bucket's companion resources. */
import type { StackValidationPolicy } from "@pulumi/policy";
import { asList, isRecord, isSet, knownValue } from "../props";
import { ofTypes, refersTo } from "../stack-resources";
import { BUCKET_TYPES, T } from "../types";

const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
];

/** Every bucket has a BucketPublicAccessBlock with all four flags true. */
export const s3PublicAccessBlocked: StackValidationPolicy = {
  name: "s3-public-access-blocked",
  description: "Every S3 bucket must have a BucketPublicAccessBlock with all four flags set to true.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const blocks = ofTypes(args.resources, [T.s3PublicAccessBlock]);
    for (const bucket of ofTypes(args.resources, BUCKET_TYPES)) {
      const block = blocks.find((b) => refersTo(b, "bucket", bucket, "bucket"));
      if (!block) {
        reportViolation(
          `S3 bucket "${bucket.name}" has no BucketPublicAccessBlock; add one with all four flags set to true.`,
          bucket.urn,
        );
        continue;
      }
      const missing = PUBLIC_ACCESS_FLAGS.filter((flag) => knownValue(block.props, flag) !== true);
      if (missing.length > 0) {
        reportViolation(
          `BucketPublicAccessBlock "${block.name}" of S3 bucket "${bucket.name}" must set ${missing.join(", ")} to true.`,
          bucket.urn,
        );
      }
    }
  },
};

/** A server-side encryption rule with a default algorithm, either inline or as its own resource. */
function hasDefaultEncryption(config: unknown): boolean {
  if (!isRecord(config)) return false;
  const rules = [...asList(knownValue(config, "rule")), ...asList(knownValue(config, "rules"))];
  return rules.some((rule) => {
    const byDefault = isRecord(rule) ? knownValue(rule, "applyServerSideEncryptionByDefault") : undefined;
    // An algorithm only known at deploy time (e.g. from a KMS key output) still counts as configured.
    return isRecord(byDefault) && isSet(byDefault, "sseAlgorithm");
  });
}

/** Every bucket has default server-side encryption configured. */
export const s3EncryptionConfigured: StackValidationPolicy = {
  name: "s3-encryption-configured",
  description: "Every S3 bucket must have default server-side encryption configured.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const configs = ofTypes(args.resources, [T.s3Encryption, T.s3EncryptionV2]);
    for (const bucket of ofTypes(args.resources, BUCKET_TYPES)) {
      if (hasDefaultEncryption(knownValue(bucket.props, "serverSideEncryptionConfiguration"))) continue;
      const config = configs.find((c) => refersTo(c, "bucket", bucket, "bucket"));
      if (config && hasDefaultEncryption(config.props)) continue;
      reportViolation(
        `S3 bucket "${bucket.name}" has no default server-side encryption; add a ` +
          "BucketServerSideEncryptionConfiguration whose rule sets applyServerSideEncryptionByDefault.sseAlgorithm.",
        bucket.urn,
      );
    }
  },
};
