/**
 * Layer 2, foundation: the network (VPC, subnets, NAT, gateway endpoints, flow logs), the security
 * groups, the MLflow database, the work queues and the notification topics. Reads the persistent layer
 * (its tables bound the DynamoDB endpoint).
 */

import * as pulumi from "@pulumi/pulumi";
import {
  Database,
  dynamodbEndpointPolicy,
  type Exports,
  FlowLogs,
  foundationConfigSchema,
  initLayer,
  NatGateways,
  NatInstance,
  Network,
  NotificationTopic,
  SecurityGroups,
  s3EndpointPolicy,
  TopicKey,
  WorkQueue,
} from "@tradai/components";
import type { FoundationOutputs } from "@tradai/contracts";

export = async function foundation(): Promise<Exports<FoundationOutputs>> {
  const ctx = initLayer("foundation", foundationConfigSchema);
  const { config } = ctx;
  const persistent = ctx.read("persistent");

  // Network
  const network = new Network(
    "network",
    {
      baseName: ctx.name([]),
      vpcCidr: config.vpcCidr,
      azCount: config.azCount,
      s3EndpointPolicy: s3EndpointPolicy(ctx.accountId, ctx.region),
      dynamodbEndpointPolicy: dynamodbEndpointPolicy(
        persistent.apply((p) => Object.values(p.tables).map((t) => t.arn)),
      ),
    },
    ctx.opts,
  );
  new FlowLogs(
    "flow-logs",
    {
      vpcId: network.vpc.id,
      logGroupName: `/tradai/${ctx.env}/vpc-flow-logs`,
      roleName: ctx.name("vpc-flow-logs"),
      retentionDays: config.flowLogRetentionDays,
      trafficType: config.flowLogTrafficType,
    },
    ctx.opts,
  );
  const publicSubnetIds = network.publicSubnets.map((s) => s.id);
  const privateRouteTableIds = network.privateRouteTables.map((rt) => rt.id);
  const nat =
    config.natMode === "instance"
      ? new NatInstance(
          "nat",
          {
            groupName: ctx.name("nat"),
            vpcId: network.vpc.id,
            publicSubnetIds,
            privateCidrs: network.layout.private,
            privateRouteTableIds,
            instanceType: config.natInstanceType,
            logRetentionDays: config.logRetentionDays,
          },
          ctx.opts,
        )
      : new NatGateways(
          "nat",
          {
            baseName: ctx.name([]),
            publicSubnetIds,
            privateRouteTableIds,
            internetGateway: network.internetGateway,
          },
          ctx.opts,
        );

  // Security groups and the MLflow database
  const groups = new SecurityGroups(
    "security-groups",
    { vpcId: network.vpc.id, baseName: ctx.name([]) },
    ctx.opts,
  );
  const database = new Database(
    "mlflow-db",
    {
      identifier: ctx.name("mlflow"),
      subnetIds: network.isolatedSubnets.map((s) => s.id),
      securityGroupId: groups.database.id,
      instanceClass: config.dbInstanceClass,
      engineMajorVersion: config.dbEngineVersion,
      allocatedStorage: config.dbAllocatedStorage,
      maxAllocatedStorage: config.dbMaxAllocatedStorage,
      backupRetentionDays: config.dbBackupRetentionDays,
      multiAz: config.dbMultiAz,
      protect: config.dbProtect,
      performanceInsights: config.dbPerformanceInsights,
      dbName: config.dbName,
      masterUsername: config.dbMasterUsername,
      logRetentionDays: config.logRetentionDays,
    },
    ctx.opts,
  );

  // Queues (docs/runtime-contracts.md) and topics
  const queue = (logical: string) =>
    new WorkQueue(
      logical,
      {
        queueName: ctx.name(logical),
        maxReceiveCount: config.queueMaxReceiveCount,
        visibilityTimeoutSeconds: 6 * config.queueConsumerTimeoutSeconds,
        retentionSeconds: config.queueRetentionSeconds,
      },
      ctx.opts,
    );
  const backtestJobs = queue("backtest-jobs");
  const backtestResults = queue("backtest-results");
  const topicKey = new TopicKey("topic-key", { aliasName: ctx.name("sns") }, ctx.opts);
  const alerts = new NotificationTopic(
    "alerts",
    {
      topicName: ctx.name("alerts"),
      kmsKeyId: topicKey.arn,
      emailSubscriptions: config.alertEmail ? [config.alertEmail] : [],
    },
    ctx.opts,
  );
  const notifications = new NotificationTopic(
    "notifications",
    { topicName: ctx.name("notifications"), kmsKeyId: topicKey.arn },
    ctx.opts,
  );

  const queueOutputs = (q: WorkQueue) =>
    pulumi.output({
      name: q.queue.name,
      arn: q.queue.arn,
      url: q.queue.url,
      dlqName: q.deadLetterQueue.name,
      dlqArn: q.deadLetterQueue.arn,
      dlqUrl: q.deadLetterQueue.url,
    });
  const ids = (resources: { id: pulumi.Output<string> }[]) => pulumi.all(resources.map((r) => r.id));

  return {
    network: pulumi.output({
      vpcId: network.vpc.id,
      vpcCidr: config.vpcCidr,
      availabilityZones: network.availabilityZones,
      publicSubnetIds: ids(network.publicSubnets),
      privateSubnetIds: ids(network.privateSubnets),
      isolatedSubnetIds: ids(network.isolatedSubnets),
      privateRouteTableIds: ids(network.privateRouteTables),
      natMode: config.natMode,
    }),
    securityGroups: pulumi.output({
      alb: groups.alb.id,
      services: groups.services.id,
      lambdas: groups.lambdas.id,
      database: groups.database.id,
      ...(nat instanceof NatInstance ? { nat: nat.securityGroup.id } : {}),
    }),
    database: pulumi.output({
      instanceId: database.instance.identifier,
      arn: database.instance.arn,
      address: database.instance.address,
      port: database.instance.port,
      dbName: config.dbName,
      masterSecretArn: database.masterSecretArn,
    }),
    queues: pulumi.output({
      backtestJobs: queueOutputs(backtestJobs),
      backtestResults: queueOutputs(backtestResults),
    }),
    topics: pulumi.output({
      alerts: pulumi.output({ name: alerts.name, arn: alerts.arn }),
      notifications: pulumi.output({ name: notifications.name, arn: notifications.arn }),
    }),
  };
};
