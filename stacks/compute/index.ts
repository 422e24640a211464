/**
 * Layer 3, compute: every image (built and pushed inside this graph), the ECS cluster and services behind
 * the ALB, the backtest and training tasks, the Lambda functions with their triggers, and the retraining
 * workflow. Reads persistent and foundation through their contracts.
 */

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ContainerFunction,
  computeConfigSchema,
  currentStackName,
  desiredCounts,
  type Exports,
  FargateService,
  FargateTask,
  ImageRelease,
  initLayer,
  LoadBalancer,
  ModelRollbackAlarm,
  OriginCertificate,
  originTls,
  PlatformImages,
  parseReleaseState,
  RedeployOnRotation,
  RetrainingWorkflow,
  ServiceCluster,
  STOP_BEFORE_START,
  stackSource,
} from "@tradai/components";
import {
  type ComputeOutputs,
  ConfigError,
  cloudMapNamespace,
  ECS_SERVICE_NAMES,
  type EcsServiceName,
  LAMBDAS,
  LAYERS,
  MLFLOW_PATH_PREFIX,
  mlflowTrackingUri,
  SERVICE_PORTS,
  serviceUrl,
  TRADING_SERVICES,
} from "@tradai/contracts";
import { functionCatalog } from "./catalog/functions";
import { serviceCatalog, taskCatalog } from "./catalog/services";

