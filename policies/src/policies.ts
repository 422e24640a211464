/**
 * The TradAI guardrail policies, exported apart from `new PolicyPack(...)` (index.ts) so tests and
 * the offline plan evaluate the same objects the engine runs. Enforcement choices: docs/policies.md.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { version } from "../package.json";
import { dataResourcesProtected } from "./rules/data-protection";
import {
  cognitoDeletionProtection,
  dynamodbDeletionProtection,
  loadBalancerDeletionProtection,
  rdsDeletionProtection,
} from "./rules/deletion-protection";
import { ecrScanOnPush } from "./rules/ecr";
import { iamNoWildcardActions } from "./rules/iam";
import { lambdaImagePinned } from "./rules/lambda";
import { loadBalancerNoPlainHttp, securityGroupWorldIngress } from "./rules/network";
import { rdsBackupRetention, rdsNotPublic, rdsStorageEncrypted } from "./rules/rds";
import { s3EncryptionConfigured, s3PublicAccessBlocked } from "./rules/s3";
import { sqsDeadLetterQueue, sqsEncrypted } from "./rules/sqs";
import { requiredTags } from "./rules/tags";
import { apiStageWaf } from "./rules/waf";

export {
  apiStageWaf,
  cognitoDeletionProtection,
  dataResourcesProtected,
  dynamodbDeletionProtection,
  ecrScanOnPush,
  iamNoWildcardActions,
  lambdaImagePinned,
  loadBalancerDeletionProtection,
  loadBalancerNoPlainHttp,
  rdsBackupRetention,
  rdsDeletionProtection,
  rdsNotPublic,
  rdsStorageEncrypted,
  requiredTags,
  s3EncryptionConfigured,
  s3PublicAccessBlocked,
  securityGroupWorldIngress,
  sqsDeadLetterQueue,
  sqsEncrypted,
};

/** Name of the pack, as `pulumi preview` reports it. */
export const POLICY_PACK_NAME = "tradai-guardrails";

/** Version of the pack: the analyzer reads it from package.json and quotes it in its notices. */
export const POLICY_PACK_VERSION: string = version;

/** Level of any policy that does not set its own (all of ours do). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

/** Every policy of the pack, in reporting order. */
export const tradaiPolicies: Policies = [
  dynamodbDeletionProtection,
  rdsDeletionProtection,
  loadBalancerDeletionProtection,
  cognitoDeletionProtection,
  dataResourcesProtected,
  s3PublicAccessBlocked,
  s3EncryptionConfigured,
  rdsNotPublic,
  rdsStorageEncrypted,
  rdsBackupRetention,
  ecrScanOnPush,
  lambdaImagePinned,
  iamNoWildcardActions,
  securityGroupWorldIngress,
  loadBalancerNoPlainHttp,
  sqsEncrypted,
  sqsDeadLetterQueue,
  apiStageWaf,
  requiredTags,
];
