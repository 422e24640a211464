/** SQS guardrails: encrypted at rest, and every work queue hands poison messages to a dead-letter queue. */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isSet, nonEmptyString, type Props } from "../props";
import { ofTypes, refersTo } from "../stack-resources";
import { T } from "../types";

/** SSE-SQS or a KMS key on every queue. */
export const sqsEncrypted: ResourceValidationPolicy = {
  name: "sqs-encryption",
  description: "SQS queues must be encrypted (SSE-SQS or a KMS key).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.sqsQueue) return;
    const props: Props = args.props;
    if (props.sqsManagedSseEnabled === true || nonEmptyString(props.kmsMasterKeyId)) return;
    reportViolation(
      `SQS queue "${args.name}" must be encrypted (sqsManagedSseEnabled: true or a kmsMasterKeyId).`,
    );
  },
};

/**
 * A queue is a dead-letter queue when another queue's redrive policy (inline or an
 * `aws.sqs.RedrivePolicy`) is built from it, or when it declares a `redriveAllowPolicy`.
 */
function deadLetterQueues(queues: PolicyResource[], redrives: PolicyResource[]): Set<string> {
  const dlqs = new Set<string>();
  for (const queue of queues) {
    const referenced = [...queues, ...redrives].some((other) => refersTo(other, "redrivePolicy", queue));
    if (referenced || isSet(queue.props, "redriveAllowPolicy")) dlqs.add(queue.urn);
  }
  return dlqs;
}

/** Every queue that is not itself a DLQ has a redrive policy. */
export const sqsDeadLetterQueue: StackValidationPolicy = {
  name: "sqs-dead-letter-queue",
  description:
    "SQS queues that are not dead-letter queues must have a redrive policy to a dead-letter queue.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const queues = ofTypes(args.resources, [T.sqsQueue]);
    const redrives = ofTypes(args.resources, [T.sqsRedrivePolicy]);
    const dlqs = deadLetterQueues(queues, redrives);
    for (const queue of queues) {
      if (dlqs.has(queue.urn) || isSet(queue.props, "redrivePolicy")) continue;
      if (redrives.some((r) => refersTo(r, "queueUrl", queue))) continue;
      reportViolation(
        `SQS queue "${queue.name}" has no redrivePolicy; send failed messages to a dead-letter queue.`,
        queue.urn,
      );
    }
  },
};
