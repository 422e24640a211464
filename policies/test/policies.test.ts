/**
 * Every policy, through the offline evaluator: a compliant resource gives no violation of that policy,
 * a non-compliant one gives exactly one violation with the exact message, mandatory in prod and, for
 * the environment-dependent policies, advisory in dev.
 */
import { evaluateLayerPlan } from "../src/evaluate";
import { tradaiPolicies } from "../src/policies";
import { planOf, type ResourceSpec, urnOf } from "./plan-builder";

const T = {
  table: "aws:dynamodb/table:Table",
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  alb: "aws:alb/loadBalancer:LoadBalancer",
  userPool: "aws:cognito/userPool:UserPool",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  ecr: "aws:ecr/repository:Repository",
  lambda: "aws:lambda/function:Function",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  queue: "aws:sqs/queue:Queue",
  stage: "aws:apigateway/stage:Stage",
  waf: "aws:wafv2/webAclAssociation:WebAclAssociation",
  listener: "aws:lb/listener:Listener",
  listenerRule: "aws:lb/listenerRule:ListenerRule",
};

const DIGEST = "a".repeat(64);
const ALL_BLOCKED = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

interface Case {
  policy: string;
  title: string;
  compliant: ResourceSpec[];
  violating: ResourceSpec[];
  /** The resource the violation is reported on. */
  at: { type: string; name: string };
  message: string;
  /** Advisory outside prod. */
  byEnvironment: boolean;
}

const deletionCases: Case[] = [
  {
    policy: "dynamodb-table-deletion-protection",
    title: "DynamoDB table",
    compliant: [{ type: T.table, name: "jobs", inputs: { deletionProtectionEnabled: true } }],
    violating: [{ type: T.table, name: "jobs", inputs: { deletionProtectionEnabled: false } }],
    at: { type: T.table, name: "jobs" },
    message: 'DynamoDB table "jobs" must set deletionProtectionEnabled: true.',
    byEnvironment: true,
  },
  {
    policy: "rds-deletion-protection",
    title: "RDS instance",
    compliant: [{ type: T.rdsInstance, name: "mlflow-db", inputs: { deletionProtection: true } }],
    violating: [{ type: T.rdsInstance, name: "mlflow-db", inputs: {} }],
    at: { type: T.rdsInstance, name: "mlflow-db" },
    message: 'RDS instance "mlflow-db" must set deletionProtection: true.',
    byEnvironment: true,
  },
  {
    policy: "rds-deletion-protection",
    title: "RDS cluster",
    compliant: [{ type: T.rdsCluster, name: "aurora", inputs: { deletionProtection: true } }],
    violating: [{ type: T.rdsCluster, name: "aurora", inputs: { deletionProtection: false } }],
    at: { type: T.rdsCluster, name: "aurora" },
    message: 'RDS cluster "aurora" must set deletionProtection: true.',
    byEnvironment: true,
  },
  {
    policy: "load-balancer-deletion-protection",
    title: "aws.lb load balancer",
    compliant: [{ type: T.lb, name: "alb", inputs: { enableDeletionProtection: true } }],
    violating: [{ type: T.lb, name: "alb", inputs: { enableDeletionProtection: false } }],
    at: { type: T.lb, name: "alb" },
    message: 'Load balancer "alb" must set enableDeletionProtection: true.',
    byEnvironment: true,
  },
  {
    policy: "load-balancer-deletion-protection",
    title: "aws.alb load balancer",
    compliant: [{ type: T.alb, name: "api", inputs: { enableDeletionProtection: true } }],
    violating: [{ type: T.alb, name: "api", inputs: {} }],
    at: { type: T.alb, name: "api" },
    message: 'Load balancer "api" must set enableDeletionProtection: true.',
    byEnvironment: true,
  },
  {
    policy: "cognito-user-pool-deletion-protection",
    title: "Cognito user pool",
    compliant: [{ type: T.userPool, name: "users", inputs: { deletionProtection: "ACTIVE" } }],
    violating: [{ type: T.userPool, name: "users", inputs: { deletionProtection: "INACTIVE" } }],
    at: { type: T.userPool, name: "users" },
    message: 'Cognito user pool "users" must set deletionProtection: "ACTIVE".',
    byEnvironment: true,
  },
];

