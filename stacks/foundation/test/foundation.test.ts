import { foundationConfigSchema, PROFILES, parseConfig, subnetLayout } from "@tradai/components";
import { ConfigError, ENVIRONMENTS, type Environment, foundationOutputsSchema } from "@tradai/contracts";
import type { PlannedResource } from "@tradai/plan";
import { PlanView, planLayers, runLayer } from "@tradai/plan";

const T = {
  subnet: "aws:ec2/subnet:Subnet",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  natGateway: "aws:ec2/natGateway:NatGateway",
  group: "aws:autoscaling/group:Group",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  fn: "aws:lambda/function:Function",
  invocation: "aws:lambda/invocation:Invocation",
  permission: "aws:lambda/permission:Permission",
  rule: "aws:cloudwatch/eventRule:EventRule",
  target: "aws:cloudwatch/eventTarget:EventTarget",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  db: "aws:rds/instance:Instance",
  dbSubnets: "aws:rds/subnetGroup:SubnetGroup",
  dbParams: "aws:rds/parameterGroup:ParameterGroup",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  queue: "aws:sqs/queue:Queue",
  topic: "aws:sns/topic:Topic",
  key: "aws:kms/key:Key",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

type Outputs = ReturnType<typeof foundationOutputsSchema.parse>;

interface Planned {
  plan: PlanView;
  persistent: PlanView;
  outputs: Outputs;
}

const plans: Partial<Record<Environment, Planned>> = {};
let gateway: Planned;

/** Foundation planned on top of a persistent plan (run once per environment and reused). */
async function planFoundation(persistent: PlanView, config?: Record<string, string>): Promise<Planned> {
  const env = persistent.plan.stack;
  const plan = new PlanView(
    await runLayer({ layer: "foundation", env, upstream: { persistent: persistent.outputs }, config }),
  );
  return { plan, persistent, outputs: foundationOutputsSchema.parse(plan.outputs) };
}

beforeAll(async () => {
  for (const env of ENVIRONMENTS) {
    const persistent = new PlanView(await runLayer({ layer: "persistent", env }));
    plans[env] = await planFoundation(persistent);
  }
  gateway = await planFoundation(planOf("prod").persistent, {
    "tradai:natMode": "gateway",
    "tradai:alertEmail": "ops@tradai.io",
  });
});
const planOf = (env: Environment) => plans[env] as Planned;
const json = (value: unknown) => JSON.parse(String(value)) as Record<string, unknown>;
const tier = (plan: PlanView, name: string) =>
  plan.ofType(T.subnet).filter((s) => (s.inputs.tags as Record<string, string>).Tier === name);

describe.each(ENVIRONMENTS)("foundation layer in %s", (env) => {
  const azCount = PROFILES[env].azCount;

  it(`spans ${azCount} AZs with public, private and isolated subnets computed from the VPC block`, () => {
    const { plan, outputs } = planOf(env);
    const layout = subnetLayout(PROFILES[env].vpcCidr, azCount);
    expect(outputs.network.availabilityZones).toHaveLength(azCount);
    expect(new Set(outputs.network.availabilityZones).size).toBe(azCount);
    for (const name of ["public", "private", "isolated"] as const) {
      const subnets = tier(plan, name);
      expect(subnets.map((s) => s.inputs.cidrBlock)).toEqual(layout[name]);
      expect(subnets.map((s) => s.inputs.availabilityZone)).toEqual(outputs.network.availabilityZones);
      expect(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false)).toBe(true);
    }
    expect(outputs.network.vpcCidr).toBe(PROFILES[env].vpcCidr);
    expect(outputs.network.privateSubnetIds).toHaveLength(azCount);
    expect(outputs.network.privateRouteTableIds).toHaveLength(azCount);
  });

  it("serves S3 and DynamoDB through gateway endpoints on the private and isolated route tables", () => {
    const { plan, outputs, persistent } = planOf(env);
    const isolated = plan.one(T.routeTable, "network-isolated");
    const rtId = (urn: string) => plan.get(urn)?.inputs.tags;
    expect(rtId(isolated.urn)).toEqual({ Name: `tradai-${env}-isolated` });
    for (const service of ["s3", "dynamodb"]) {
      const endpoint = plan.one(T.endpoint, `network-${service}`);
      expect(endpoint.inputs.vpcEndpointType).toBe("Gateway");
      expect(endpoint.inputs.serviceName).toBe(`com.amazonaws.eu-central-1.${service}`);
      const tables = endpoint.inputs.routeTableIds as string[];
      expect(tables).toHaveLength(azCount + 1);
      expect(tables.slice(0, azCount)).toEqual(outputs.network.privateRouteTableIds);
      expect(plan.dependsOn(endpoint, isolated)).toBe(true);
    }
    // The DynamoDB endpoint reaches the persistent layer's tables only.
    const policy = json(plan.one(T.endpoint, "network-dynamodb").inputs.policy);
    const resources = (policy.Statement as { Resource: string[] }[])[0]?.Resource ?? [];
    const tableArns = persistent
      .ofType("aws:dynamodb/table:Table")
      .map((t) => `arn:aws:dynamodb:eu-central-1:123456789012:table/${t.inputs.name}`);
    expect(tableArns).toHaveLength(6);
    for (const arn of tableArns) expect(resources).toEqual(expect.arrayContaining([arn, `${arn}/index/*`]));
    expect(resources).toHaveLength(18);
  });

  it("NAT instance: every private route table's default route is owned by the update-nat-routes Lambda", () => {
    const { plan, outputs } = planOf(env);
    expect(outputs.network.natMode).toBe("instance");
    // No Pulumi-managed default route on a private table: it would reset the Lambda's route on each up.
    const privateTables = new Set(outputs.network.privateRouteTableIds);
    expect(plan.ofType(T.route).filter((r) => privateTables.has(String(r.inputs.routeTableId)))).toEqual([]);
    const fn = plan.one(T.fn, "nat-routes");
    const env_ = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    expect(env_.ROUTE_TABLE_IDS?.split(",")).toEqual(outputs.network.privateRouteTableIds);
    const group = plan.one(T.group, "nat");
    expect(env_.NAT_ASG_NAME).toBe(group.inputs.name);
    // The deploy-time run happens after the group has its instance, and only then.
    const invocation = plan.one(T.invocation, "nat-initial-routes");
    expect(invocation.inputs.functionName).toBe(fn.inputs.name);
    expect(json(invocation.inputs.input)).toEqual({ action: "reconcile" });
    expect(plan.dependsOn(invocation, group)).toBe(true);
    expect(plan.ofType(T.natGateway)).toEqual([]);
  });

  it("NAT instance: t4g.nano Amazon Linux 2023 arm64, one instance in the public subnets, forwarding and masquerade at boot", () => {
    const { plan, outputs } = planOf(env);
    const group = plan.one(T.group, "nat");
    expect(group.inputs).toMatchObject({
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      name: `tradai-${env}-nat`,
    });
    expect(group.inputs.vpcZoneIdentifiers).toEqual(outputs.network.publicSubnetIds);
    const template = plan.one(T.launchTemplate, "nat");
    expect(template.inputs.instanceType).toBe("t4g.nano");
    expect(template.inputs.imageId).toBe(
      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
    expect(template.inputs.metadataOptions).toMatchObject({ httpTokens: "required" });
    expect(template.inputs.networkInterfaces).toEqual([
      expect.objectContaining({
        associatePublicIpAddress: "true",
        securityGroups: [outputs.securityGroups.nat],
      }),
    ]);
    const userData = Buffer.from(String(template.inputs.userData), "base64").toString("utf8");
    expect(userData).toContain("net.ipv4.ip_forward = 1");
    const layout = subnetLayout(PROFILES[env].vpcCidr, azCount);
    expect(userData).toContain(`ip saddr { ${layout.private.join(", ")} }`);
    expect(userData).toContain("masquerade");
    // Its security group admits the private subnets only.
    const natIngress = plan
      .ofType(T.ingress)
      .filter((r) => r.inputs.securityGroupId === outputs.securityGroups.nat);
    expect(natIngress.map((r) => r.inputs.cidrIpv4)).toEqual(layout.private);
  });

  it("NAT instance: the launch event of that group triggers the Lambda, wired before the group exists", () => {
    const { plan } = planOf(env);
    const group = plan.one(T.group, "nat");
    const rule = plan.one(T.rule, "nat-routes");
    expect(json(rule.inputs.eventPattern)).toEqual({
      source: ["aws.autoscaling"],
      "detail-type": ["EC2 Instance Launch Successful"],
      detail: { AutoScalingGroupName: [group.inputs.name] },
    });
    const fn = plan.one(T.fn, "nat-routes");
    const target = plan.one(T.target, "nat-routes");
    expect(target.inputs.rule).toBe(rule.inputs.name);
    expect(String(target.inputs.arn)).toBe(
      `arn:aws:lambda:eu-central-1:123456789012:function:${fn.inputs.name}`,
    );
    const permission = plan.one(T.permission, "nat-routes");
    expect(permission.inputs).toMatchObject({
      principal: "events.amazonaws.com",
      action: "lambda:InvokeFunction",
    });
    expect(plan.dependsOn(permission, rule)).toBe(true);
    expect(plan.dependsOn(group, target)).toBe(true);
    expect(plan.dependsOn(group, permission)).toBe(true);
    expect(fn.inputs).toMatchObject({
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
    });
    expect(fn.inputs.code).toEqual({
      archive: { "index.js": { asset: "lambdas/update-nat-routes/dist/index.js" } },
    });
  });

  it("NAT Lambda role: routes of the private tables, source/dest check of the group's instances only", () => {
    const { plan, outputs } = planOf(env);
    const statements = json(plan.one(T.rolePolicy, "nat-routes-policy").inputs.policy).Statement as {
      Sid: string;
      Action: string | string[];
      Resource: string | string[];
      Condition?: unknown;
    }[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.PrivateDefaultRoutes?.Resource).toEqual(
      outputs.network.privateRouteTableIds.map(
        (id) => `arn:aws:ec2:eu-central-1:123456789012:route-table/${id}`,
      ),
    );
    expect(bySid.NatInstanceSourceDestCheck?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/aws:autoscaling:groupName": `tradai-${env}-nat` },
    });
    for (const s of statements) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/(^\*$|:\*$)/);
      if (s.Resource === "*") expect([s.Action].flat().every((a) => /:Describe/.test(a))).toBe(true);
    }
  });

  it("puts the database in the isolated subnets, private, encrypted, with a managed master password", () => {
    const { plan, outputs } = planOf(env);
    const db = plan.one(T.db, "mlflow-db");
    const subnets = plan.one(T.dbSubnets, "mlflow-db");
    expect(subnets.inputs.subnetIds).toEqual(outputs.network.isolatedSubnetIds);
    expect(db.inputs.dbSubnetGroupName).toBe(subnets.inputs.name);
    expect(db.inputs).toMatchObject({
      engine: "postgres",
      publiclyAccessible: false,
      storageEncrypted: true,
      manageMasterUserPassword: true,
      vpcSecurityGroupIds: [outputs.securityGroups.database],
    });
    expect(db.inputs).not.toHaveProperty("password");
    expect(Number(db.inputs.backupRetentionPeriod)).toBeGreaterThanOrEqual(1);
    expect(outputs.database.masterSecretArn).toMatch(
      /^arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!/,
    );
    const params = plan.one(T.dbParams, "mlflow-db");
    expect(params.inputs.parameters).toContainEqual(
      expect.objectContaining({ name: "rds.force_ssl", value: "1" }),
    );
    expect(db.inputs.parameterGroupName).toBe(params.inputs.name);
  });

  it(`${env === "prod" ? "protects" : "does not protect"} the database (deletion protection, final snapshot, multi-AZ, protect)`, () => {
    const db = planOf(env).plan.one(T.db, "mlflow-db");
    const prod = env === "prod";
    expect(db.inputs.deletionProtection).toBe(prod);
    expect(db.inputs.skipFinalSnapshot).toBe(!prod);
    expect(db.inputs.finalSnapshotIdentifier).toBe(prod ? "tradai-prod-mlflow-final" : undefined);
    expect(db.inputs.multiAz).toBe(prod);
    expect(db.protect).toBe(prod);
    expect(db.retainOnDelete).toBe(prod);
  });

  it("only the services reach the database, and only on 5432", () => {
    const { plan, outputs } = planOf(env);
    const rules = plan
      .ofType(T.ingress)
      .filter((r) => r.inputs.securityGroupId === outputs.securityGroups.database);
    expect(rules.map((r) => r.inputs)).toEqual([
      expect.objectContaining({
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: outputs.securityGroups.services,
      }),
    ]);
  });

  it("opens nothing to the world but the ALB's 80 and 443", () => {
    const { plan, outputs } = planOf(env);
    for (const sg of plan.ofType(T.sg)) expect(sg.inputs.ingress ?? []).toEqual([]);
    const open = plan
      .ofType(T.ingress)
      .filter((r) => ["0.0.0.0/0", "::/0"].includes(String(r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6)));
    expect(
      open.map((r) => [r.inputs.securityGroupId, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]),
    ).toEqual([
      [outputs.securityGroups.alb, "tcp", 80, 80],
      [outputs.securityGroups.alb, "tcp", 443, 443],
    ]);
    // The services accept their ports from the ALB, the Lambdas and each other; the Lambdas accept nothing.
    const services = plan
      .ofType(T.ingress)
      .filter((r) => r.inputs.securityGroupId === outputs.securityGroups.services);
    for (const source of [
      outputs.securityGroups.alb,
      outputs.securityGroups.lambdas,
      outputs.securityGroups.services,
    ]) {
      expect(
        services
          .filter((r) => r.inputs.referencedSecurityGroupId === source)
          .map((r) => r.inputs.fromPort)
          .sort(),
      ).toEqual([5000, 8000, 8001, 8080]);
    }
    expect(
      plan.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === outputs.securityGroups.lambdas),
    ).toEqual([]);
  });

  it("gives every work queue a dead-letter queue, SSE and a visibility timeout of 6 consumer timeouts", () => {
    const { plan, outputs } = planOf(env);
    const queues = plan.ofType(T.queue);
    expect(queues).toHaveLength(4);
    for (const q of queues) expect(q.inputs.sqsManagedSseEnabled).toBe(true);
    for (const key of ["backtestJobs", "backtestResults"] as const) {
      const out = outputs.queues[key];
      const main = queues.find((q) => q.inputs.name === out.name) as PlannedResource;
      const dlq = queues.find((q) => q.inputs.name === out.dlqName) as PlannedResource;
      expect(json(main.inputs.redrivePolicy)).toEqual({
        deadLetterTargetArn: out.dlqArn,
        maxReceiveCount: 5,
      });
      expect(main.inputs.visibilityTimeoutSeconds).toBe(360);
      expect(dlq.inputs.messageRetentionSeconds).toBe(14 * 24 * 3600);
      expect(json(dlq.inputs.redriveAllowPolicy)).toEqual({
        redrivePermission: "byQueue",
        sourceQueueArns: [out.arn],
      });
    }
    expect(outputs.queues.backtestJobs.name).toBe(`tradai-${env}-backtest-jobs`);
  });

  it("encrypts both topics with the customer managed key that CloudWatch alarms may use", () => {
    const { plan, outputs } = planOf(env);
    const key = plan.one(T.key, "topic-key");
    const keyArn = `arn:aws:kms:eu-central-1:123456789012:key/`;
    for (const topic of plan.ofType(T.topic)) {
      expect(String(topic.inputs.kmsMasterKeyId).startsWith(keyArn)).toBe(true);
      expect(plan.dependsOn(topic, key)).toBe(true);
    }
    expect(plan.ofType(T.topic).map((t) => t.inputs.name)).toEqual([
      outputs.topics.alerts.name,
      outputs.topics.notifications.name,
    ]);
    const sids = (json(key.inputs.policy).Statement as { Sid: string }[]).map((s) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(["CloudWatchAlarmsPublish", "AccountPublishesThroughSns"]));
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(plan.ofType(T.subscription)).toEqual([]);
  });

  it("keeps VPC flow logs for the environment's retention", () => {
    const { plan } = planOf(env);
    expect(plan.one(T.flowLog, "flow-logs").inputs).toMatchObject({
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
    });
    expect(plan.one(T.logGroup, "flow-logs").inputs.retentionInDays).toBe(PROFILES[env].logRetentionDays);
    const trust = json(plan.one("aws:iam/role:Role", "flow-logs-role").inputs.assumeRolePolicy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      }),
    ]);
  });

  it("creates the database's log groups with a retention before the instance exports to them", () => {
    const { plan } = planOf(env);
    const db = plan.one(T.db, "mlflow-db");
    for (const log of ["postgresql", "upgrade"]) {
      const group = plan.one(T.logGroup, `mlflow-db-${log}`);
      expect(group.inputs).toEqual({
        name: `/aws/rds/instance/tradai-${env}-mlflow/${log}`,
        retentionInDays: PROFILES[env].logRetentionDays,
      });
      expect(plan.dependsOn(db, group)).toBe(true);
    }
    expect(db.inputs.enabledCloudwatchLogsExports).toEqual(["postgresql", "upgrade"]);
  });
});

