/**
 * Layer contracts: the exact shape each layer exports. A layer's program returns
 * `Exports<LayerOutputs[layer]>`, and the next layer reads it back through {@link readLayer}, validated by
 * the same schema, so a missing or renamed output fails at the reader's program start, naming the key.
 */
import { z } from "zod";
import { SERVICE_IMAGES } from "./platform";

const named = z.object({ name: z.string(), arn: z.string() });
const repository = z.object({ name: z.string(), arn: z.string(), url: z.string() });
const byServiceImage = <T extends z.ZodType>(item: T) => z.record(z.enum(SERVICE_IMAGES), item);

export const persistentOutputsSchema = z.object({
  buckets: z.object({ marketData: named, artifacts: named, auditLogs: named }),
  tables: z.object({
    jobs: named,
    heartbeats: named,
    /** The trading leases (services/strategy-service/src/modes/lease.ts). */
    tradingLeases: named,
    strategies: named,
    modelDeployments: named,
    idempotency: named,
  }),
  ecr: z.object({
    registry: z.string(),
    lambdaBase: repository,
    buildCache: repository,
    /** One repository per discovered Lambda, keyed by Lambda name. */
    lambdas: z.record(z.string(), repository),
    services: byServiceImage(repository),
  }),
  cognito: z.object({
    userPoolId: z.string(),
    userPoolArn: z.string(),
    /** JWT issuer URL (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
    issuer: z.string(),
    clientId: z.string(),
  }),
  codeartifact: z.object({ domain: z.string(), domainOwner: z.string(), repository: z.string() }),
  cloudtrail: z.object({ trailArn: z.string() }),
});

const queue = z.object({
  name: z.string(),
  arn: z.string(),
  url: z.string(),
  dlqName: z.string(),
  dlqArn: z.string(),
  dlqUrl: z.string(),
});

export const foundationOutputsSchema = z.object({
  network: z.object({
    vpcId: z.string(),
    vpcCidr: z.string(),
    availabilityZones: z.array(z.string()),
    publicSubnetIds: z.array(z.string()),
    privateSubnetIds: z.array(z.string()),
    isolatedSubnetIds: z.array(z.string()),
    privateRouteTableIds: z.array(z.string()),
    natMode: z.enum(["instance", "gateway"]),
  }),
  securityGroups: z.object({
    alb: z.string(),
    services: z.string(),
    lambdas: z.string(),
    database: z.string(),
    nat: z.string().optional(),
  }),
  database: z.object({
    instanceId: z.string(),
    arn: z.string(),
    address: z.string(),
    port: z.number(),
    dbName: z.string(),
    /** Secrets Manager secret RDS manages for the master user. */
    masterSecretArn: z.string(),
  }),
  queues: z.object({ backtestJobs: queue, backtestResults: queue }),
  topics: z.object({ alerts: named, notifications: named }),
});

const fn = z.object({ name: z.string(), arn: z.string() });
const targetGroup = z.object({ arn: z.string(), arnSuffix: z.string() });

export const computeOutputsSchema = z.object({
  cluster: z.object({ name: z.string(), arn: z.string() }),
  namespace: z.object({ id: z.string(), name: z.string() }),
  alb: z.object({
    arn: z.string(),
    arnSuffix: z.string(),
    dnsName: z.string(),
    zoneId: z.string(),
    listenerArn: z.string(),
    /** `http` or `https`: what the API in front of the ALB talks to it with. */
    protocol: z.enum(["http", "https"]),
    /** The hostname API Gateway calls the ALB by: the certificate's name over HTTPS, else its DNS name. */
    originHost: z.string(),
    targetGroups: z.object({ backendApi: targetGroup, mlflow: targetGroup }),
  }),
  /** ECS service names keyed by the spec's service name (backend-api, ..., live-trading). */
  services: z.record(z.string(), z.object({ name: z.string() })),
  /** Lambda functions keyed by Lambda name. */
  functions: z.record(z.string(), fn),
  stateMachine: z.object({ name: z.string(), arn: z.string() }),
  /** Image references (`repo@sha256:...`) deployed by this stack. */
  images: z.object({
    base: z.string(),
    lambdas: z.record(z.string(), z.string()),
    services: z.record(z.enum(SERVICE_IMAGES), z.string()),
  }),
  /** Recorded releases (compute/image-release.ts): the latest, and the image digests each one shipped. */
  // Optional for readers: no other layer consumes it.
  release: z
    .object({
      latest: z.string().nullable(),
      releases: z.record(z.string(), z.record(z.string(), z.string())),
    })
    .optional(),
});

export const edgeOutputsSchema = z.object({
  api: z.object({ id: z.string(), stageName: z.string(), stageArn: z.string(), url: z.string() }),
  waf: z.object({ webAclArn: z.string() }),
  dashboard: z.object({ name: z.string() }),
  alarms: z.array(z.string()),
});

export const LAYER_OUTPUT_SCHEMAS = {
  persistent: persistentOutputsSchema,
  foundation: foundationOutputsSchema,
  compute: computeOutputsSchema,
  edge: edgeOutputsSchema,
} as const;

export type PersistentOutputs = z.infer<typeof persistentOutputsSchema>;
export type FoundationOutputs = z.infer<typeof foundationOutputsSchema>;
export type ComputeOutputs = z.infer<typeof computeOutputsSchema>;
export type EdgeOutputs = z.infer<typeof edgeOutputsSchema>;

export interface LayerOutputs {
  persistent: PersistentOutputs;
  foundation: FoundationOutputs;
  compute: ComputeOutputs;
  edge: EdgeOutputs;
}