const dataKinds: Array<[string, string]> = [
  [T.table, "DynamoDB table"],
  [T.bucket, "S3 bucket"],
  [T.bucketV2, "S3 bucket"],
  [T.rdsInstance, "RDS instance"],
  [T.rdsCluster, "RDS cluster"],
  [T.ecr, "ECR repository"],
  [T.userPool, "Cognito user pool"],
];
const dataCases: Case[] = dataKinds.map(([type, kind]) => ({
  policy: "data-resources-protected",
  title: `${kind} (${type})`,
  compliant: [{ type, name: "data", protect: true }],
  violating: [{ type, name: "data", protect: false }],
  at: { type, name: "data" },
  message: `${kind} "data" holds data and must be created with the resource option protect: true.`,
  byEnvironment: true,
}));

const s3Cases: Case[] = [
  {
    policy: "s3-public-access-blocked",
    title: "bucket without a public access block",
    compliant: [
      { type: T.bucket, name: "market-data" },
      {
        type: T.pab,
        name: "market-data-pab",
        inputs: ALL_BLOCKED,
        deps: { bucket: [{ type: T.bucket, name: "market-data" }] },
      },
    ],
    violating: [{ type: T.bucket, name: "market-data" }],
    at: { type: T.bucket, name: "market-data" },
    message:
      'S3 bucket "market-data" has no BucketPublicAccessBlock; add one with all four flags set to true.',
    byEnvironment: false,
  },
  {
    policy: "s3-public-access-blocked",
    title: "public access block with a flag off (bucket given by literal name)",
    compliant: [
      { type: T.bucketV2, name: "audit", inputs: { bucket: "tradai-dev-audit" } },
      { type: T.pab, name: "audit-pab", inputs: { ...ALL_BLOCKED, bucket: "tradai-dev-audit" } },
    ],
    violating: [
      { type: T.bucketV2, name: "audit", inputs: { bucket: "tradai-dev-audit" } },
      {
        type: T.pab,
        name: "audit-pab",
        inputs: { ...ALL_BLOCKED, restrictPublicBuckets: false, bucket: "tradai-dev-audit" },
      },
    ],
    at: { type: T.bucketV2, name: "audit" },
    message:
      'BucketPublicAccessBlock "audit-pab" of S3 bucket "audit" must set restrictPublicBuckets to true.',
    byEnvironment: false,
  },
  {
    policy: "s3-encryption-configured",
    title: "bucket without encryption (compliant: separate configuration resource)",
    compliant: [
      { type: T.bucket, name: "artifacts" },
      {
        type: T.sse,
        name: "artifacts-sse",
        inputs: {
          bucket: "<computed>",
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
        },
        deps: { bucket: [{ type: T.bucket, name: "artifacts" }] },
      },
    ],
    violating: [{ type: T.bucket, name: "artifacts" }],
    at: { type: T.bucket, name: "artifacts" },
    message:
      'S3 bucket "artifacts" has no default server-side encryption; add a BucketServerSideEncryptionConfiguration ' +
      "whose rule sets applyServerSideEncryptionByDefault.sseAlgorithm.",
    byEnvironment: false,
  },
  {
    policy: "s3-encryption-configured",
    title: "inline encryption configuration without an algorithm",
    compliant: [
      {
        type: T.bucket,
        name: "artifacts",
        inputs: {
          serverSideEncryptionConfiguration: {
            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
          },
        },
      },
    ],
    violating: [
      { type: T.bucket, name: "artifacts", inputs: { serverSideEncryptionConfiguration: { rule: {} } } },
    ],
    at: { type: T.bucket, name: "artifacts" },
    message:
      'S3 bucket "artifacts" has no default server-side encryption; add a BucketServerSideEncryptionConfiguration ' +
      "whose rule sets applyServerSideEncryptionByDefault.sseAlgorithm.",
    byEnvironment: false,
  },
];

