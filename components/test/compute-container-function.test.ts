import { ContainerFunction, type ContainerFunctionArgs } from "../src/compute/container-function";
import { capture, expectWellFormed, json, mockArn, mockPulumi } from "./harness";

const FUNCTION = "aws:lambda/function:Function";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const RULE = "aws:cloudwatch/eventRule:EventRule";

beforeAll(() => mockPulumi());

const base: ContainerFunctionArgs = {
  functionName: "tradai-dev-sqs-consumer",
  description: "Consumes jobs",
  imageRef: "repo@sha256:abc",
  environment: { JOBS_TABLE: "jobs" },
  permissions: [{ Sid: "Jobs", Effect: "Allow", Action: "dynamodb:PutItem", Resource: "jobs-arn" }],
  trigger: { kind: "invoke" },
  logRetentionDays: 14,
};

describe("ContainerFunction", () => {
  it("runs the pinned image with the documented defaults, after its log group and permissions", async () => {
    const c = await capture((opts) => new ContainerFunction("fn", base, opts));
    expectWellFormed(c, "tradai:compute:ContainerFunction", "fn");
    const fn = c.one(FUNCTION, "fn");
    expect(fn.inputs).toMatchObject({
      name: "tradai-dev-sqs-consumer",
      packageType: "Image",
      imageUri: "repo@sha256:abc",
      timeout: 60,
      memorySize: 512,
      ephemeralStorage: { size: 512 },
      environment: { variables: { JOBS_TABLE: "jobs" } },
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/tradai-dev-sqs-consumer" },
    });
    expect(fn.inputs).not.toHaveProperty("vpcConfig");
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "fn-logs").inputs.retentionInDays).toBe(14);
    expect(fn.opts.dependsOn).toEqual([c.component.logGroup, ...c.component.rolePolicies]);
    // Attachments keyed by policy name; each keeps its former positional name as an alias.
    expect(c.ofType(ATTACHMENT).map((a) => [a.name, a.inputs.policyArn, a.opts.aliases])).toEqual([
      [
        "fn-AWSLambdaBasicExecutionRole",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        [{ name: "fn-managed-0" }],
      ],
      [
        "fn-AWSXRayDaemonWriteAccess",
        "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
        [{ name: "fn-managed-1" }],
      ],
    ]);
    expect(json(c.one("aws:iam/rolePolicy:RolePolicy", "fn-policy").inputs.policy).Statement).toEqual(
      base.permissions,
    );
    // Invoked through IAM only: no event source.
    expect(c.ofType(RULE)).toEqual([]);
    expect(c.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")).toEqual([]);
  });

  it("consumes an SQS queue with partial batch failures, and may receive from that queue", async () => {
    const c = await capture(
      (opts) =>
        new ContainerFunction(
          "consumer",
          {
            ...base,
            timeoutSeconds: 300,
            memoryMb: 1024,
            vpc: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-l"] },
            managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            trigger: { kind: "sqs", queueArn: "queue-arn", batchSize: 1 },
          },
          opts,
        ),
    );
    expect(c.one(FUNCTION, "consumer").inputs).toMatchObject({
      timeout: 300,
      memorySize: 1024,
      vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-l"] },
    });
    expect(c.ofType(ATTACHMENT).map((a) => a.name)).toEqual([
      "consumer-AWSLambdaBasicExecutionRole",
      "consumer-AWSXRayDaemonWriteAccess",
      "consumer-AWSLambdaVPCAccessExecutionRole",
      "consumer-ReadOnlyAccess",
    ]);
    const statements = json(
      c.one("aws:iam/rolePolicy:RolePolicy", "consumer-policy").inputs.policy,
    ).Statement;
    expect(statements[1]).toMatchObject({ Sid: "ConsumeQueue", Resource: "queue-arn" });
    const mapping = c.one("aws:lambda/eventSourceMapping:EventSourceMapping", "consumer-source");
    expect(mapping.inputs).toEqual({
      eventSourceArn: "queue-arn",
      functionName: mockArn(FUNCTION, "tradai-dev-sqs-consumer"),
      batchSize: 1,
      maximumBatchingWindowInSeconds: 5,
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
    // Lambda checks at creation that the role may receive from the queue.
    expect(mapping.opts.dependsOn).toEqual(c.component.rolePolicies);
  });

  it("runs on a schedule (disabled when asked) or an event pattern, invocable by EventBridge", async () => {
    const scheduled = await capture(
      (opts) =>
        new ContainerFunction(
          "cron",
          {
            ...base,
            permissions: [],
            trigger: { kind: "schedule", expression: "rate(5 minutes)", enabled: false },
          },
          opts,
        ),
    );
    expect(scheduled.one(RULE, "cron-rule").inputs).toEqual({
      scheduleExpression: "rate(5 minutes)",
      state: "DISABLED",
    });
    // No statement of its own: no inline policy.
    expect(scheduled.ofType("aws:iam/rolePolicy:RolePolicy")).toEqual([]);
    expect(scheduled.one("aws:cloudwatch/eventTarget:EventTarget", "cron-target").inputs.arn).toBe(
      mockArn(FUNCTION, "tradai-dev-sqs-consumer"),
    );
    expect(scheduled.one("aws:lambda/permission:Permission", "cron-allow-events").inputs).toMatchObject({
      principal: "events.amazonaws.com",
      sourceArn: mockArn(RULE, "cron-rule"),
    });

    const evented = await capture(
      (opts) =>
        new ContainerFunction(
          "on-event",
          { ...base, trigger: { kind: "event", description: "ECS stops", pattern: { source: ["aws.ecs"] } } },
          opts,
        ),
    );
    const rule = evented.one(RULE, "on-event-rule").inputs;
    expect(rule.description).toBe("ECS stops");
    expect(json(rule.eventPattern)).toEqual({ source: ["aws.ecs"] });
  });
});