describe("foundation with natMode: gateway", () => {
  it("routes each private route table through the NAT gateway of its own AZ", () => {
    const { plan, outputs } = gateway;
    expect(outputs.network.natMode).toBe("gateway");
    const gateways = plan.ofType(T.natGateway);
    expect(gateways.map((g) => g.inputs.subnetId)).toEqual(outputs.network.publicSubnetIds);
    const routes = plan.ofType(T.route).filter((r) => r.name.startsWith("nat-default-"));
    expect(routes.map((r) => r.inputs.routeTableId)).toEqual(outputs.network.privateRouteTableIds);
    routes.forEach((route, i) => {
      expect(route.inputs.destinationCidrBlock).toBe("0.0.0.0/0");
      expect(plan.dependsOn(route, gateways[i] as PlannedResource)).toBe(true);
    });
    expect(plan.ofType(T.group)).toEqual([]);
    expect(plan.ofType(T.fn)).toEqual([]);
    expect(outputs.securityGroups.nat).toBeUndefined();
  });

  it("subscribes the configured email to the alerts topic only", () => {
    const subs = gateway.plan.ofType(T.subscription);
    expect(subs.map((s) => [s.name, s.inputs.protocol, s.inputs.endpoint, s.inputs.topic])).toEqual([
      ["alerts-email-0", "email", "ops@tradai.io", gateway.outputs.topics.alerts.arn],
    ]);
  });
});