const rdsCases: Case[] = [
  {
    policy: "rds-not-publicly-accessible",
    title: "public RDS instance",
    compliant: [{ type: T.rdsInstance, name: "db", inputs: { publiclyAccessible: false } }],
    violating: [{ type: T.rdsInstance, name: "db", inputs: { publiclyAccessible: true } }],
    at: { type: T.rdsInstance, name: "db" },
    message: 'RDS instance "db" must not be publicly accessible (publiclyAccessible: true).',
    byEnvironment: false,
  },
  {
    policy: "rds-storage-encrypted",
    title: "unencrypted RDS instance",
    compliant: [{ type: T.rdsInstance, name: "db", inputs: { storageEncrypted: true } }],
    violating: [{ type: T.rdsInstance, name: "db", inputs: { storageEncrypted: false } }],
    at: { type: T.rdsInstance, name: "db" },
    message: 'RDS instance "db" must set storageEncrypted: true.',
    byEnvironment: false,
  },
  {
    policy: "rds-storage-encrypted",
    title: "unencrypted RDS cluster",
    compliant: [{ type: T.rdsCluster, name: "aurora", inputs: { storageEncrypted: true } }],
    violating: [{ type: T.rdsCluster, name: "aurora", inputs: {} }],
    at: { type: T.rdsCluster, name: "aurora" },
    message: 'RDS cluster "aurora" must set storageEncrypted: true.',
    byEnvironment: false,
  },
  {
    policy: "rds-backup-retention",
    title: "RDS instance with backups off",
    compliant: [{ type: T.rdsInstance, name: "db", inputs: { backupRetentionPeriod: 7 } }],
    violating: [{ type: T.rdsInstance, name: "db", inputs: { backupRetentionPeriod: 0 } }],
    at: { type: T.rdsInstance, name: "db" },
    message: 'RDS instance "db" must set backupRetentionPeriod to at least 1 day (got 0).',
    byEnvironment: false,
  },
  {
    policy: "rds-backup-retention",
    title: "RDS instance with no retention set",
    compliant: [{ type: T.rdsInstance, name: "db", inputs: { backupRetentionPeriod: 1 } }],
    violating: [{ type: T.rdsInstance, name: "db", inputs: {} }],
    at: { type: T.rdsInstance, name: "db" },
    message: 'RDS instance "db" must set backupRetentionPeriod to at least 1 day (it is not set).',
    byEnvironment: false,
  },
];

