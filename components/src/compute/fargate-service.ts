import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "../core/iam";

/** A container secret: environment variable name -> Secrets Manager `valueFrom` (ARN[:json-key::]). */
export type ContainerSecrets = Record<string, pulumi.Input<string>>;

export interface TaskSpec {
  /** Task family (physical). */
  family: string;
  /** Image reference, `repo@sha256:...`. */
  image: pulumi.Input<string>;
  /** Container name. */
  containerName: string;
  /** vCPU units. @default 256 */
  cpu?: number;
  /** Memory in MiB. @default 512 */
  memory?: number;
  /** Port the container listens on (omit for workers). */
  port?: number;
  environment?: Record<string, pulumi.Input<string>>;
  secrets?: ContainerSecrets;
  /** Container health check command (CMD form). @default none */
  healthCheck?: string[];
  /** Log group name. */
  logGroupName: string;
  logRetentionDays: number;
  /** What the application may do (the task role). No statement may use a `*` action. */
  permissions: PolicyStatement[];
  /** Secrets Manager ARNs the execution role reads to inject {@link secrets}. @default [] */
  secretArns?: pulumi.Input<string>[];
}

export interface TaskDefinitionSetArgs extends TaskSpec {}

/**
 * A Fargate task definition with its log group, execution role (pull, logs, the secrets it injects) and
 * task role (the application's own least-privilege permissions). Used by services and by the one-off
 * tasks that Lambdas and Step Functions start.
 *
 * @example
 * new FargateTask("backtest", { family: "tradai-dev-backtest", image, containerName: "strategy-service", ... }, { parent: this });
 */
export class FargateTask extends pulumi.ComponentResource {
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: TaskSpec, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:FargateTask", name, {}, opts);
    const child = { parent: this };
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: args.logGroupName, retentionInDays: args.logRetentionDays },
      child,
    );
    this.executionRole = new aws.iam.Role(
      `${name}-execution`,
      { assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com") },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-execution-managed`,
      {
        role: this.executionRole.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
      },
      child,
    );
    if (args.secretArns?.length) {
      new aws.iam.RolePolicy(
        `${name}-execution-secrets`,
        {
          role: this.executionRole.id,
          policy: policyDocument([
            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: args.secretArns },
          ]),
        },
        child,
      );
    }
    this.taskRole = new aws.iam.Role(
      `${name}-task`,
      { assumeRolePolicy: assumeRolePolicy("ecs-tasks.amazonaws.com") },
      child,
    );
    if (args.permissions.length > 0) {
      new aws.iam.RolePolicy(
        `${name}-task-policy`,
        { role: this.taskRole.id, policy: policyDocument(args.permissions) },
        child,
      );
    }
    const region = aws.getRegionOutput({}, child).region;
    const container = pulumi
      .all([
        pulumi.output(args.image),
        pulumi.output(args.environment ?? {}),
        pulumi.output(args.secrets ?? {}),
        this.logGroup.name,
        region,
      ])
      .apply(([image, environment, secrets, logGroup, awsRegion]) =>
        JSON.stringify([
          {
            name: args.containerName,
            image,
            essential: true,
            readonlyRootFilesystem: false,
            portMappings: args.port ? [{ containerPort: args.port, protocol: "tcp" }] : [],
            environment: Object.entries(environment)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([key, value]) => ({ name: key, value })),
            secrets: Object.entries(secrets).map(([key, valueFrom]) => ({ name: key, valueFrom })),
            logConfiguration: {
              logDriver: "awslogs",
              options: {
                "awslogs-group": logGroup,
                "awslogs-region": awsRegion,
                "awslogs-stream-prefix": args.containerName,
              },
            },
            ...(args.healthCheck
              ? {
                  healthCheck: {
                    command: args.healthCheck,
                    interval: 30,
                    timeout: 5,
                    retries: 3,
                    startPeriod: 30,
                  },
                }
              : {}),
            stopTimeout: 30,
          },
        ]),
      );
    this.taskDefinition = new aws.ecs.TaskDefinition(
      name,
      {
        family: args.family,
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: String(args.cpu ?? 256),
        memory: String(args.memory ?? 512),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: this.executionRole.arn,
        taskRoleArn: this.taskRole.arn,
        containerDefinitions: container,
      },
      child,
    );
    this.registerOutputs({ taskDefinitionArn: this.taskDefinition.arn });
  }
}

