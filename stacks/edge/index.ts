/**
 * Layer 4, edge: what the internet and the operators see. The public REST API (Cognito on `/v1`) in
 * front of the ALB, the WAF web ACLs on the API stage and on the ALB, the platform dashboard and the
 * alarms that page the alerts topic. Holds no data: safe to destroy and recreate.
 */

import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  API_ACCESS,
  ApiFirewall,
  ApiGatewayLoggingRole,
  type Exports,
  edgeConfigSchema,
  initLayer,
  OperatorAlarms,
  OriginFirewall,
  PlatformDashboard,
  PublicApi,
  requireKey,
} from "@tradai/components";
import {
  type EdgeOutputs,
  foundationOutputsSchema,
  LAMBDAS,
  type LambdaName,
  TRADING_SERVICES,
} from "@tradai/contracts";
import { type AlarmTargets, platformAlarms } from "./alarm-catalog";
import { type DashboardResources, dashboardBody } from "./dashboard-body";

/** Header API Gateway adds to every forwarded request; the ALB's web ACL requires it. */
const ORIGIN_HEADER = "x-origin-verify";

export = async function edge(): Promise<Exports<EdgeOutputs>> {
  const ctx = initLayer("edge", edgeConfigSchema);
  const { config } = ctx;
  const persistent = ctx.read("persistent");
  const foundation = ctx.read("foundation");
  const compute = ctx.read("compute");
  const lambdas = LAMBDAS;
  const queueLabels = Object.keys(foundationOutputsSchema.shape.queues.shape);
  const logRetentionDays = config.logRetentionDays;

  // Origin secret: how the ALB tells traffic from the API apart from direct traffic
  const originSecret = new random.RandomPassword("origin-verify", { length: 40, special: false });
  const originHeader = { name: ORIGIN_HEADER, value: originSecret.result };
  // Over HTTPS the host must be the name the ALB's certificate covers (compute's originDomain).
  const originHost = config.albOriginHost ?? compute.alb.originHost;

  const functions = compute.apply((c) => c.functions);
  const fn = (name: string) => functions.apply((f) => requireKey(f, name, "compute output `functions`"));
  // The deployed compute may be older than this branch and not export every LAMBDAS function yet: its
  // alarm then watches the name compute will give it (ctx.name, as compute names it) and fires nothing
  // until it exists, instead of failing the edge update.
  const functionName = (name: LambdaName) => functions.apply((f) => f[name]?.name ?? ctx.name(name));

  // Public API
  const logging = config.manageApiGatewayAccount
    ? new ApiGatewayLoggingRole("api-logging", { roleName: ctx.name("apigw-cloudwatch") }, ctx.opts)
    : undefined;
  const api = new PublicApi(
    "api",
    {
      apiName: ctx.name("api"),
      stageName: ctx.env,
      originUrl: pulumi.interpolate`${compute.alb.protocol}://${originHost}`,
      originHeader,
      userPoolArn: persistent.cognito.userPoolArn,
      authorizationScopes: API_ACCESS.scopes,
      // The spec's data-collection proxy: POST /v1/collect with a collection request as the JSON body.
      functionRoutes: [
        {
          key: "collect",
          pathPart: "collect",
          httpMethod: "POST",
          functionName: fn("data-collection-proxy").name,
          functionArn: fn("data-collection-proxy").arn,
        },
      ],
      throttleRateLimit: config.apiThrottleRateLimit,
      throttleBurstLimit: config.apiThrottleBurstLimit,
      loggingLevel: config.apiLoggingLevel,
      tracing: config.apiTracing,
      logRetentionDays,
      ...(logging ? { loggingRole: logging.account } : {}),
    },
    ctx.opts,
  );

  // Web ACLs: managed rules on the API stage; the ALB only accepts what the API forwarded
  const apiWaf = new ApiFirewall(
    "api-waf",
    {
      aclName: ctx.name("api"),
      rateLimit: config.wafRateLimit,
      commonRuleSetCountRules: config.wafCountRules,
      protect: { stage: api.stage.arn },
      logGroupName: `aws-waf-logs-${ctx.name("api")}`,
      logRetentionDays,
    },
    ctx.opts,
  );
  const albWaf = new OriginFirewall(
    "alb-waf",
    {
      aclName: ctx.name("alb-origin"),
      loadBalancerArn: compute.alb.arn,
      originHeader,
      allowedCidrs: config.albAllowedCidrs,
      logGroupName: `aws-waf-logs-${ctx.name("alb-origin")}`,
      logRetentionDays,
    },
    ctx.opts,
  );

  // Alarms to the alerts topic
  const targets: AlarmTargets = {
    functions: Object.fromEntries(lambdas.map((name) => [name, functionName(name)])),
    deadLetterQueues: Object.fromEntries(
      queueLabels.map((q) => [
        q,
        foundation.apply(
          (f) => requireKey<{ dlqName: string }>(f.queues, q, "foundation output `queues`").dlqName,
        ),
      ]),
    ),
    loadBalancerArnSuffix: compute.alb.arnSuffix,
    api: { name: api.restApi.name, stage: api.stage.stageName },
    databaseInstanceId: foundation.database.instanceId,
    cluster: compute.cluster.name,
    tradingServices: Object.fromEntries(
      TRADING_SERVICES.map((svc) => [
        svc,
        compute.apply((c) => requireKey(c.services, svc, "compute output `services`").name),
      ]),
    ),
  };
  const alarms = new OperatorAlarms(
    "alarms",
    {
      namePrefix: ctx.name("alarm"),
      topicArn: foundation.topics.alerts.arn,
      specs: platformAlarms(targets, config),
    },
    ctx.opts,
  );

  // Dashboard
  const resources: pulumi.Output<DashboardResources> = pulumi
    .all([
      compute,
      foundation,
      functions,
      api.restApi.name,
      api.stage.stageName,
      apiWaf.webAcl.name,
      albWaf.webAcl.name,
      alarms.arns,
    ])
    .apply(([c, f, fns, apiName, stage, apiAcl, albAcl, alarmArns]) => ({
      region: ctx.region,
      cluster: c.cluster.name,
      services: Object.fromEntries(Object.entries(c.services).map(([k, s]) => [k, s.name])),
      alb: {
        arnSuffix: c.alb.arnSuffix,
        targetGroups: Object.fromEntries(
          Object.entries(c.alb.targetGroups).map(([k, tg]) => [k, tg.arnSuffix]),
        ),
      },
      functions: Object.fromEntries(Object.entries(fns).map(([k, fn]) => [k, fn.name])),
      queues: Object.fromEntries(
        Object.entries(f.queues).map(([k, q]) => [k, { name: q.name, dlqName: q.dlqName }]),
      ),
      databaseInstanceId: f.database.instanceId,
      api: { name: apiName, stage },
      webAcls: [apiAcl, albAcl],
      alarmArns,
    }));
  const dashboard = new PlatformDashboard(
    "dashboard",
    { dashboardName: ctx.name("platform"), body: resources.apply(dashboardBody) },
    ctx.opts,
  );

  return {
    api: pulumi.output({
      id: api.restApi.id,
      stageName: api.stage.stageName,
      stageArn: api.stage.arn,
      url: api.url,
    }),
    waf: pulumi.output({ webAclArn: apiWaf.webAcl.arn }),
    dashboard: pulumi.output({ name: dashboard.name }),
    alarms: alarms.names,
  };
};