const computeCases: Case[] = [
  {
    policy: "ecr-scan-on-push",
    title: "repository without scan on push",
    compliant: [
      { type: T.ecr, name: "lambda-base", inputs: { imageScanningConfiguration: { scanOnPush: true } } },
    ],
    violating: [
      { type: T.ecr, name: "lambda-base", inputs: { imageScanningConfiguration: { scanOnPush: false } } },
    ],
    at: { type: T.ecr, name: "lambda-base" },
    message: 'ECR repository "lambda-base" must set imageScanningConfiguration.scanOnPush: true.',
    byEnvironment: false,
  },
  {
    policy: "lambda-image-pinned-by-digest",
    title: "image function on a mutable tag",
    compliant: [
      {
        type: T.lambda,
        name: "health-check",
        inputs: {
          packageType: "Image",
          imageUri: `1.dkr.ecr.eu-central-1.amazonaws.com/hc@sha256:${DIGEST}`,
        },
      },
    ],
    violating: [
      {
        type: T.lambda,
        name: "health-check",
        inputs: { packageType: "Image", imageUri: "1.dkr.ecr.eu-central-1.amazonaws.com/hc:latest" },
      },
    ],
    at: { type: T.lambda, name: "health-check" },
    message:
      'Lambda function "health-check" must pin its image by digest (imageUri is "1.dkr.ecr.eu-central-1.amazonaws.com/hc:latest").',
    byEnvironment: false,
  },
  {
    policy: "iam-no-wildcard-actions",
    title: "role policy allowing s3:* (a Deny with s3:* is fine)",
    compliant: [
      {
        type: T.rolePolicy,
        name: "jobs-access",
        inputs: {
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "s3:Get*"], Resource: "*" },
              {
                Effect: "Deny",
                Action: "s3:*",
                Resource: "*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        },
      },
    ],
    violating: [
      {
        type: T.rolePolicy,
        name: "jobs-access",
        inputs: {
          policy: JSON.stringify({
            Statement: [{ Effect: "Allow", Action: ["s3:*", "sqs:SendMessage"], Resource: "*" }],
          }),
        },
      },
    ],
    at: { type: T.rolePolicy, name: "jobs-access" },
    message:
      'IAM role policy "jobs-access" allows wildcard action "s3:*" in statement #1; grant only the actions needed.',
    byEnvironment: false,
  },
  {
    policy: "load-balancer-no-plain-http",
    title: "internet-facing ALB forwarding plain HTTP (compliant: HTTPS, port 80 redirects; internal ALB)",
    compliant: [
      { type: T.lb, name: "alb", inputs: { internal: false } },
      {
        type: T.listener,
        name: "alb-https",
        inputs: {
          port: 443,
          protocol: "HTTPS",
          defaultActions: [{ type: "forward", targetGroupArn: "<computed>" }],
        },
        deps: { loadBalancerArn: [{ type: T.lb, name: "alb" }] },
      },
      {
        type: T.listener,
        name: "alb-http-redirect",
        inputs: {
          port: 80,
          protocol: "HTTP",
          defaultActions: [
            { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
          ],
        },
        deps: { loadBalancerArn: [{ type: T.lb, name: "alb" }] },
      },
      { type: T.lb, name: "inside", inputs: { internal: true } },
      {
        type: T.listener,
        name: "inside-http",
        inputs: {
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "forward", targetGroupArn: "<computed>" }],
        },
        deps: { loadBalancerArn: [{ type: T.lb, name: "inside" }] },
      },
    ],
    violating: [
      { type: T.lb, name: "alb", inputs: { internal: false } },
      {
        type: T.listener,
        name: "alb-http",
        inputs: {
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "forward", targetGroupArn: "<computed>" }],
        },
        deps: { loadBalancerArn: [{ type: T.lb, name: "alb" }] },
      },
    ],
    at: { type: T.listener, name: "alb-http" },
    message:
      'Listener "alb-http" of internet-facing load balancer "alb" forwards plain HTTP, so bearer tokens and ' +
      "secrets cross the internet in clear; serve HTTPS with a certificate and make port 80 redirect to it.",
    byEnvironment: true,
  },
  {
    policy: "load-balancer-no-plain-http",
    title: "plain-HTTP listener whose default redirects but a rule forwards",
    compliant: [],
    violating: [
      { type: T.lb, name: "alb", inputs: {} },
      {
        type: T.listener,
        name: "alb-http",
        inputs: { port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] },
        deps: { loadBalancerArn: [{ type: T.lb, name: "alb" }] },
      },
      {
        type: T.listenerRule,
        name: "alb-mlflow",
        inputs: { priority: 10, actions: [{ type: "forward", targetGroupArn: "<computed>" }] },
        deps: { listenerArn: [{ type: T.listener, name: "alb-http" }] },
      },
    ],
    at: { type: T.listener, name: "alb-http" },
    message:
      'Listener "alb-http" of internet-facing load balancer "alb" forwards plain HTTP, so bearer tokens and ' +
      "secrets cross the internet in clear; serve HTTPS with a certificate and make port 80 redirect to it.",
    byEnvironment: true,
  },
  {
    policy: "security-group-world-ingress",
    title: "security group open to the world on ssh",
    compliant: [
      {
        type: T.sg,
        name: "alb",
        inputs: {
          ingress: [
            {
              protocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrBlocks: ["0.0.0.0/0"],
              ipv6CidrBlocks: ["::/0"],
            },
            { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] },
          ],
        },
      },
    ],
    violating: [
      {
        type: T.sg,
        name: "alb",
        inputs: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
      },
    ],
    at: { type: T.sg, name: "alb" },
    message:
      'Security group "alb" ingress rule #1 opens tcp port 22 to 0.0.0.0/0; only tcp 80 and 443 may be open to the world.',
    byEnvironment: false,
  },
  {
    policy: "sqs-encryption",
    title: "unencrypted queue",
    compliant: [{ type: T.queue, name: "backtest-jobs", inputs: { sqsManagedSseEnabled: true } }],
    violating: [{ type: T.queue, name: "backtest-jobs", inputs: { sqsManagedSseEnabled: false } }],
    at: { type: T.queue, name: "backtest-jobs" },
    message: 'SQS queue "backtest-jobs" must be encrypted (sqsManagedSseEnabled: true or a kmsMasterKeyId).',
    byEnvironment: false,
  },
  {
    policy: "sqs-dead-letter-queue",
    title: "work queue without a DLQ (compliant: the DLQ itself needs none)",
    compliant: [
      { type: T.queue, name: "backtest-jobs-dlq" },
      {
        type: T.queue,
        name: "backtest-jobs",
        inputs: { redrivePolicy: "<computed>" },
        deps: { redrivePolicy: [{ type: T.queue, name: "backtest-jobs-dlq" }] },
      },
    ],
    violating: [{ type: T.queue, name: "backtest-jobs" }],
    at: { type: T.queue, name: "backtest-jobs" },
    message: 'SQS queue "backtest-jobs" has no redrivePolicy; send failed messages to a dead-letter queue.',
    byEnvironment: false,
  },
  {
    policy: "api-stage-waf",
    title: "REST API stage without a web ACL",
    compliant: [
      { type: T.stage, name: "api" },
      {
        type: T.waf,
        name: "api-waf",
        inputs: { resourceArn: "<computed>" },
        deps: { resourceArn: [{ type: T.stage, name: "api" }] },
      },
    ],
    violating: [{ type: T.stage, name: "api" }],
    at: { type: T.stage, name: "api" },
    message: `API Gateway stage "api" has no WAFv2 web ACL; add a WebAclAssociation whose resourceArn is the stage's arn.`,
    byEnvironment: false,
  },
  {
    policy: "required-tags",
    title: "resource on the default provider without tags",
    compliant: [
      {
        type: T.queue,
        name: "jobs",
        defaultProvider: true,
        inputs: {
          tags: {
            Project: "tradai",
            Environment: "dev",
            Layer: "foundation",
            ManagedBy: "pulumi",
            Repository: "r",
          },
        },
      },
    ],
    violating: [
      { type: T.queue, name: "jobs", defaultProvider: true, inputs: { tags: { Project: "tradai" } } },
    ],
    at: { type: T.queue, name: "jobs" },
    message:
      'AWS resource "jobs" is missing the tags Environment, Layer, ManagedBy, Repository; set them as defaultTags ' +
      "on an explicit aws provider (it uses the default provider).",
    byEnvironment: false,
  },
];

