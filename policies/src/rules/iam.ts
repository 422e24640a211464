/**
 * No Allow statement grants `*` or `service:*`, in identity policies (managed, inline, role-inline) and
 * in resource policies (buckets, queues, topics, repositories). Deny statements may use wildcards
 * (e.g. "deny s3:* without TLS" is good practice). KMS key policies are out of scope: their standard
 * form grants `kms:*` to the account root on purpose.
 */
import type { ReportViolation, ResourceValidationPolicy } from "@pulumi/policy";
import { asList, isRecord, jsonObject, nonEmptyString, type Props } from "../props";
import { T } from "../types";

/** Type -> how the document's owner is named in messages. Every one keeps its document in `policy`. */
const DOCUMENT_OWNERS: Record<string, string> = {
  "aws:iam/policy:Policy": "IAM policy",
  "aws:iam/rolePolicy:RolePolicy": "IAM role policy",
  "aws:iam/userPolicy:UserPolicy": "IAM user policy",
  "aws:iam/groupPolicy:GroupPolicy": "IAM group policy",
  "aws:s3/bucketPolicy:BucketPolicy": "S3 bucket policy",
  "aws:sqs/queuePolicy:QueuePolicy": "SQS queue policy",
  "aws:sns/topicPolicy:TopicPolicy": "SNS topic policy",
  "aws:ecr/repositoryPolicy:RepositoryPolicy": "ECR repository policy",
  "aws:sqs/queue:Queue": "Policy of SQS queue",
  "aws:sns/topic:Topic": "Policy of SNS topic",
};

const WILDCARD_ACTION = /^(\*|[A-Za-z0-9-]+:\*)$/;

function statementLabel(statement: Props, index: number): string {
  const sid = nonEmptyString(statement.Sid);
  return sid ? `statement "${sid}"` : `statement #${index + 1}`;
}

/** Reports each Allow statement of `document` that grants a wildcard action or uses NotAction. */
function checkDocument(label: string, document: unknown, reportViolation: ReportViolation): void {
  if (document === undefined || document === null || document === "") return;
  let parsed: Props | undefined;
  try {
    parsed = jsonObject(document);
  } catch {
    reportViolation(`${label} is not valid JSON.`);
    return;
  }
  if (!parsed) {
    reportViolation(`${label} is not a JSON policy document.`);
    return;
  }
  asList(parsed.Statement).forEach((statement, index) => {
    if (!isRecord(statement) || statement.Effect === "Deny") return;
    const where = statementLabel(statement, index);
    const wildcards = asList(statement.Action).filter(
      (a) => typeof a === "string" && WILDCARD_ACTION.test(a),
    );
    if (wildcards.length > 0) {
      const list = wildcards.map((a) => `"${String(a)}"`).join(", ");
      reportViolation(`${label} allows wildcard action ${list} in ${where}; grant only the actions needed.`);
    }
    if (statement.NotAction !== undefined) {
      reportViolation(
        `${label} allows every action but its NotAction list in ${where}; list the allowed actions.`,
      );
    }
  });
}

/** No `*` or `service:*` action in any Allow statement. */
export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description: "IAM and resource policy statements must not allow '*' or 'service:*' actions.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props: Props = args.props;
    const owner = DOCUMENT_OWNERS[args.type];
    if (owner) {
      checkDocument(`${owner} "${args.name}"`, props.policy, reportViolation);
      return;
    }
    if (args.type !== T.iamRole) return;
    for (const inline of asList(props.inlinePolicies)) {
      if (!isRecord(inline)) continue;
      const name = nonEmptyString(inline.name) ?? "(unnamed)";
      checkDocument(`Inline policy "${name}" of IAM role "${args.name}"`, inline.policy, reportViolation);
    }
  },
};