export = async function compute(): Promise<Exports<ComputeOutputs>> {
  const ctx = initLayer("compute", computeConfigSchema);
  const { config, env } = ctx;
  const persistent = ctx.read("persistent");
  const foundation = ctx.read("foundation");
  // LAMBDAS (@tradai/contracts) drives the functions; the catalog must have an entry for each (typed).
  const lambdaNames = LAMBDAS;
  const namespace = cloudMapNamespace(env);
  const tls = originTls(env, config);
  if (tls.kind === "invalid") throw new ConfigError(stackSource(currentStackName()), tls.problems);

  // Images: bundled from this checkout's sources, then built with contexts relative to this directory.
  const images = new PlatformImages(
    "images",
    {
      ecr: persistent.ecr,
      lambdas: [...lambdaNames],
      programDir: __dirname,
      registryCache: config.imageRegistryCache,
      buildOnPreview: config.buildOnPreview,
    },
    ctx.opts,
  );
  // Releases: recorded and tagged in ECR from this stack's own previous outputs, never an image input.
  const self = new pulumi.StackReference("compute-previous-outputs", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const release = new ImageRelease(
    "release",
    {
      tag: config.releaseTag,
      previous: self.getOutput("release").apply(parseReleaseState),
      images: {
        "lambda-base": images.base,
        ...Object.fromEntries(Object.entries(images.lambdas).map(([fn, i]) => [`lambda-${fn}`, i])),
        ...images.services,
      },
    },
    ctx.opts,
  );

  // Cluster and load balancer (HTTPS for the API's origin outside dev)
  const certificate =
    tls.kind === "https" && !tls.certificateArn && tls.zone
      ? new OriginCertificate("origin-cert", { domainName: tls.domain, zoneName: tls.zone }, ctx.opts)
      : undefined;
  const cluster = new ServiceCluster(
    "cluster",
    { clusterName: ctx.name("cluster"), namespaceName: namespace, vpcId: foundation.network.vpcId },
    ctx.opts,
  );
  const alb = new LoadBalancer(
    "alb",
    {
      lbName: ctx.name("alb", { maxLength: 32 }),
      vpcId: foundation.network.vpcId,
      publicSubnetIds: foundation.network.publicSubnetIds,
      securityGroupId: foundation.securityGroups.alb,
      targets: {
        backendApi: { port: SERVICE_PORTS.backend, paths: ["/*"], priority: 100 },
        mlflow: {
          port: SERVICE_PORTS.mlflow,
          paths: [MLFLOW_PATH_PREFIX, `${MLFLOW_PATH_PREFIX}/*`],
          healthPath: `${MLFLOW_PATH_PREFIX}/health`,
          priority: 10,
        },
      },
      ...(tls.kind === "https"
        ? {
            certificateArn: tls.certificateArn ?? certificate?.certificateArn,
            ...(tls.zone
              ? {
                  domain: {
                    name: tls.domain,
                    zoneId:
                      certificate?.zoneId ??
                      aws.route53.getZoneOutput({ name: tls.zone, privateZone: false }).zoneId,
                  },
                }
              : {}),
          }
        : {}),
      deletionProtection: config.albDeletionProtection,
      accessLogBucketName: pulumi.interpolate`${ctx.name("alb-logs")}-${ctx.accountId}`,
      protectLogs: config.protectAccessLogs,
    },
    ctx.opts,
  );

  // ECS services and one-off tasks
  const serviceRefs = {
    env,
    persistent,
    foundation,
    albDnsName: alb.lb.dnsName,
    namespace,
    region: ctx.region,
    accountId: ctx.accountId,
    // Known from its name: the services need not wait for the functions.
    validateStrategyFunctionName: ctx.name("validate-strategy"),
    // The trading services run the first retraining model's strategy.
    tradingModel: config.retrainingModels[0]?.modelName ?? "strategy-ranker",
    liveOrderQuoteAmount: config.liveOrderQuoteAmount,
  };
  const counts = desiredCounts(env, config.desiredCounts);
  const taskBase = (name: string) => ({
    family: ctx.name(name),
    containerName: name,
    logGroupName: `/ecs/${ctx.name(name)}`,
    logRetentionDays: config.logRetentionDays,
  });
  const specs = serviceCatalog(serviceRefs);
  for (const svc of ECS_SERVICE_NAMES) {
    if (specs[svc].singleton && counts[svc] > 1) {
      throw new ConfigError(currentStackName(), [
        {
          key: "tradai:desiredCounts",
          message: `${svc} runs at most one task (a second would trade too), got ${counts[svc]}`,
        },
      ]);
    }
  }
  const services = Object.fromEntries(
    ECS_SERVICE_NAMES.map((svc) => {
      const spec = specs[svc];
      return [
        svc,
        new FargateService(
          svc,
          {
            serviceName: ctx.name(svc),
            clusterArn: cluster.cluster.arn,
            task: { ...taskBase(svc), ...spec, image: images.services[spec.image].ref },
            desiredCount: counts[svc],
            subnetIds: foundation.network.privateSubnetIds,
            securityGroupIds: [foundation.securityGroups.services],
            namespaceId: cluster.namespace.id,
            discoveryName: svc,
            targetGroupArn: spec.target ? alb.targetGroups[spec.target]?.arn : undefined,
            spot: config.fargateSpot && spec.spotEligible,
            ...(spec.singleton ? { deployment: STOP_BEFORE_START } : {}),
          },
          { ...ctx.opts, dependsOn: [alb] },
        ),
      ];
    }),
  ) as Record<EcsServiceName, FargateService>;
  for (const svc of ECS_SERVICE_NAMES) {
    const secretArn = specs[svc].redeployOnRotation;
    if (!secretArn) continue;
    new RedeployOnRotation(
      `${svc}-secret-rotation`,
      {
        secretArn,
        clusterArn: cluster.cluster.arn,
        // An ECS service's id is its ARN.
        service: { name: services[svc].service.name, arn: services[svc].service.id },
        stateMachineName: ctx.name(`${svc}-redeploy`),
        logRetentionDays: config.logRetentionDays,
      },
      ctx.opts,
    );
  }
  const oneOff = taskCatalog(serviceRefs);
  const [backtest, training] = (["backtest", "training"] as const).map(
    (kind) =>
      new FargateTask(
        `${kind}-task`,
        {
          ...taskBase(kind),
          ...oneOff[kind],
          containerName: "strategy-service",
          image: images.services["strategy-service"].ref,
        },
        ctx.opts,
      ),
  ) as [FargateTask, FargateTask];

  // Lambda functions
  const stateMachineName = ctx.name("retraining");
  const catalog = functionCatalog({
    env,
    region: ctx.region,
    accountId: ctx.accountId,
    config,
    persistent,
    foundation,
    clusterName: cluster.cluster.name,
    clusterArn: cluster.cluster.arn,
    backtestTask: {
      familyArn: backtest.taskDefinition.arnWithoutRevision,
      roleArns: [backtest.taskRole.arn, backtest.executionRole.arn],
      containerName: "strategy-service",
    },
    // Known from its name, so the scheduler need not wait for the workflow that invokes the others.
    stateMachineArn: pulumi.interpolate`arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${stateMachineName}`,
    mlflowUrl: pulumi.output(mlflowTrackingUri(namespace)),
    dataCollectionUrl: pulumi.output(
      serviceUrl("data-collection", namespace, SERVICE_PORTS["data-collection"]),
    ),
    monitoredServices: pulumi.output(
      JSON.stringify(
        ECS_SERVICE_NAMES.map((svc) => {
          const port = specs[svc].port;
          const base =
            svc === "mlflow" ? mlflowTrackingUri(namespace) : port && serviceUrl(svc, namespace, port);
          return base ? { service: ctx.name(svc), healthUrl: `${base}/health` } : { service: ctx.name(svc) };
        }),
      ),
    ),
    stateBackendUrl: pulumi.interpolate`s3://tradai-pulumi-state-${ctx.accountId}`,
    pulumiStacks: JSON.stringify(LAYERS.map((layer) => ({ layer, stack: env }))),
    expectedHeartbeats: TRADING_SERVICES.filter((svc) => svc !== "strategy-service" && counts[svc] > 0),
  });
  const functions = Object.fromEntries(
    lambdaNames.map((fn) => {
      const spec = catalog[fn];
      const image = images.lambdas[fn];
      if (!image) throw new Error(`no image for ${fn}`);
      return [
        fn,
        new ContainerFunction(
          fn,
          {
            functionName: ctx.name(fn),
            description: spec.description,
            imageRef: image.ref,
            timeoutSeconds: spec.timeoutSeconds,
            memoryMb: spec.memoryMb ?? config.lambdaMemoryMb,
            ephemeralStorageMb: spec.ephemeralStorageMb,
            environment: { POWERTOOLS_SERVICE_NAME: fn, ...spec.environment },
            permissions: spec.permissions,
            managedPolicyArns: spec.managedPolicyArns,
            vpc: spec.vpc
              ? {
                  subnetIds: foundation.network.privateSubnetIds,
                  securityGroupIds: [foundation.securityGroups.lambdas],
                }
              : undefined,
            trigger: spec.trigger,
            logRetentionDays: config.logRetentionDays,
          },
          ctx.opts,
        ),
      ];
    }),
  ) as Record<string, ContainerFunction>;

  // model-rollback's automatic trigger: the traded model's live drawdown (manual invocation stays)
  const rollbackFn = functions["model-rollback"];
  if (!rollbackFn)
    throw new Error("the rollback alarm needs the model-rollback Lambda (lambdas/model-rollback)");
  new ModelRollbackAlarm(
    `rollback-${serviceRefs.tradingModel}`,
    {
      alarmName: ctx.name(["rollback", serviceRefs.tradingModel]),
      modelName: serviceRefs.tradingModel,
      mode: counts["live-trading"] > 0 ? "live" : "dry-run",
      maxDrawdown: config.rollbackMaxDrawdown,
      functionName: rollbackFn.function.name,
      functionArn: rollbackFn.function.arn,
    },
    ctx.opts,
  );

  // Retraining workflow
  const fnArn = (name: string) => {
    const fn = functions[name];
    if (!fn) throw new Error(`the retraining workflow needs the ${name} Lambda (lambdas/${name})`);
    return fn.function.arn;
  };
  const workflow = new RetrainingWorkflow(
    "retraining",
    {
      stateMachineName,
      functions: {
        updateStatus: fnArn("update-status"),
        checkRetrainingNeeded: fnArn("check-retraining-needed"),
        compareModels: fnArn("compare-models"),
        promoteModel: fnArn("promote-model"),
        notifyCompletion: fnArn("notify-completion"),
      },
      training: {
        clusterArn: cluster.cluster.arn,
        taskDefinitionArn: training.taskDefinition.arn,
        containerName: "strategy-service",
        subnetIds: foundation.network.privateSubnetIds,
        securityGroupIds: foundation.securityGroups.services.apply((id) => [id]),
      },
      trainingRoleArns: [training.taskRole.arn, training.executionRole.arn],
      logRetentionDays: config.logRetentionDays,
    },
    ctx.opts,
  );

  const record = <T, V>(entries: [string, T][], map: (value: T) => V) =>
    Object.fromEntries(entries.map(([key, value]) => [key, map(value)]));
  return {
    cluster: pulumi.output({ name: cluster.cluster.name, arn: cluster.cluster.arn }),
    namespace: pulumi.output({ id: cluster.namespace.id, name: cluster.namespace.name }),
    alb: pulumi.output({
      arn: alb.lb.arn,
      arnSuffix: alb.lb.arnSuffix,
      dnsName: alb.lb.dnsName,
      zoneId: alb.lb.zoneId,
      listenerArn: alb.listener.arn,
      protocol: alb.protocol,
      originHost: alb.host,
      targetGroups: {
        backendApi: {
          arn: alb.targetGroups.backendApi?.arn ?? "",
          arnSuffix: alb.targetGroups.backendApi?.arnSuffix ?? "",
        },
        mlflow: {
          arn: alb.targetGroups.mlflow?.arn ?? "",
          arnSuffix: alb.targetGroups.mlflow?.arnSuffix ?? "",
        },
      },
    }),
    services: pulumi.output(record(Object.entries(services), (s) => ({ name: s.service.name }))),
    functions: pulumi.output(
      record(Object.entries(functions), (f) => ({ name: f.function.name, arn: f.function.arn })),
    ),
    stateMachine: pulumi.output({ name: workflow.stateMachine.name, arn: workflow.stateMachine.arn }),
    images: pulumi.output({
      base: images.base.ref,
      lambdas: record(Object.entries(images.lambdas), (i) => i.ref),
      services: record(Object.entries(images.services), (i) => i.ref),
      // Keys are the discovered Lambdas and SERVICE_IMAGES by construction.
    }) as unknown as pulumi.Output<ComputeOutputs["images"]>,
    release: release.state,
  };
};