describe("foundation configuration", () => {
  it("rejects a bad value at program start, naming the stack and the key", async () => {
    const failure = await planLayers("dev", "foundation", {
      config: { foundation: { "tradai:azCount": "7" } },
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect(failure?.message).toBe(
      'Invalid configuration for stack "organization/tradai-foundation/dev":\n  - tradai:azCount: expected at most 4',
    );
  });

  it.each([
    [{ natMode: "nat" }, "tradai:natMode: "],
    [{ vpcCidr: "10.0.0.0/8" }, "tradai:vpcCidr: VPC block 10.0.0.0/8 must be between /16 and /20"],
    [{ vpcCidr: "10.0.1.0/16" }, 'tradai:vpcCidr: "10.0.1.0/16" has host bits set'],
    [{ natInstanceType: "t3.nano" }, "tradai:natInstanceType: expected a Graviton (arm64) instance type"],
    [
      { flowLogRetentionDays: "10" },
      "tradai:flowLogRetentionDays: expected one of the CloudWatch Logs retention periods",
    ],
    [
      { logRetentionDays: "10" },
      "tradai:logRetentionDays: expected one of the CloudWatch Logs retention periods",
    ],
    [
      { dbAllocatedStorage: "200", dbMaxAllocatedStorage: "100" },
      "tradai:dbMaxAllocatedStorage: must be at least dbAllocatedStorage (200)",
    ],
    [{ dbMasterUsername: "postgres" }, "tradai:dbMasterUsername: is a reserved name"],
    [{ alertEmail: "ops" }, "tradai:alertEmail: expected an email address"],
    [{ natmode: "gateway" }, "tradai:natmode: unknown key"],
  ])("rejects %j naming the key", (raw, message) => {
    const parse = () => parseConfig(foundationConfigSchema("dev"), raw, "org/tradai-foundation/dev");
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });

  it("keeps the NAT instance's and the database's logs for tradai:logRetentionDays, not a code profile", async () => {
    const { plan } = await planFoundation(planOf("dev").persistent, { "tradai:logRetentionDays": "60" });
    const retention = (name: string) => plan.one(T.logGroup, name).inputs.retentionInDays;
    expect(["nat-routes", "mlflow-db-postgresql", "mlflow-db-upgrade"].map(retention)).toEqual([60, 60, 60]);
    // Flow logs have their own key.
    expect(retention("flow-logs")).toBe(PROFILES.dev.logRetentionDays);
  });

  it("takes its defaults from the environment profile and honours overrides", () => {
    const prod = parseConfig(foundationConfigSchema("prod"), {}, "s");
    expect(prod).toMatchObject({
      azCount: 3,
      vpcCidr: "10.30.0.0/16",
      natMode: "instance",
      dbMultiAz: true,
      dbProtect: true,
    });
    const dev = parseConfig(foundationConfigSchema("dev"), { azCount: "3", natMode: "gateway" }, "s");
    expect(dev).toMatchObject({
      azCount: 3,
      natMode: "gateway",
      dbMultiAz: false,
      dbProtect: false,
      flowLogRetentionDays: 14,
    });
  });
});
