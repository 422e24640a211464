/**
 * Resources that hold data carry Pulumi's `protect` option in production, so neither `pulumi destroy`
 * nor an accidental replacement can delete them. `retainOnDelete` is not accepted on its own: the
 * analyzer protocol (AnalyzerResourceOptions) does not carry it, so the real engine could never see
 * it, and the offline evaluation must not pass what the real gate would fail.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { reportByEnvironment } from "../report";
import { T } from "../types";

const DATA_RESOURCES: Record<string, string> = {
  [T.dynamodbTable]: "DynamoDB table",
  [T.s3Bucket]: "S3 bucket",
  [T.s3BucketV2]: "S3 bucket",
  [T.rdsInstance]: "RDS instance",
  [T.rdsCluster]: "RDS cluster",
  [T.ecrRepository]: "ECR repository",
  [T.cognitoUserPool]: "Cognito user pool",
};

/** `protect: true` on tables, buckets, databases, registries and user pools. */
export const dataResourcesProtected: ResourceValidationPolicy = {
  name: "data-resources-protected",
  description:
    "Resources that hold data must be created with the protect option (mandatory in prod, advisory elsewhere).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const kind = DATA_RESOURCES[args.type];
    if (!kind || args.opts.protect) return;
    reportByEnvironment(
      reportViolation,
      args.urn,
      `${kind} "${args.name}" holds data and must be created with the resource option protect: true.`,
    );
  },
};
