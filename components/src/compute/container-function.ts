import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "../core/iam";

/** What invokes a function. */
export type FunctionTrigger =
  | { kind: "sqs"; queueArn: pulumi.Input<string>; batchSize?: number; maxBatchingWindowSeconds?: number }
  | { kind: "schedule"; expression: string; enabled?: boolean }
  | { kind: "event"; description: string; pattern: pulumi.Input<Record<string, unknown>> }
  /** Invoked by Step Functions or other functions through IAM; no event source. */
  | { kind: "invoke" };

export interface ContainerFunctionArgs {
  /** Physical function name. */
  functionName: string;
  description: string;
  /** Image reference, `repo@sha256:...` (a Lambda image is always pinned by digest). */
  imageRef: pulumi.Input<string>;
  /** @default 60 */
  timeoutSeconds?: number;
  /** @default 512 */
  memoryMb?: number;
  /** Size of /tmp in MB. @default 512 */
  ephemeralStorageMb?: number;
  environment: Record<string, pulumi.Input<string>>;
  /** The function's own permissions; no statement may use a `*` action. */
  permissions: PolicyStatement[];
  /** Run inside the VPC (needed to reach services through Cloud Map). @default none */
  vpc?: { subnetIds: pulumi.Input<pulumi.Input<string>[]>; securityGroupIds: pulumi.Input<string>[] };
  trigger: FunctionTrigger;
  logRetentionDays: number;
  /** AWS managed policies beyond basic execution, X-Ray and VPC access (e.g. `ReadOnlyAccess`). @default [] */
  managedPolicyArns?: string[];
}

/**
 * A Lambda function from a container image: its own role with only the permissions its contract needs,
 * a log group with retention created before the function, JSON logs, X-Ray tracing, optional VPC access,
 * and its trigger (SQS with partial batch failures, an EventBridge schedule or event pattern).
 *
 * @example
 * new ContainerFunction("sqs-consumer", { functionName, imageRef: image.ref, trigger: { kind: "sqs", queueArn }, ... }, ctx.opts);
 */
export class ContainerFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /**
   * The role's policies and attachments. The function and its event source mapping depend on them: IAM
   * is eventually consistent and a consumer created from the role ARN alone may run before it may act.
   */
  readonly rolePolicies: pulumi.Resource[];

  constructor(name: string, args: ContainerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:ContainerFunction", name, {}, opts);
    const child = { parent: this };
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${args.functionName}`, retentionInDays: args.logRetentionDays },
      child,
    );
    const { role, policies } = this.createRole(name, args);
    this.role = role;
    this.rolePolicies = policies;
    this.function = new aws.lambda.Function(
      name,
      {
        name: args.functionName,
        description: args.description,
        packageType: "Image",
        imageUri: args.imageRef,
        architectures: ["x86_64"],
        role: this.role.arn,
        timeout: args.timeoutSeconds ?? 60,
        memorySize: args.memoryMb ?? 512,
        ephemeralStorage: { size: args.ephemeralStorageMb ?? 512 },
        environment: { variables: args.environment },
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
        ...(args.vpc
          ? { vpcConfig: { subnetIds: args.vpc.subnetIds, securityGroupIds: args.vpc.securityGroupIds } }
          : {}),
      },
      { ...child, dependsOn: [this.logGroup, ...policies] },
    );
    this.createTrigger(name, args.trigger);
    this.registerOutputs({ name: this.function.name, arn: this.function.arn });
  }

  private createRole(
    name: string,
    args: ContainerFunctionArgs,
  ): { role: aws.iam.Role; policies: pulumi.Resource[] } {
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com") },
      child,
    );
    const managed = [
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
      ...(args.vpc ? ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"] : []),
      ...(args.managedPolicyArns ?? []),
    ];
    // Keyed by policy name, not position: adding or removing one policy leaves the others' attachments
    // alone. The alias keeps the attachments existing stacks created under the positional names.
    const policies: pulumi.Resource[] = managed.map(
      (policyArn, i) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${policyArn.split("/").pop() ?? String(i)}`,
          { role: role.name, policyArn },
          { ...child, aliases: [{ name: `${name}-managed-${i}` }] },
        ),
    );
    const statements = [...args.permissions];
    if (args.trigger.kind === "sqs") {
      statements.push({
        Sid: "ConsumeQueue",
        Effect: "Allow",
        Action: [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:ChangeMessageVisibility",
        ],
        Resource: args.trigger.queueArn,
      });
    }
    if (statements.length > 0) {
      policies.push(
        new aws.iam.RolePolicy(
          `${name}-policy`,
          { role: role.id, policy: policyDocument(statements) },
          child,
        ),
      );
    }
    return { role, policies };
  }

  private createTrigger(name: string, trigger: FunctionTrigger): void {
    const child = { parent: this };
    switch (trigger.kind) {
      case "sqs":
        new aws.lambda.EventSourceMapping(
          `${name}-source`,
          {
            eventSourceArn: trigger.queueArn,
            functionName: this.function.arn,
            batchSize: trigger.batchSize ?? 10,
            maximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds ?? 5,
            functionResponseTypes: ["ReportBatchItemFailures"],
          },
          // Lambda checks at creation that the role may receive from the queue.
          { ...child, dependsOn: this.rolePolicies },
        );
        return;
      case "schedule":
      case "event": {
        const rule = new aws.cloudwatch.EventRule(
          `${name}-rule`,
          trigger.kind === "schedule"
            ? {
                scheduleExpression: trigger.expression,
                state: trigger.enabled === false ? "DISABLED" : "ENABLED",
              }
            : {
                description: trigger.description,
                eventPattern: pulumi.output(trigger.pattern).apply((p) => JSON.stringify(p)),
              },
          child,
        );
        new aws.cloudwatch.EventTarget(
          `${name}-target`,
          {
            rule: rule.name,
            arn: this.function.arn,
            retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
          },
          child,
        );
        new aws.lambda.Permission(
          `${name}-allow-events`,
          {
            action: "lambda:InvokeFunction",
            function: this.function.name,
            principal: "events.amazonaws.com",
            sourceArn: rule.arn,
          },
          child,
        );
        return;
      }
      case "invoke":
        return;
    }
  }
}
