/**
 * What each Lambda needs from the platform: its trigger, environment (docs/runtime-contracts.md), network
 * and the least privilege its contract requires. Every Lambda that discovery finds must have an entry;
 * the compute program refuses to run otherwise.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ComputeConfig, FunctionTrigger, PolicyStatement } from "@tradai/components";
import {
  type Environment,
  type FoundationOutputs,
  LAMBDAS,
  type LambdaEnvInput,
  type LambdaName,
  type PersistentOutputs,
  SERVICE_IMAGES,
} from "@tradai/contracts";

/** The ARN of `name`'s image repository (persistent creates one per entry of LAMBDAS). */
function lambdaRepositoryArn(repositories: PersistentOutputs["ecr"]["lambdas"], name: LambdaName): string {
  const repository = repositories[name];
  if (!repository)
    throw new Error(`persistent has no image repository for the Lambda ${name}: deploy persistent first`);
  return repository.arn;
}

export interface FunctionRefs {
  env: Environment;
  region: string;
  accountId: pulumi.Output<string>;
  config: ComputeConfig;
  persistent: pulumi.Output<PersistentOutputs>;
  foundation: pulumi.Output<FoundationOutputs>;
  clusterName: pulumi.Output<string>;
  clusterArn: pulumi.Output<string>;
  /** The backtest task `sqs-consumer` starts. */
  backtestTask: {
    familyArn: pulumi.Output<string>;
    roleArns: pulumi.Output<string>[];
    containerName: string;
  };
  stateMachineArn: pulumi.Output<string>;
  mlflowUrl: pulumi.Output<string>;
  dataCollectionUrl: pulumi.Output<string>;
  /** JSON array of `{ service, healthUrl? }` for health-check. */
  monitoredServices: pulumi.Output<string>;
  /** `s3://bucket` of the Pulumi state backend. */
  stateBackendUrl: pulumi.Output<string>;
  /** Names of the four layer stacks for the drift detector: JSON array of `{ layer, stack }`. */
  pulumiStacks: string;
  /** Trading services expected to write heartbeats (those with tasks desired). */
  expectedHeartbeats: string[];
}

/**
 * The environment wired to a Lambda: a value for every variable its schema (@tradai/contracts'
 * LAMBDA_ENV) requires, optional ones where wanted, and nothing the schema does not read, except
 * `ENVIRONMENT`, which every function gets. A variable renamed or dropped on either side fails to compile.
 */
export type WiredEnvironment<N extends LambdaName> = { [K in keyof LambdaEnvInput<N>]: pulumi.Input<string> };
type Unread<N extends LambdaName, E> = Exclude<keyof E, keyof LambdaEnvInput<N> | "ENVIRONMENT">;

/** Checks `environment` against Lambda `name`'s schema at compile time (see {@link WiredEnvironment}). */
export function lambdaEnvironment<
  N extends LambdaName,
  E extends WiredEnvironment<N> & { ENVIRONMENT?: pulumi.Input<string> },
>(_name: N, environment: E & Record<Unread<N, E>, never>): Record<string, pulumi.Input<string>> {
  return environment;
}

export interface FunctionSpec {
  description: string;
  trigger: FunctionTrigger;
  /** Runs in the private subnets (to reach services through Cloud Map). */
  vpc: boolean;
  timeoutSeconds: number;
  memoryMb?: number;
  /** /tmp size in MB. @default 512 */
  ephemeralStorageMb?: number;
  environment: Record<string, pulumi.Input<string>>;
  permissions: PolicyStatement[];
  managedPolicyArns?: string[];
}

const METRICS: PolicyStatement = {
  Sid: "PutTradaiMetrics",
  Effect: "Allow",
  Action: "cloudwatch:PutMetricData",
  Resource: "*",
  Condition: { StringEquals: { "cloudwatch:namespace": "TradAI" } },
};

function publish(sid: string, topicArns: pulumi.Input<string>[]): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "sns:Publish", Resource: topicArns };
}

function table(
  sid: string,
  actions: string[],
  arn: pulumi.Output<string>,
  withIndexes = false,
): PolicyStatement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions.map((a) => `dynamodb:${a}`),
    Resource: withIndexes ? [arn, pulumi.interpolate`${arn}/index/*`] : arn,
  };
}

