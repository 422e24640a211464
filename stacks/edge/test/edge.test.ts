import { ENVIRONMENTS, type Environment, edgeOutputsSchema, LAMBDAS } from "@tradai/contracts";
import type { PlannedResource, PlanView } from "@tradai/plan";
import { existingDimensionValues, hasProgram, planEdge, type World } from "./world";

const T = {
  restApi: "aws:apigateway/restApi:RestApi",
  resource: "aws:apigateway/resource:Resource",
  method: "aws:apigateway/method:Method",
  integration: "aws:apigateway/integration:Integration",
  authorizer: "aws:apigateway/authorizer:Authorizer",
  deployment: "aws:apigateway/deployment:Deployment",
  stage: "aws:apigateway/stage:Stage",
  methodSettings: "aws:apigateway/methodSettings:MethodSettings",
  account: "aws:apigateway/account:Account",
  webAcl: "aws:wafv2/webAcl:WebAcl",
  association: "aws:wafv2/webAclAssociation:WebAclAssociation",
  wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  password: "random:index/randomPassword:RandomPassword",
} as const;

const REGION = "eu-central-1";
const worlds: Partial<Record<Environment, World>> = {};
beforeAll(async () => {
  for (const env of ENVIRONMENTS) worlds[env] = await planEdge(env);
});
const world = (env: Environment) => worlds[env] as World;

interface Query {
  id: string;
  expression?: string;
  metric?: { namespace: string; metricName: string; dimensions: Record<string, string>; stat: string };
}
const queriesOf = (alarm: PlannedResource) => (alarm.inputs.metricQueries ?? []) as Query[];
/** Every metric an alarm reads: its own or those of its queries. */
function alarmMetrics(
  alarm: PlannedResource,
): { namespace: string; metricName: string; dimensions: Record<string, string> }[] {
  const i = alarm.inputs;
  if (typeof i.metricName === "string") {
    return [
      {
        namespace: String(i.namespace),
        metricName: i.metricName,
        dimensions: (i.dimensions ?? {}) as Record<string, string>,
      },
    ];
  }
  return queriesOf(alarm).flatMap((q) => (q.metric ? [q.metric] : []));
}

/** True when input `key` of `r` is computed from `target` (an output of it flows in). */
function refersTo(r: PlannedResource, key: string, target: PlannedResource): boolean {
  return (r.propertyDependencies[key] ?? []).includes(target.urn);
}

/** Path of an API Gateway resource, walking parent references. */
function resourcePath(plan: PlanView, resource: PlannedResource): string {
  const parentUrn = resource.propertyDependencies.parentId?.find((u) => u.includes(T.resource));
  const parent = parentUrn ? plan.get(parentUrn) : undefined;
  return `${parent ? resourcePath(plan, parent) : ""}/${String(resource.inputs.pathPart)}`;
}

function methodsByPath(plan: PlanView): { path: string; method: PlannedResource }[] {
  return plan.ofType(T.method).map((method) => {
    const urn = method.propertyDependencies.resourceId?.[0] ?? "";
    const resource = plan.get(urn);
    if (!resource) throw new Error(`method ${method.name} has no resource`);
    return { path: resourcePath(plan, resource), method };
  });
}