/** How many tasks a deployment may run, in percent of the desired count (ECS deployment configuration). */
export interface DeploymentLimits {
  /** Tasks that must stay running during a deployment. */
  minimumHealthyPercent: number;
  /** Tasks that may run at once during a deployment. */
  maximumPercent: number;
}

/** Rolling deployment: the new tasks start and pass their checks before the old ones stop. */
export const ROLLING_DEPLOYMENT: DeploymentLimits = { minimumHealthyPercent: 100, maximumPercent: 200 };

/**
 * Stop-before-start deployment for singletons (the trading services): the old task stops before the new
 * one starts, so a deploy or force-deploy never runs two of them at once.
 */
export const STOP_BEFORE_START: DeploymentLimits = { minimumHealthyPercent: 0, maximumPercent: 100 };

export interface FargateServiceArgs {
  /** Physical service name. */
  serviceName: string;
  clusterArn: pulumi.Input<string>;
  task: TaskSpec;
  desiredCount: number;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupIds: pulumi.Input<string>[];
  /** Cloud Map namespace; the service registers as `<discoveryName>.<namespace>`. */
  namespaceId: pulumi.Input<string>;
  discoveryName: string;
  /** Target group the service registers with (on `task.port`). @default none */
  targetGroupArn?: pulumi.Input<string>;
  /** Run on Fargate Spot (interruptible). @default false */
  spot?: boolean;
  /**
   * Task counts during a deployment. {@link STOP_BEFORE_START} for services that must never run twice.
   * @default ROLLING_DEPLOYMENT (100 % / 200 %)
   */
  deployment?: DeploymentLimits;
}

/**
 * An ECS service on Fargate in the private subnets: digest-pinned task definition, deployment circuit
 * breaker with rollback, Cloud Map registration, optional load balancer target.
 *
 * @example
 * new FargateService("backend-api", { serviceName: "tradai-dev-backend-api", task, desiredCount: 1, ... }, ctx.opts);
 */
export class FargateService extends pulumi.ComponentResource {
  readonly service: aws.ecs.Service;
  readonly task: FargateTask;

  constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:FargateService", name, {}, opts);
    // A target group without a container port would be dropped silently: the service would never serve.
    if (args.targetGroupArn !== undefined && !args.task.port) {
      throw new Error(
        `FargateService ${name}: a target group needs task.port (the container port it forwards to)`,
      );
    }
    const child = { parent: this };
    this.task = new FargateTask(name, args.task, child);
    const discovery = new aws.servicediscovery.Service(
      `${name}-discovery`,
      {
        name: args.discoveryName,
        dnsConfig: {
          namespaceId: args.namespaceId,
          dnsRecords: [{ type: "A", ttl: 10 }],
          routingPolicy: "MULTIVALUE",
        },
        healthCheckCustomConfig: {},
        forceDestroy: true,
      },
      child,
    );
    const port = args.task.port;
    const deployment = args.deployment ?? ROLLING_DEPLOYMENT;
    this.service = new aws.ecs.Service(
      name,
      {
        name: args.serviceName,
        cluster: args.clusterArn,
        taskDefinition: this.task.taskDefinition.arn,
        desiredCount: args.desiredCount,
        capacityProviderStrategies: [{ capacityProvider: args.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 }],
        networkConfiguration: {
          subnets: args.subnetIds,
          securityGroups: args.securityGroupIds,
          assignPublicIp: false,
        },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: deployment.minimumHealthyPercent,
        deploymentMaximumPercent: deployment.maximumPercent,
        serviceRegistries: { registryArn: discovery.arn },
        ...(args.targetGroupArn && port
          ? {
              loadBalancers: [
                {
                  targetGroupArn: args.targetGroupArn,
                  containerName: args.task.containerName,
                  containerPort: port,
                },
              ],
              healthCheckGracePeriodSeconds: 60,
            }
          : {}),
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        waitForSteadyState: false,
      },
      child,
    );
    this.registerOutputs({ serviceName: this.service.name });
  }
}
