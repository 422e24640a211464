/**
 * Deletion protection on the resources whose loss is unrecoverable or disruptive: mandatory in
 * production, advisory in dev and staging (those stacks are torn down routinely).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Props } from "../props";
import { reportByEnvironment } from "../report";
import { T } from "../types";

interface DeletionProtectionSpec {
  name: string;
  description: string;
  /** Type token -> human name used in the message. */
  types: Record<string, string>;
  /** The input that must be set and the value it must have. */
  property: string;
  expected: boolean | string;
}

function deletionProtectionPolicy(spec: DeletionProtectionSpec): ResourceValidationPolicy {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      const kind = spec.types[args.type];
      if (!kind) return;
      const props: Props = args.props;
      if (props[spec.property] !== spec.expected) {
        reportByEnvironment(
          reportViolation,
          args.urn,
          `${kind} "${args.name}" must set ${spec.property}: ${JSON.stringify(spec.expected)}.`,
        );
      }
    },
  };
}

/** DynamoDB tables keep `deletionProtectionEnabled`. */
export const dynamodbDeletionProtection = deletionProtectionPolicy({
  name: "dynamodb-table-deletion-protection",
  description:
    "DynamoDB tables must have deletion protection enabled (mandatory in prod, advisory elsewhere).",
  types: { [T.dynamodbTable]: "DynamoDB table" },
  property: "deletionProtectionEnabled",
  expected: true,
});

/** RDS instances and clusters keep `deletionProtection`. */
export const rdsDeletionProtection = deletionProtectionPolicy({
  name: "rds-deletion-protection",
  description:
    "RDS instances and clusters must have deletion protection enabled (mandatory in prod, advisory elsewhere).",
  types: { [T.rdsInstance]: "RDS instance", [T.rdsCluster]: "RDS cluster" },
  property: "deletionProtection",
  expected: true,
});

/** Load balancers keep `enableDeletionProtection`. */
export const loadBalancerDeletionProtection = deletionProtectionPolicy({
  name: "load-balancer-deletion-protection",
  description:
    "Load balancers must have deletion protection enabled (mandatory in prod, advisory elsewhere).",
  types: { [T.lbLoadBalancer]: "Load balancer", [T.albLoadBalancer]: "Load balancer" },
  property: "enableDeletionProtection",
  expected: true,
});

/** Cognito user pools keep `deletionProtection: "ACTIVE"`. */
export const cognitoDeletionProtection = deletionProtectionPolicy({
  name: "cognito-user-pool-deletion-protection",
  description:
    "Cognito user pools must have deletion protection ACTIVE (mandatory in prod, advisory elsewhere).",
  types: { [T.cognitoUserPool]: "Cognito user pool" },
  property: "deletionProtection",
  expected: "ACTIVE",
});