const cases = [...deletionCases, ...dataCases, ...s3Cases, ...rdsCases, ...computeCases];

function violationsOf(stack: string, specs: ResourceSpec[], policy: string) {
  return evaluateLayerPlan(planOf(stack, specs)).filter((v) => v.policy === policy);
}

describe.each(cases)("$policy: $title", (c) => {
  it.each(["prod", "staging", "dev"])("a compliant resource passes in %s", (stack) => {
    expect(violationsOf(stack, c.compliant, c.policy)).toEqual([]);
  });

  it("a non-compliant resource is a mandatory violation in prod", () => {
    expect(violationsOf("prod", c.violating, c.policy)).toEqual([
      {
        policy: c.policy,
        enforcement: "mandatory",
        urn: urnOf("prod", c.at.type, c.at.name),
        message: c.message,
      },
    ]);
  });

  it(`a non-compliant resource in dev is ${c.byEnvironment ? "advisory" : "still mandatory"}`, () => {
    expect(violationsOf("dev", c.violating, c.policy)).toEqual([
      {
        policy: c.policy,
        enforcement: c.byEnvironment ? "advisory" : "mandatory",
        urn: urnOf("dev", c.at.type, c.at.name),
        message: c.message,
      },
    ]);
  });
});

test("every policy of the pack has a case above", () => {
  const covered = new Set(cases.map((c) => c.policy));
  expect(tradaiPolicies.map((p) => p.name).filter((name) => !covered.has(name))).toEqual([]);
});
