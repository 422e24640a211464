/**
 * No Allow statement grants `*` or `service:*`, in identity policies (managed, inline, role-inline) and
 * in resource policies (buckets, queues, topics, repositories). Deny statements may use wildcards
 * (e.g. "deny s3:* without TLS" is good practice). KMS key policies are out of scope: their standard
 * form grants `kms:*` to the account root on purpose. Attaching an AWS managed policy that grants
 * wildcards (AdministratorAccess, PowerUserAccess, `*FullAccess`) is the same thing and is reported too.
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

/** Types that attach managed policies, and the input(s) holding the ARNs. */
const ATTACHMENTS: Record<string, { label: string; inputs: string[] }> = {
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    label: "IAM role policy attachment",
    inputs: ["policyArn"],
  },
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": {
    label: "IAM user policy attachment",
    inputs: ["policyArn"],
  },
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": {
    label: "IAM group policy attachment",
    inputs: ["policyArn"],
  },
  "aws:iam/policyAttachment:PolicyAttachment": { label: "IAM policy attachment", inputs: ["policyArn"] },
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": {
    label: "IAM role policy attachments",
    inputs: ["policyArns"],
  },
  [T.iamRole]: { label: "IAM role", inputs: ["managedPolicyArns"] },
};

/**
 * AWS managed policies that grant `*` or `service:*` by design: AdministratorAccess, PowerUserAccess
 * and every `...FullAccess` policy (AWS names its `service:*` policies that way).
 */
const WILDCARD_MANAGED_POLICY =
  /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9_-]*FullAccess)$/;

function checkAttachments(label: string, arns: unknown[], reportViolation: ReportViolation): void {
  for (const arn of arns) {
    const match = typeof arn === "string" ? WILDCARD_MANAGED_POLICY.exec(arn) : null;
    if (match) {
      reportViolation(
        `${label} attaches the AWS managed policy ${match[1]}, which allows wildcard actions; attach a policy with only the actions needed.`,
      );
    }
  }
}

/** No `*` or `service:*` action in any Allow statement. */
export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description: "IAM and resource policy statements must not allow '*' or 'service:*' actions.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props: Props = args.props;
    const attachment = ATTACHMENTS[args.type];
    if (attachment) {
      const arns = attachment.inputs.flatMap((input) => asList(props[input]));
      checkAttachments(`${attachment.label} "${args.name}"`, arns, reportViolation);
    }
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
