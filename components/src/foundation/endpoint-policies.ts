/**
 * Policies of the gateway endpoints. An endpoint policy decides where traffic from the VPC may go, not
 * what a caller may do (identity policies do that), so these restrict resources and leave actions broad:
 * nothing inside the VPC can read from or write to another account's buckets or tables through them.
 */
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../core/iam";

/**
 * S3: buckets of this account, and the AWS-owned bucket ECR serves image layers from (image pulls from
 * the private subnets go through this endpoint).
 */
export function s3EndpointPolicy(
  accountId: pulumi.Input<string>,
  region: pulumi.Input<string>,
): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: "OwnAccountBuckets",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:*",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceAccount": accountId } },
    },
    {
      Sid: "EcrImageLayers",
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`arn:aws:s3:::prod-${region}-starport-layer-bucket/*`,
    },
  ]);
}

/** DynamoDB: the platform's tables (from the persistent layer), their indexes and streams only. */
export function dynamodbEndpointPolicy(tableArns: pulumi.Input<string[]>): pulumi.Output<string> {
  return pulumi.output(tableArns).apply((arns) => {
    if (arns.length === 0)
      throw new Error("dynamodbEndpointPolicy: no table ARNs (the VPC could reach no table)");
    return policyDocument([
      {
        Sid: "PlatformTables",
        Effect: "Allow",
        Principal: "*",
        Action: "dynamodb:*",
        Resource: arns.flatMap((arn) => [arn, `${arn}/index/*`, `${arn}/stream/*`]),
      },
    ]);
  });
}
