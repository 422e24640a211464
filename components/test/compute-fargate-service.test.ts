import {
  FargateService,
  type FargateServiceArgs,
  FargateTask,
  STOP_BEFORE_START,
  type TaskSpec,
} from "../src/compute/fargate-service";
import { capture, captureFailure, expectWellFormed, json, mockArn, mockPulumi, REGION } from "./harness";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

beforeAll(() => mockPulumi());

const task: TaskSpec = {
  family: "tradai-dev-backend",
  image: "repo@sha256:abc",
  containerName: "backend",
  port: 8000,
  environment: { Z_LAST: "z", A_FIRST: "a" },
  secrets: { DB_PASSWORD: "secret-arn:password::" },
  healthCheck: ["CMD", "node", "health.js"],
  logGroupName: "/tradai/dev/backend",
  logRetentionDays: 30,
  permissions: [{ Sid: "Jobs", Effect: "Allow", Action: "dynamodb:GetItem", Resource: "jobs-arn" }],
  secretArns: ["secret-arn"],
};

describe("FargateTask", () => {
  it("defines one awslogs container (sorted environment, injected secrets) with the documented defaults", async () => {
    const c = await capture((opts) => new FargateTask("backend", task, opts));
    expectWellFormed(c, "tradai:compute:FargateTask", "backend");
    const definition = c.one(TASK_DEFINITION, "backend").inputs;
    expect(definition).toMatchObject({
      family: "tradai-dev-backend",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      executionRoleArn: mockArn("aws:iam/role:Role", "backend-execution"),
      taskRoleArn: mockArn("aws:iam/role:Role", "backend-task"),
    });
    const [container, ...others] = json(definition.containerDefinitions);
    expect(others).toEqual([]);
    expect(container).toMatchObject({
      name: "backend",
      image: "repo@sha256:abc",
      essential: true,
      portMappings: [{ containerPort: 8000, protocol: "tcp" }],
      environment: [
        { name: "A_FIRST", value: "a" },
        { name: "Z_LAST", value: "z" },
      ],
      secrets: [{ name: "DB_PASSWORD", valueFrom: "secret-arn:password::" }],
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": "/tradai/dev/backend",
          "awslogs-region": REGION,
          "awslogs-stream-prefix": "backend",
        },
      },
      healthCheck: { command: ["CMD", "node", "health.js"] },
    });
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "backend-logs").inputs.retentionInDays).toBe(30);
    // The execution role reads exactly the injected secrets; the task role has the application's permissions.
    expect(json(c.one(ROLE_POLICY, "backend-execution-secrets").inputs.policy).Statement).toEqual([
      { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ["secret-arn"] },
    ]);
    expect(json(c.one(ROLE_POLICY, "backend-task-policy").inputs.policy).Statement).toEqual(task.permissions);
  });

  it("a worker without port, secrets or permissions gets no port mapping and no inline policies", async () => {
    const c = await capture(
      (opts) =>
        new FargateTask(
          "worker",
          {
            family: "f",
            image: "i",
            containerName: "w",
            logGroupName: "/w",
            logRetentionDays: 7,
            permissions: [],
            cpu: 1024,
            memory: 2048,
          },
          opts,
        ),
    );
    const definition = c.one(TASK_DEFINITION, "worker").inputs;
    expect([definition.cpu, definition.memory]).toEqual(["1024", "2048"]);
    const [container] = json(definition.containerDefinitions);
    expect(container.portMappings).toEqual([]);
    expect(container).not.toHaveProperty("healthCheck");
    expect(c.ofType(ROLE_POLICY)).toEqual([]);
  });
});

const serviceArgs: FargateServiceArgs = {
  serviceName: "tradai-dev-backend-api",
  clusterArn: "cluster-arn",
  task,
  desiredCount: 2,
  subnetIds: ["subnet-a"],
  securityGroupIds: ["sg-s"],
  namespaceId: "ns-1",
  discoveryName: "backend",
  targetGroupArn: "tg-arn",
};

describe("FargateService", () => {
  it("runs the task privately with a rolling, self-rolling-back deployment, Cloud Map and the target group", async () => {
    const c = await capture((opts) => new FargateService("backend-api", serviceArgs, opts));
    expectWellFormed(c, "tradai:compute:FargateService", "backend-api");
    expect(c.one("tradai:compute:FargateTask", "backend-api").parent).toEqual({
      name: "backend-api",
      type: "tradai:compute:FargateService",
    });
    expect(c.one("aws:servicediscovery/service:Service", "backend-api-discovery").inputs).toMatchObject({
      name: "backend",
      dnsConfig: { namespaceId: "ns-1", dnsRecords: [{ type: "A", ttl: 10 }] },
    });
    expect(c.one(SERVICE, "backend-api").inputs).toMatchObject({
      name: "tradai-dev-backend-api",
      cluster: "cluster-arn",
      taskDefinition: mockArn(TASK_DEFINITION, "backend-api"),
      desiredCount: 2,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
      networkConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-s"], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      serviceRegistries: { registryArn: mockArn("aws:servicediscovery/service:Service", "backend") },
      loadBalancers: [{ targetGroupArn: "tg-arn", containerName: "backend", containerPort: 8000 }],
      healthCheckGracePeriodSeconds: 60,
    });
  });

  it("runs a singleton stop-before-start on Spot when asked, without a load balancer", async () => {
    const c = await capture(
      (opts) =>
        new FargateService(
          "live",
          {
            ...serviceArgs,
            targetGroupArn: undefined,
            spot: true,
            deployment: STOP_BEFORE_START,
            desiredCount: 1,
          },
          opts,
        ),
    );
    const service = c.one(SERVICE, "live").inputs;
    expect(service).toMatchObject({
      capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
      deploymentMinimumHealthyPercent: 0,
      deploymentMaximumPercent: 100,
    });
    expect(service).not.toHaveProperty("loadBalancers");
  });

  it("rejects a target group without a container port, creating nothing", async () => {
    const { port: _port, ...worker } = task;
    const { error, registered } = await captureFailure(
      () => new FargateService("bad", { ...serviceArgs, task: worker }),
    );
    expect(error.message).toBe(
      "FargateService bad: a target group needs task.port (the container port it forwards to)",
    );
    expect(registered).toEqual(["tradai:compute:FargateService::bad"]);
  });
});