const IDEMPOTENCY_ACTIONS = ["GetItem", "PutItem", "UpdateItem", "DeleteItem"];
/** The job store (lambda-common) reads, then writes whole items under a version condition. */
const JOB_STORE_ACTIONS = ["GetItem", "PutItem"];

/** The catalog for this environment. */
export function functionCatalog(r: FunctionRefs): Record<LambdaName, FunctionSpec> {
  const p = r.persistent;
  const f = r.foundation;
  const schedule = (expression: string): FunctionTrigger => ({
    kind: "schedule",
    expression,
    enabled: r.config.schedulesEnabled,
  });
  const base = { ENVIRONMENT: r.env };
  const jobsTable = { JOBS_TABLE: p.tables.jobs.name };
  const alerts = { ALERTS_TOPIC_ARN: f.topics.alerts.arn };
  const taskNetwork = {
    TASK_SUBNETS: f.network.privateSubnetIds.apply((ids) => ids.join(",")),
    TASK_SECURITY_GROUPS: f.securityGroups.services,
  };
  // promote-model and model-rollback both move MLflow's champion alias and record it, retry-safe.
  const championMover = {
    trigger: { kind: "invoke" } as const,
    vpc: true,
    timeoutSeconds: 60,
    environment: lambdaEnvironment("promote-model", {
      ...base,
      MLFLOW_TRACKING_URI: r.mlflowUrl,
      MODEL_DEPLOYMENTS_TABLE: p.tables.modelDeployments.name,
      IDEMPOTENCY_TABLE: p.tables.idempotency.name,
    }),
    permissions: [
      table("Deployments", ["Query", "PutItem"], p.tables.modelDeployments.arn),
      table("Idempotency", IDEMPOTENCY_ACTIONS, p.tables.idempotency.arn),
    ],
  };
  const clusterTasks = pulumi.interpolate`arn:aws:ecs:${r.region}:${r.accountId}:task/${r.clusterName}/*`;

  return {
    "sqs-consumer": {
      description: "Starts a backtest ECS task for each job message (partial batch failures)",
      trigger: { kind: "sqs", queueArn: f.queues.backtestJobs.arn, batchSize: 10 },
      vpc: false,
      timeoutSeconds: 60,
      environment: lambdaEnvironment("sqs-consumer", {
        ...base,
        ...jobsTable,
        ECS_CLUSTER: r.clusterName,
        BACKTEST_TASK_DEFINITION: r.backtestTask.familyArn,
        BACKTEST_CONTAINER_NAME: r.backtestTask.containerName,
        ...taskNetwork,
      }),
      permissions: [
        table("Jobs", JOB_STORE_ACTIONS, p.tables.jobs.arn),
        {
          // A redelivered message must not start a second task: the consumer looks for one first.
          Sid: "FindJobTask",
          Effect: "Allow",
          Action: "ecs:ListTasks",
          Resource: "*",
          Condition: { ArnEquals: { "ecs:cluster": r.clusterArn } },
        },
        {
          Sid: "RunBacktest",
          Effect: "Allow",
          Action: "ecs:RunTask",
          Resource: pulumi.interpolate`${r.backtestTask.familyArn}:*`,
          Condition: { ArnEquals: { "ecs:cluster": r.clusterArn } },
        },
        // RunTask tags the task with the job it runs.
        { Sid: "TagBacktestTask", Effect: "Allow", Action: "ecs:TagResource", Resource: clusterTasks },
        {
          Sid: "PassBacktestRoles",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: r.backtestTask.roleArns,
        },
      ],
    },
    "backtest-consumer": {
      description: "Records backtest results on the job and notifies (partial batch failures)",
      trigger: { kind: "sqs", queueArn: f.queues.backtestResults.arn, batchSize: 10 },
      vpc: false,
      timeoutSeconds: 30,
      // Redelivery is harmless: the terminal status transition is applied once.
      environment: lambdaEnvironment("backtest-consumer", {
        ...base,
        ...jobsTable,
        NOTIFICATIONS_TOPIC_ARN: f.topics.notifications.arn,
      }),
      permissions: [
        table("Jobs", JOB_STORE_ACTIONS, p.tables.jobs.arn),
        publish("Notify", [f.topics.notifications.arn]),
      ],
    },
    "update-status": {
      description: "Transitions a job's status (Step Functions, functions, ECS task state changes)",
      trigger: {
        kind: "event",
        description: "Backtest task stopped",
        pattern: r.clusterArn.apply((cluster) => ({
          source: ["aws.ecs"],
          "detail-type": ["ECS Task State Change"],
          detail: { clusterArn: [cluster], lastStatus: ["STOPPED"], startedBy: [{ exists: true }] },
        })),
      },
      vpc: false,
      timeoutSeconds: 30,
      environment: lambdaEnvironment("update-status", {
        ...base,
        ...jobsTable,
        BACKTEST_CONTAINER_NAME: r.backtestTask.containerName,
      }),
      permissions: [table("Jobs", JOB_STORE_ACTIONS, p.tables.jobs.arn)],
    },
    "notify-completion": {
      description: "Publishes workflow completion or failure",
      trigger: { kind: "invoke" },
      vpc: false,
      timeoutSeconds: 30,
      environment: lambdaEnvironment("notify-completion", {
        ...base,
        NOTIFICATIONS_TOPIC_ARN: f.topics.notifications.arn,
        ...alerts,
      }),
      permissions: [publish("Notify", [f.topics.notifications.arn, f.topics.alerts.arn]), METRICS],
    },
    "retraining-scheduler": {
      description: "Starts the retraining workflow for each model that is due (idempotent per day)",
      trigger: schedule("cron(0 2 * * ? *)"),
      vpc: false,
      timeoutSeconds: 60,
      environment: lambdaEnvironment("retraining-scheduler", {
        ...base,
        ...jobsTable,
        MODEL_DEPLOYMENTS_TABLE: p.tables.modelDeployments.name,
        RETRAINING_STATE_MACHINE_ARN: r.stateMachineArn,
        RETRAINING_MODELS: JSON.stringify(r.config.retrainingModels),
      }),
      permissions: [
        table("Jobs", [...JOB_STORE_ACTIONS, "Query"], p.tables.jobs.arn, true),
        table("Deployments", ["Query"], p.tables.modelDeployments.arn),
        {
          Sid: "StartRetraining",
          Effect: "Allow",
          Action: "states:StartExecution",
          Resource: r.stateMachineArn,
        },
      ],
    },
    "validate-strategy": {
      description: "Validates a strategy definition and returns every error",
      trigger: { kind: "invoke" },
      vpc: false,
      timeoutSeconds: 10,
      environment: lambdaEnvironment("validate-strategy", { ...base }),
      permissions: [],
    },
    "cleanup-resources": {
      description: "Stops overrunning backtest tasks, fails stuck jobs, deletes expired artifacts",
      trigger: schedule("rate(1 hour)"),
      vpc: false,
      timeoutSeconds: 300,
      environment: lambdaEnvironment("cleanup-resources", {
        ...base,
        ...jobsTable,
        ECS_CLUSTER: r.clusterName,
        ARTIFACTS_BUCKET: p.buckets.artifacts.name,
        BACKTEST_MAX_RUNTIME_MINUTES: String(r.config.backtestMaxRuntimeMinutes),
        JOB_STUCK_MINUTES: String(r.config.jobStuckMinutes),
        ARTIFACT_RETENTION_DAYS: String(r.config.backtestArtifactRetentionDays),
      }),
      permissions: [
        table("Jobs", [...JOB_STORE_ACTIONS, "Query"], p.tables.jobs.arn, true),
        {
          Sid: "ListTasks",
          Effect: "Allow",
          Action: "ecs:ListTasks",
          Resource: "*",
          Condition: { ArnEquals: { "ecs:cluster": r.clusterArn } },
        },
        {
          Sid: "StopTasks",
          Effect: "Allow",
          Action: ["ecs:DescribeTasks", "ecs:StopTask"],
          Resource: clusterTasks,
        },
        { Sid: "ListArtifacts", Effect: "Allow", Action: "s3:ListBucket", Resource: p.buckets.artifacts.arn },
        {
          Sid: "DeleteArtifacts",
          Effect: "Allow",
          Action: "s3:DeleteObject",
          Resource: pulumi.interpolate`${p.buckets.artifacts.arn}/backtests/*`,
        },
      ],
    },
    "trading-heartbeat-check": {
      description: "Alerts on stale trading heartbeats",
      trigger: schedule("rate(5 minutes)"),
      vpc: false,
      timeoutSeconds: 30,
      environment: lambdaEnvironment("trading-heartbeat-check", {
        ...base,
        HEARTBEATS_TABLE: p.tables.heartbeats.name,
        HEARTBEAT_STALE_SECONDS: String(r.config.heartbeatStaleSeconds),
        EXPECTED_HEARTBEAT_SERVICES: JSON.stringify(r.expectedHeartbeats),
        ...alerts,
      }),
      permissions: [
        table("Heartbeats", ["Scan"], p.tables.heartbeats.arn),
        METRICS,
        publish("Alert", [f.topics.alerts.arn]),
      ],
    },
    "health-check": {
      description: "Checks ECS running vs desired counts and service /health endpoints",
      trigger: schedule("rate(5 minutes)"),
      vpc: true,
      timeoutSeconds: 60,
      environment: lambdaEnvironment("health-check", {
        ...base,
        ECS_CLUSTER: r.clusterName,
        MONITORED_SERVICES: r.monitoredServices,
        ...alerts,
      }),
      permissions: [
        {
          Sid: "ListServices",
          Effect: "Allow",
          Action: "ecs:ListServices",
          Resource: "*",
          Condition: { ArnEquals: { "ecs:cluster": r.clusterArn } },
        },
        {
          Sid: "DescribeServices",
          Effect: "Allow",
          Action: "ecs:DescribeServices",
          Resource: pulumi.interpolate`arn:aws:ecs:${r.region}:${r.accountId}:service/${r.clusterName}/*`,
        },
        METRICS,
        publish("Alert", [f.topics.alerts.arn]),
      ],
    },
    "data-collection-proxy": {
      description: "Forwards collection requests to the data-collection service",
      trigger: schedule("cron(15 0 * * ? *)"),
      vpc: true,
      timeoutSeconds: 300,
      environment: lambdaEnvironment("data-collection-proxy", {
        ...base,
        DATA_COLLECTION_URL: r.dataCollectionUrl,
        DEFAULT_COLLECTION_REQUESTS: JSON.stringify(r.config.collectionRequests),
      }),
      permissions: [],
    },
    "drift-monitor": {
      description: "Computes feature drift (PSI) per model and flags it",
      trigger: schedule("cron(0 1 * * ? *)"),
      vpc: false,
      timeoutSeconds: 300,
      memoryMb: 1024,
      environment: lambdaEnvironment("drift-monitor", {
        ...base,
        ARTIFACTS_BUCKET: p.buckets.artifacts.name,
        DRIFT_MODELS: JSON.stringify(r.config.retrainingModels.map((m) => m.modelName)),
        DRIFT_THRESHOLD: String(r.config.driftThreshold),
        ...alerts,
      }),
      permissions: [
        { Sid: "ListDrift", Effect: "Allow", Action: "s3:ListBucket", Resource: p.buckets.artifacts.arn },
        {
          Sid: "ReadDrift",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: pulumi.interpolate`${p.buckets.artifacts.arn}/drift/*`,
        },
        METRICS,
        publish("Alert", [f.topics.alerts.arn]),
      ],
    },
    "orphan-scanner": {
      description: "Reports resources tagged Project=tradai that no stack declares",
      trigger: schedule("cron(0 6 * * ? *)"),
      vpc: false,
      timeoutSeconds: 300,
      environment: lambdaEnvironment("orphan-scanner", {
        ...base,
        PULUMI_BACKEND_URL: r.stateBackendUrl,
        ...alerts,
      }),
      permissions: [
        { Sid: "FindTagged", Effect: "Allow", Action: "tag:GetResources", Resource: "*" },
        ...stateReadStatements(r.stateBackendUrl),
        METRICS,
        publish("Alert", [f.topics.alerts.arn]),
      ],
    },
    "pulumi-drift-detector": {
      description: "Refresh-previews every stack and reports drift",
      trigger: schedule("cron(0 5 * * ? *)"),
      vpc: false,
      timeoutSeconds: 900,
      memoryMb: 2048,
      ephemeralStorageMb: 4096,
      environment: lambdaEnvironment("pulumi-drift-detector", {
        ...base,
        PULUMI_BACKEND_URL: r.stateBackendUrl,
        PULUMI_STACKS: r.pulumiStacks,
        ...alerts,
      }),
      // A refresh reads every resource the stacks own: read-only access, never write. It reads
      // configuration, never data: object, item, message and secret reads are denied outright.
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      permissions: [
        {
          Sid: "NoDataReads",
          Effect: "Deny",
          Action: [
            "s3:GetObject",
            "s3:GetObjectVersion",
            "dynamodb:GetItem",
            "dynamodb:BatchGetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:GetRecords",
            "secretsmanager:GetSecretValue",
            "sqs:ReceiveMessage",
          ],
          NotResource: stateBucketArn(r.stateBackendUrl).apply((arn) => `${arn}/*`),
        },
        ...stateReadStatements(r.stateBackendUrl),
        {
          // `pulumi refresh --preview-only` still takes the stack lock.
          Sid: "StateLocks",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:DeleteObject"],
          Resource: stateBucketArn(r.stateBackendUrl).apply((arn) => `${arn}/.pulumi/locks/*`),
        },
        {
          // docker-build images are checked by digest through ECR's API with this role, never with the
          // registry password their state holds, which expires 12 hours after each `up`
          // (lambdas/pulumi-drift-detector/src/images.ts). Only the platform's image repositories
          // (persistent's contract): the images in state are pushed to those and nowhere else.
          Sid: "VerifyImages",
          Effect: "Allow",
          Action: "ecr:DescribeImages",
          Resource: [
            r.persistent.apply(({ ecr }) => ecr.lambdaBase.arn),
            ...LAMBDAS.map((name) => r.persistent.apply(({ ecr }) => lambdaRepositoryArn(ecr.lambdas, name))),
            ...SERVICE_IMAGES.map((image) => r.persistent.apply(({ ecr }) => ecr.services[image].arn)),
          ],
        },
        {
          Sid: "StackSecrets",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: pulumi.interpolate`arn:aws:kms:${r.region}:${r.accountId}:key/*`,
          Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/tradai-pulumi-secrets" } },
        },
        METRICS,
        publish("Alert", [f.topics.alerts.arn]),
      ],
    },
    "check-retraining-needed": {
      description: "Decides whether a model needs retraining",
      trigger: { kind: "invoke" },
      vpc: true,
      timeoutSeconds: 60,
      environment: lambdaEnvironment("check-retraining-needed", {
        ...base,
        MLFLOW_TRACKING_URI: r.mlflowUrl,
        RETRAINING_MODELS: JSON.stringify(r.config.retrainingModels),
        DRIFT_THRESHOLD: String(r.config.driftThreshold),
      }),
      permissions: [
        { Sid: "ReadDriftMetric", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
      ],
    },
    "compare-models": {
      description: "Compares candidate and champion model metrics",
      trigger: { kind: "invoke" },
      vpc: true,
      timeoutSeconds: 60,
      environment: lambdaEnvironment("compare-models", {
        ...base,
        MLFLOW_TRACKING_URI: r.mlflowUrl,
        COMPARE_METRIC: r.config.compareMetric,
        COMPARE_DIRECTION: "higher",
        MIN_IMPROVEMENT: String(r.config.minImprovement),
      }),
      permissions: [],
    },
    "promote-model": {
      description: "Moves the champion alias to the candidate and records the deployment",
      ...championMover,
    },
    "model-rollback": {
      description: "Restores the previous recorded model deployment",
      ...championMover,
    },
  };
}

function stateBucketArn(backendUrl: pulumi.Output<string>): pulumi.Output<string> {
  return backendUrl.apply((url) => `arn:aws:s3:::${url.replace(/^s3:\/\//, "").split("/")[0]}`);
}

/** Read access to the Pulumi state bucket and its objects. */
function stateReadStatements(backendUrl: pulumi.Output<string>): PolicyStatement[] {
  const bucketArn = stateBucketArn(backendUrl);
  return [
    { Sid: "ListState", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    {
      Sid: "ReadState",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
  ];
}