describe("edge layer: API", () => {
  it("guards /v1/* with the Cognito authorizer of the persistent user pool and leaves /health public", () => {
    const w = world("prod");
    const plan = w.edge;
    const authorizer = plan.one(T.authorizer, "api-cognito");
    const persistent = w.upstream.persistent;
    if (!persistent) throw new Error("persistent was not planned");
    const userPoolArn = (persistent.outputs.cognito as { userPoolArn: string }).userPoolArn;
    expect(authorizer.inputs).toMatchObject({
      type: "COGNITO_USER_POOLS",
      providerArns: [userPoolArn],
      identitySource: "method.request.header.Authorization",
    });
    const methods = methodsByPath(plan);
    expect(methods.map((m) => `${m.method.inputs.httpMethod} ${m.path}`).sort()).toEqual([
      "ANY /v1/{proxy+}",
      "GET /health",
      "POST /v1/collect",
    ]);
    for (const { path, method } of methods) {
      if (path.startsWith("/v1/")) {
        expect(method.inputs.authorization).toBe("COGNITO_USER_POOLS");
        expect(method.inputs.authorizationScopes).toEqual(["tradai-api/v1"]);
        expect(refersTo(method, "authorizerId", authorizer)).toBe(true);
      } else {
        expect(path).toBe("/health");
        expect(method.inputs.authorization).toBe("NONE");
        expect(method.inputs.authorizerId).toBeUndefined();
      }
    }
  });

  it.each(ENVIRONMENTS)("proxies to the ALB over its protocol with the origin secret in %s", (env) => {
    const w = world(env);
    const origin = `${w.compute.alb.protocol}://${w.compute.alb.originHost}`;
    // Tokens and the origin secret never cross the internet in clear outside dev (issue 14, fault 2).
    expect(w.compute.alb.protocol).toBe(env === "dev" ? "http" : "https");
    const password = w.edge.one(T.password, "origin-verify");
    const integrations = w.edge.ofType(T.integration).filter((i) => i.inputs.type === "HTTP_PROXY");
    expect(integrations.map((i) => i.inputs.uri).sort()).toEqual([
      `${origin}/health`,
      `${origin}/v1/{proxy}`,
    ]);
    for (const integration of integrations) {
      expect(integration.inputs.type).toBe("HTTP_PROXY");
      const params = integration.inputs.requestParameters as Record<string, string>;
      // The value is the secret, so the plan shows it redacted; it comes from the origin password.
      expect(params["integration.request.header.x-origin-verify"]).toBe("<secret>");
      expect(refersTo(integration, "requestParameters", password)).toBe(true);
    }
    const proxy = integrations.find((i) => String(i.inputs.uri).endsWith("{proxy}"));
    expect(proxy?.inputs.requestParameters).toMatchObject({
      "integration.request.path.proxy": "method.request.path.proxy",
    });
  });

  it.each(ENVIRONMENTS)(
    "serves POST /v1/collect from data-collection-proxy, invocable by this route only, in %s",
    (env) => {
      const w = world(env);
      const fn = w.compute.functions["data-collection-proxy"];
      if (!fn) throw new Error("no data-collection-proxy in the compute outputs");
      const integration = w.edge.one(T.integration, "api-v1-collect");
      expect(integration.inputs).toMatchObject({
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fn.arn}/invocations`,
      });
      const permission = w.edge.one("aws:lambda/permission:Permission", "api-v1-collect");
      expect(permission.inputs).toMatchObject({
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "apigateway.amazonaws.com",
      });
      expect(String(permission.inputs.sourceArn)).toMatch(/^arn:aws:execute-api:.*\/\*\/POST\/v1\/collect$/);
      const deployment = w.edge.one(T.deployment, "api");
      expect(w.edge.dependsOn(deployment, integration)).toBe(true);
    },
  );

  it("redeploys when the routes or the origin change, and the stage serves the latest deployment", async () => {
    const before = world("dev").edge;
    const after = (await planEdge("dev", { "tradai:albOriginHost": "origin.dev.tradai.io" })).edge;
    const trigger = (p: PlanView) =>
      (p.one(T.deployment, "api").inputs.triggers as { redeployment: string }).redeployment;
    expect(trigger(before)).toMatch(/^[0-9a-f]{64}$/);
    expect(trigger(after)).not.toBe(trigger(before));
    expect(after.ofType(T.integration).map((i) => i.inputs.uri)).toContain(
      "http://origin.dev.tradai.io/v1/{proxy}",
    );
    const deployment = before.one(T.deployment, "api");
    for (const integration of before.ofType(T.integration)) {
      expect(before.dependsOn(deployment, integration)).toBe(true);
    }
    expect(refersTo(before.one(T.stage, "api"), "deployment", deployment)).toBe(true);
  });

  it.each(ENVIRONMENTS)(
    "runs a %s stage with JSON access logs, X-Ray and the account logging role",
    (env) => {
      const plan = world(env).edge;
      const stage = plan.one(T.stage, "api");
      expect(stage.inputs.stageName).toBe(env);
      expect(stage.inputs.xrayTracingEnabled).toBe(true);
      const logs = plan.one(T.logGroup, "api-access");
      const settings = stage.inputs.accessLogSettings as { destinationArn: string; format: string };
      expect(refersTo(stage, "accessLogSettings", logs)).toBe(true);
      expect(Object.keys(JSON.parse(settings.format))).toEqual(
        expect.arrayContaining(["requestId", "ip", "status", "user", "wafStatus"]),
      );
      expect(logs.inputs.retentionInDays).toBe({ dev: 14, staging: 30, prod: 90 }[env]);
      const account = plan.one(T.account, "api-logging");
      expect(plan.dependsOn(stage, account)).toBe(true);
      expect(
        plan.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-logging-push-logs").inputs
          .policyArn,
      ).toBe("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
    },
  );

  it("throttles every method with the environment's limits", () => {
    const settings = (env: Environment) =>
      world(env).edge.one(T.methodSettings, "api-all-methods").inputs as {
        methodPath: string;
        settings: Record<string, unknown>;
      };
    expect(settings("dev").methodPath).toBe("*/*");
    expect(settings("dev").settings).toMatchObject({ throttlingRateLimit: 20, throttlingBurstLimit: 40 });
    expect(settings("staging").settings).toMatchObject({
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
    });
    expect(settings("prod").settings).toMatchObject({
      throttlingRateLimit: 200,
      throttlingBurstLimit: 400,
      loggingLevel: "ERROR",
      dataTraceEnabled: false,
      metricsEnabled: true,
    });
    expect(settings("dev").settings.loggingLevel).toBe("INFO");
  });
});

describe("edge layer: WAF", () => {
  it.each(ENVIRONMENTS)("associates the API web ACL with the API stage in %s", (env) => {
    const plan = world(env).edge;
    const stage = plan.one(T.stage, "api");
    const acl = plan.one(T.webAcl, "api-waf");
    const association = plan.one(T.association, "api-waf-stage");
    const apiId = (plan.outputs.api as { id: string }).id;
    expect(association.inputs.resourceArn).toBe(
      `arn:aws:apigateway:${REGION}::/restapis/${apiId}/stages/${env}`,
    );
    expect(plan.one(T.restApi, "api").inputs.endpointConfiguration).toEqual({ types: "REGIONAL" });
    expect((plan.outputs.api as { stageArn: string }).stageArn).toBe(association.inputs.resourceArn);
    expect(refersTo(association, "resourceArn", stage)).toBe(true);
    expect(plan.dependsOn(association, stage)).toBe(true);
    expect(refersTo(association, "webAclArn", acl)).toBe(true);
    expect((plan.outputs.waf as { webAclArn: string }).webAclArn).toBe(association.inputs.webAclArn);
  });

  it("runs the rate limit first, then the three AWS managed rule groups, with metrics on each", () => {
    const acl = world("prod").edge.one(T.webAcl, "api-waf");
    expect(acl.inputs).toMatchObject({ scope: "REGIONAL", defaultAction: { allow: {} } });
    const rules = acl.inputs.rules as {
      name: string;
      priority: number;
      statement: Record<string, { name?: string; limit?: number; aggregateKeyType?: string }>;
      visibilityConfig: { cloudwatchMetricsEnabled: boolean; sampledRequestsEnabled: boolean };
    }[];
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "rate-limit-per-ip"],
      [1, "AWSManagedRulesAmazonIpReputationList"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]);
    expect(rules[0]?.statement.rateBasedStatement).toMatchObject({ limit: 2000, aggregateKeyType: "IP" });
    for (const rule of rules.slice(1)) {
      expect(rule.statement.managedRuleGroupStatement).toMatchObject({ vendorName: "AWS", name: rule.name });
    }
    for (const rule of rules) {
      expect(rule.visibilityConfig).toMatchObject({
        cloudwatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
      });
    }
    const devLimit = (world("dev").edge.one(T.webAcl, "api-waf").inputs.rules as typeof rules)[0]?.statement
      .rateBasedStatement?.limit;
    expect(devLimit).toBe(500);
  });

  it("keeps the ALB from being bypassed: its web ACL blocks all but requests carrying the origin secret", () => {
    const w = world("prod");
    const plan = w.edge;
    const acl = plan.one(T.webAcl, "alb-waf");
    expect(acl.inputs.defaultAction).toEqual({ block: {} });
    const association = plan.one(T.association, "alb-waf-alb");
    expect(association.inputs.resourceArn).toBe(w.compute.alb.arn);
    expect(refersTo(association, "webAclArn", acl)).toBe(true);
    const rules = acl.inputs.rules as {
      name: string;
      action: unknown;
      statement: { byteMatchStatement?: unknown };
    }[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      name: "allow-from-api",
      action: { allow: {} },
      statement: {
        byteMatchStatement: {
          fieldToMatch: { singleHeader: { name: "x-origin-verify" } },
          positionalConstraint: "EXACTLY",
          searchString: "<secret>",
        },
      },
    });
    // The same password the API integrations send.
    expect(refersTo(acl, "rules", plan.one(T.password, "origin-verify"))).toBe(true);
  });

  it("allows configured operator CIDRs to reach the ALB through an IP set", async () => {
    const plan = (await planEdge("staging", { "tradai:albAllowedCidrs": '["203.0.113.0/24"]' })).edge;
    const ipSet = plan.one("aws:wafv2/ipSet:IpSet", "alb-waf-operators");
    expect(ipSet.inputs).toMatchObject({ addresses: ["203.0.113.0/24"], scope: "REGIONAL" });
    const rules = plan.one(T.webAcl, "alb-waf").inputs.rules as { name: string }[];
    expect(rules.map((r) => r.name)).toEqual(["allow-from-api", "allow-operators"]);
    expect(world("staging").edge.ofType("aws:wafv2/ipSet:IpSet")).toHaveLength(0);
  });

  it("logs both web ACLs to aws-waf-logs-* groups, redacting the token and the origin secret", () => {
    const plan = world("dev").edge;
    const redacted = (name: string) =>
      (plan.one(T.wafLogging, name).inputs.redactedFields as { singleHeader: { name: string } }[]).map(
        (f) => f.singleHeader.name,
      );
    for (const [acl, headers] of [
      ["api-waf", ["authorization"]],
      ["alb-waf", ["x-origin-verify", "authorization"]],
    ] as const) {
      const logging = plan.one(T.wafLogging, `${acl}-logging`);
      const group = plan.one(T.logGroup, `${acl}-logs`);
      expect(String(group.inputs.name)).toMatch(/^aws-waf-logs-tradai-dev-/);
      expect(refersTo(logging, "logDestinationConfigs", group)).toBe(true);
      expect(refersTo(logging, "resourceArn", plan.one(T.webAcl, acl))).toBe(true);
      expect(redacted(`${acl}-logging`)).toEqual(headers);
    }
  });
});

describe("edge layer: alarms", () => {
  const alarmsOf = (env: Environment) => world(env).edge.ofType(T.alarm);
  const find = (env: Environment, key: string) => world(env).edge.one(T.alarm, `alarms-${key}`);

  it.each(ENVIRONMENTS)("sends every alarm and its recovery to the alerts topic in %s", (env) => {
    const topic = world(env).foundation.topics.alerts.arn;
    const alarms = alarmsOf(env);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.inputs.alarmActions).toEqual([topic]);
      expect(alarm.inputs.okActions).toEqual([topic]);
      expect(["breaching", "notBreaching", "missing"]).toContain(alarm.inputs.treatMissingData);
    }
    expect([...(world(env).edge.outputs.alarms as string[])].sort()).toEqual(
      alarms.map((a) => String(a.inputs.name)).sort(),
    );
  });

  it("has a depth alarm on every dead-letter queue", () => {
    for (const env of ENVIRONMENTS) {
      const { foundation } = world(env);
      const watched = alarmsOf(env)
        .filter((a) => a.inputs.metricName === "ApproximateNumberOfMessagesVisible")
        .map((a) => {
          expect(a.inputs).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 0 });
          return (a.inputs.dimensions as { QueueName: string }).QueueName;
        });
      const dlqs = Object.values(foundation.queues).map((q) => q.dlqName);
      expect(dlqs.length).toBeGreaterThan(0);
      expect(watched.sort()).toEqual(dlqs.sort());
    }
  });

  it("has an error alarm on every Lambda function in the compute outputs", () => {
    for (const env of ENVIRONMENTS) {
      const functions = Object.values(world(env).compute.functions).map((f) => f.name);
      expect(functions).toHaveLength([...LAMBDAS].length);
      const watched = alarmsOf(env)
        .filter((a) => a.inputs.namespace === "AWS/Lambda" && a.inputs.metricName === "Errors")
        .map((a) => {
          expect(a.inputs).toMatchObject({
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            statistic: "Sum",
          });
          expect(a.inputs.treatMissingData).toBe("notBreaching");
          return (a.inputs.dimensions as { FunctionName: string }).FunctionName;
        });
      expect(watched.sort()).toEqual(functions.sort());
    }
  });

  it("watches running vs desired tasks of each trading service through Container Insights", () => {
    const w = world("prod");
    for (const svc of ["strategy-service", "dry-run-trading", "live-trading"]) {
      const alarm = find("prod", `ecs-running-below-desired-${svc}`);
      const metrics = alarmMetrics(alarm);
      expect(metrics.map((m) => m.metricName).sort()).toEqual(["DesiredTaskCount", "RunningTaskCount"]);
      for (const m of metrics) {
        expect(m).toMatchObject({
          namespace: "ECS/ContainerInsights",
          dimensions: { ClusterName: w.compute.cluster.name, ServiceName: w.compute.services[svc]?.name },
        });
      }
      expect(queriesOf(alarm).find((q) => q.expression)?.expression).toBe("desired - running");
      expect(alarm.inputs.treatMissingData).toBe("breaching");
    }
  });

  it("uses the environment's thresholds", () => {
    const threshold = (env: Environment, key: string) => find(env, key).inputs.threshold;
    expect(threshold("dev", "alb-5xx-rate")).toBe(10);
    expect(threshold("prod", "alb-5xx-rate")).toBe(1);
    expect(threshold("staging", "api-5xx-rate")).toBe(5);
    expect(threshold("dev", "rds-cpu-high")).toBe(90);
    expect(threshold("prod", "rds-cpu-high")).toBe(80);
    expect(threshold("prod", "rds-free-storage-low")).toBe(10 * 1024 ** 3);
    expect(threshold("dev", "rds-free-storage-low")).toBe(2 * 1024 ** 3);
    expect(threshold("prod", "drift-score")).toBe(0.25);
  });

  it("alarms on stale heartbeats and model drift from the TradAI namespace", () => {
    const stale = find("prod", "stale-heartbeats");
    expect(stale.inputs).toMatchObject({
      namespace: "TradAI",
      metricName: "StaleHeartbeats",
      threshold: 0,
      treatMissingData: "breaching",
    });
    const drift = queriesOf(find("prod", "drift-score"));
    expect(drift).toHaveLength(1);
    expect(drift[0]?.expression).toBe('SELECT MAX(DriftScore) FROM SCHEMA("TradAI", ModelName)');
  });

  it("computes the 5xx rates only when there is enough traffic to mean something", () => {
    const alb = queriesOf(find("prod", "alb-5xx-rate"));
    expect(alb.map((q) => q.metric?.metricName).filter(Boolean)).toEqual([
      "HTTPCode_ELB_5XX_Count",
      "HTTPCode_Target_5XX_Count",
      "RequestCount",
    ]);
    expect(alb.find((q) => q.expression)?.expression).toMatch(/^IF\(requests >= 10, 100 \* /);
  });

  it.each(ENVIRONMENTS)("names only resources that exist in the %s plan", (env) => {
    const known = existingDimensionValues(world(env), REGION);
    for (const alarm of alarmsOf(env)) {
      for (const m of alarmMetrics(alarm)) {
        for (const [dim, value] of Object.entries(m.dimensions)) {
          expect({ alarm: alarm.name, dim, value, known: known[dim]?.has(value) ?? false }).toEqual({
            alarm: alarm.name,
            dim,
            value,
            known: true,
          });
        }
      }
    }
  });
});

describe("edge layer: dashboard", () => {
  type Row = (string | Record<string, unknown>)[];
  interface Widget {
    type: string;
    properties: { metrics?: Row[]; alarms?: string[]; title?: string };
  }
  const bodyOf = (env: Environment) =>
    JSON.parse(String(world(env).edge.one(T.dashboard, "dashboard").inputs.dashboardBody)) as {
      widgets: Widget[];
    };
  /** Every metric row as namespace, name and dimensions (expressions left out). */
  const metricsOf = (env: Environment) =>
    bodyOf(env).widgets.flatMap((w) =>
      (w.properties.metrics ?? [])
        .filter((row) => typeof row[0] === "string")
        .map((row) => {
          const [namespace = "", metricName = "", ...rest] = row as string[];
          const pairs = rest.filter((x) => typeof x === "string");
          const dimensions: Record<string, string> = {};
          for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i] as string] = pairs[i + 1] as string;
          return { namespace, metricName, dimensions };
        }),
    );

  it.each(ENVIRONMENTS)("is valid JSON naming only resources that exist in the %s plan", (env) => {
    const known = existingDimensionValues(world(env), REGION);
    const metrics = metricsOf(env);
    expect(metrics.length).toBeGreaterThan(50);
    for (const m of metrics) {
      expect(m.namespace).toMatch(/^(AWS\/[A-Za-z0-9]+|TradAI)$/);
      // An AWS metric without dimensions would chart the whole account, not a resource of the platform.
      if (m.namespace.startsWith("AWS/")) expect(Object.keys(m.dimensions).length).toBeGreaterThan(0);
      for (const [dim, value] of Object.entries(m.dimensions)) {
        expect({ metric: m.metricName, dim, value, known: known[dim]?.has(value) ?? false }).toEqual({
          metric: m.metricName,
          dim,
          value,
          known: true,
        });
      }
    }
    expect(world(env).edge.one(T.dashboard, "dashboard").inputs.dashboardName).toBe(`tradai-${env}-platform`);
  });

  it("charts every service, function, queue and the platform's own metrics", () => {
    const w = world("staging");
    const metrics = metricsOf("staging");
    const has = (namespace: string, metricName: string, dim?: [string, string]) =>
      metrics.some(
        (m) =>
          m.namespace === namespace &&
          m.metricName === metricName &&
          (!dim || m.dimensions[dim[0]] === dim[1]),
      );
    for (const s of Object.values(w.compute.services)) {
      expect(has("AWS/ECS", "CPUUtilization", ["ServiceName", s.name])).toBe(true);
      expect(has("AWS/ECS", "MemoryUtilization", ["ServiceName", s.name])).toBe(true);
    }
    for (const f of Object.values(w.compute.functions)) {
      for (const metric of ["Errors", "Throttles", "Duration"]) {
        expect(has("AWS/Lambda", metric, ["FunctionName", f.name])).toBe(true);
      }
    }
    for (const q of Object.values(w.foundation.queues)) {
      expect(has("AWS/SQS", "ApproximateAgeOfOldestMessage", ["QueueName", q.name])).toBe(true);
      expect(has("AWS/SQS", "ApproximateNumberOfMessagesVisible", ["QueueName", q.dlqName])).toBe(true);
    }
    for (const metric of ["CPUUtilization", "DatabaseConnections", "FreeStorageSpace"]) {
      expect(has("AWS/RDS", metric, ["DBInstanceIdentifier", w.foundation.database.instanceId])).toBe(true);
    }
    for (const metric of ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "TargetResponseTime"]) {
      expect(has("AWS/ApplicationELB", metric, ["LoadBalancer", w.compute.alb.arnSuffix])).toBe(true);
    }
    for (const metric of ["4XXError", "5XXError", "Latency"])
      expect(has("AWS/ApiGateway", metric)).toBe(true);
    expect(has("AWS/WAFV2", "BlockedRequests", ["WebACL", "tradai-staging-api"])).toBe(true);
    for (const metric of ["StaleHeartbeats", "UnhealthyServices", "StackDrift", "OrphanedResources"]) {
      expect(has("TradAI", metric)).toBe(true);
    }
    const expressions = bodyOf("staging").widgets.flatMap((wd) =>
      (wd.properties.metrics ?? []).flatMap((row) =>
        typeof row[0] === "object" ? [String((row[0] as { expression: string }).expression)] : [],
      ),
    );
    expect(expressions.some((e) => e.includes('MetricName="DriftScore"'))).toBe(true);
  });

  it("shows the status of every alarm", () => {
    const alarms = bodyOf("prod").widgets.flatMap((wd) =>
      wd.type === "alarm" ? (wd.properties.alarms ?? []) : [],
    );
    const arns = world("prod")
      .edge.ofType(T.alarm)
      .map((a) => `arn:aws:cloudwatch:${REGION}:123456789012:alarm:${String(a.inputs.name)}`);
    expect(alarms.sort()).toEqual(arns.sort());
  });
});

describe("edge layer: contract", () => {
  it("reads the planned outputs of foundation and compute once their programs exist", () => {
    const programs = hasProgram("foundation") && hasProgram("compute");
    for (const env of ENVIRONMENTS) expect(world(env).fixtures).toBe(!programs);
  });

  it.each(ENVIRONMENTS)("exports the edge contract in %s", (env) => {
    const outputs = edgeOutputsSchema.parse(world(env).edge.outputs);
    expect(outputs.api.stageName).toBe(env);
    expect(outputs.api.url).toMatch(
      new RegExp(`^https://[a-z0-9]+\\.execute-api\\.${REGION}\\.amazonaws\\.com/${env}$`),
    );
    expect(outputs.dashboard.name).toBe(`tradai-${env}-platform`);
  });
});
