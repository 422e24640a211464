/**
 * Layer 1, persistent: everything that holds data and outlives the other layers. Never destroyed in
 * prod (deletion protection, `protect` and retain on delete on every data resource).
 */

import * as pulumi from "@pulumi/pulumi";
import {
  AuditTrail,
  cloudTrailBucketStatements,
  DataTable,
  type Exports,
  ImageRepository,
  initLayer,
  PackageRepository,
  persistentConfigSchema,
  SecureBucket,
  UserDirectory,
} from "@tradai/components";
import { LAMBDAS, type PersistentOutputs, SERVICE_IMAGES, type ServiceImage } from "@tradai/contracts";

export = async function persistent(): Promise<Exports<PersistentOutputs>> {
  const ctx = initLayer("persistent", persistentConfigSchema);
  const { config } = ctx;
  const protectData = config.protectData;
  const bucketName = (logical: string) => pulumi.interpolate`${ctx.name(logical)}-${ctx.accountId}`;

  // Buckets
  const marketData = new SecureBucket(
    "market-data",
    {
      bucketName: bucketName("market-data"),
      protectData,
      lifecycleRules: [{ id: "infrequent-access", infrequentAccessAfterDays: config.marketDataIaDays }],
    },
    ctx.opts,
  );
  const artifacts = new SecureBucket(
    "artifacts",
    {
      bucketName: bucketName("artifacts"),
      protectData,
      lifecycleRules: [
        { id: "noncurrent-versions", noncurrentExpireAfterDays: config.artifactRetentionDays },
      ],
    },
    ctx.opts,
  );
  const auditLogs = new SecureBucket(
    "audit-logs",
    {
      bucketName: bucketName("audit-logs"),
      protectData,
      lifecycleRules: [
        { id: "retention", expireAfterDays: config.auditLogRetentionDays, noncurrentExpireAfterDays: 30 },
      ],
      policyStatements: (arn) => cloudTrailBucketStatements(arn, ctx.accountId),
    },
    ctx.opts,
  );

  // Tables (keys: docs/runtime-contracts.md)
  const table = (logical: string, args: Omit<ConstructorParameters<typeof DataTable>[1], "tableName">) =>
    new DataTable(
      logical,
      { tableName: ctx.name(logical), protectData, pointInTimeRecovery: config.pointInTimeRecovery, ...args },
      ctx.opts,
    );
  const jobs = table("jobs", {
    hashKey: { name: "jobId", type: "S" },
    globalIndexes: [{ name: "status-index", hashKey: "status", rangeKey: "updatedAt" }],
    indexAttributes: { status: "S", updatedAt: "S" },
    ttlAttribute: "expiresAt",
  });
  const heartbeats = table("heartbeats", {
    hashKey: { name: "serviceId", type: "S" },
    ttlAttribute: "expiresAt",
  });
  // One lease item per trading service (`leaseId` = service id): an instance trades only while holding it.
  const tradingLeases = table("trading-leases", {
    hashKey: { name: "leaseId", type: "S" },
    ttlAttribute: "expiresAt",
  });
  const strategies = table("strategies", { hashKey: { name: "strategyId", type: "S" } });
  const modelDeployments = table("model-deployments", {
    hashKey: { name: "modelName", type: "S" },
    rangeKey: { name: "deployedAt", type: "S" },
  });
  const idempotency = table("idempotency", {
    hashKey: { name: "id", type: "S" },
    ttlAttribute: "expiration",
  });

  // Image repositories: base, one per discovered Lambda, one per service, build cache
  const repository = (logical: string, repositoryName: string) =>
    new ImageRepository(
      logical,
      { repositoryName, keepImages: config.ecrKeepImages, untaggedDays: config.ecrUntaggedDays, protectData },
      ctx.opts,
    );
  const lambdaBase = repository("ecr-lambda-base", `tradai/${ctx.env}/lambda-base`);
  const buildCache = repository("ecr-build-cache", `tradai/${ctx.env}/build-cache`);
  const lambdaRepos = Object.fromEntries(
    LAMBDAS.map((fn) => [fn, repository(`ecr-lambda-${fn}`, `tradai/${ctx.env}/lambda-${fn}`)]),
  );
  const serviceRepos = Object.fromEntries(
    SERVICE_IMAGES.map((svc) => [svc, repository(`ecr-${svc}`, `tradai/${ctx.env}/${svc}`)]),
  ) as Record<ServiceImage, ImageRepository>;

  // Users, audit trail, packages
  const users = new UserDirectory(
    "users",
    {
      poolName: ctx.name("users"),
      // Hosted sign-in (authorization code + PKCE) for the web app; the account id keeps it globally unique.
      domainPrefix: pulumi.interpolate`${ctx.name("signin")}-${ctx.accountId}`,
      callbackUrls: config.cognitoCallbackUrls,
      logoutUrls: config.cognitoLogoutUrls,
      mfa: config.mfa,
      protectData,
    },
    ctx.opts,
  );
  const trail = new AuditTrail(
    "audit",
    { trailName: ctx.name("audit"), bucketName: auditLogs.name, bucketPolicy: auditLogs.policy },
    ctx.opts,
  );
  const packages = new PackageRepository(
    "packages",
    { domainName: ctx.name("packages"), npmUpstream: config.codeartifactNpmUpstream, protectData },
    ctx.opts,
  );

  const named = (r: { name: pulumi.Output<string>; arn: pulumi.Output<string> }) =>
    pulumi.output({ name: r.name, arn: r.arn });
  const repo = (r: ImageRepository) => pulumi.output({ name: r.name, arn: r.arn, url: r.url });
  type Repo = PersistentOutputs["ecr"]["lambdaBase"];
  const mapRepos = <K extends string>(repos: Record<K, ImageRepository>) =>
    pulumi.output(
      Object.fromEntries(Object.entries<ImageRepository>(repos).map(([k, r]) => [k, repo(r)])),
    ) as unknown as pulumi.Output<Record<K, Repo>>;

  return {
    buckets: pulumi.output({
      marketData: named(marketData),
      artifacts: named(artifacts),
      auditLogs: named(auditLogs),
    }),
    tables: pulumi.output({
      jobs: named(jobs),
      heartbeats: named(heartbeats),
      tradingLeases: named(tradingLeases),
      strategies: named(strategies),
      modelDeployments: named(modelDeployments),
      idempotency: named(idempotency),
    }),
    ecr: pulumi.output({
      registry: pulumi.interpolate`${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com`,
      lambdaBase: repo(lambdaBase),
      buildCache: repo(buildCache),
      lambdas: mapRepos(lambdaRepos),
      services: mapRepos(serviceRepos),
    }),
    cognito: pulumi.output({
      userPoolId: users.pool.id,
      userPoolArn: users.pool.arn,
      issuer: users.issuer,
      clientId: users.client.id,
    }),
    codeartifact: pulumi.output({
      domain: packages.domain.domain,
      domainOwner: packages.domain.owner,
      repository: packages.repository.repository,
    }),
    cloudtrail: pulumi.output({ trailArn: trail.trail.arn }),
  };
};
