import { ENVIRONMENTS, LAMBDAS, SERVICE_IMAGES } from "@tradai/contracts";
import type { PlanView } from "@tradai/plan";
import { planLayer } from "@tradai/plan";

const TABLE = "aws:dynamodb/table:Table";
const BUCKET = "aws:s3/bucket:Bucket";
const REPO = "aws:ecr/repository:Repository";
const POOL = "aws:cognito/userPool:UserPool";

const plans: Partial<Record<(typeof ENVIRONMENTS)[number], PlanView>> = {};
beforeAll(async () => {
  for (const env of ENVIRONMENTS) plans[env] = await planLayer(env, "persistent");
});
const planOf = (env: (typeof ENVIRONMENTS)[number]) => plans[env] as PlanView;

describe("persistent layer", () => {
  it("prod protects every table: deletion protection, PITR, protect and retain on delete", () => {
    const tables = planOf("prod").ofType(TABLE);
    expect(tables.map((t) => t.inputs.name).sort()).toEqual(
      ["heartbeats", "idempotency", "jobs", "model-deployments", "strategies", "trading-leases"].map(
        (t) => `tradai-prod-${t}`,
      ),
    );
    for (const t of tables) {
      expect(t.inputs.deletionProtectionEnabled).toBe(true);
      expect(t.inputs.pointInTimeRecovery).toEqual({ enabled: true });
      expect(t.inputs.billingMode).toBe("PAY_PER_REQUEST");
      expect(t.protect).toBe(true);
      expect(t.retainOnDelete).toBe(true);
    }
  });

  it("dev tables can be torn down: no deletion protection, no PITR, not protected", () => {
    for (const t of planOf("dev").ofType(TABLE)) {
      expect(t.inputs.deletionProtectionEnabled).toBe(false);
      expect(t.inputs.pointInTimeRecovery).toEqual({ enabled: false });
      expect(t.protect).toBe(false);
    }
  });

  it("uses the key schema of the runtime contracts (jobs status index, TTL attributes)", () => {
    const jobs = planOf("staging").one(TABLE, "jobs");
    expect(jobs.inputs.hashKey).toBe("jobId");
    expect(jobs.inputs.globalSecondaryIndexes).toEqual([
      expect.objectContaining({
        name: "status-index",
        hashKey: "status",
        rangeKey: "updatedAt",
        projectionType: "ALL",
      }),
    ]);
    expect(jobs.inputs.ttl).toEqual({ attributeName: "expiresAt", enabled: true });
    expect(planOf("staging").one(TABLE, "idempotency").inputs.ttl).toEqual({
      attributeName: "expiration",
      enabled: true,
    });
    expect(planOf("staging").one(TABLE, "model-deployments").inputs.rangeKey).toBe("deployedAt");
  });

  it.each(ENVIRONMENTS)("every bucket in %s blocks public access, is encrypted and TLS-only", (env) => {
    const plan = planOf(env);
    const buckets = plan.ofType(BUCKET);
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      const component = plan.get(bucket.parent ?? "");
      const siblings = component ? plan.children(component) : [];
      const block = siblings.find((r) => r.type === "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      expect(block?.inputs).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      const sse = siblings.find(
        (r) =>
          r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      );
      expect(sse?.inputs.rules).toEqual([
        expect.objectContaining({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }),
      ]);
      const policy = siblings.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
      expect(JSON.parse(String(policy?.inputs.policy)).Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": false } } }),
      );
      expect(bucket.inputs.forceDestroy).toBe(env !== "prod");
      expect(bucket.protect).toBe(env === "prod");
    }
  });

  it("creates one scanned ECR repository per discovered Lambda, per service, plus base and cache", () => {
    const repos = planOf("dev").ofType(REPO);
    const names = repos.map((r) => r.inputs.name);
    const lambdas = [...LAMBDAS];
    expect(names).toHaveLength(lambdas.length + SERVICE_IMAGES.length + 2);
    for (const fn of lambdas) expect(names).toContain(`tradai/dev/lambda-${fn}`);
    for (const svc of SERVICE_IMAGES) expect(names).toContain(`tradai/dev/${svc}`);
    expect(names).toEqual(expect.arrayContaining(["tradai/dev/lambda-base", "tradai/dev/build-cache"]));
    for (const r of repos) expect(r.inputs.imageScanningConfiguration).toEqual({ scanOnPush: true });
    const lambdaOutputs = (planOf("dev").outputs.ecr as { lambdas: Record<string, unknown> }).lambdas;
    expect(Object.keys(lambdaOutputs).sort()).toEqual(lambdas);
  });

  it("keeps superseded digests 14 days so a rollback can return to them", () => {
    const policy = planOf("prod").one("aws:ecr/lifecyclePolicy:LifecyclePolicy", "ecr-lambda-base-lifecycle");
    const rules = JSON.parse(String(policy.inputs.policy)).rules as { selection: Record<string, unknown> }[];
    expect(rules[0]?.selection).toMatchObject({ tagStatus: "untagged", countUnit: "days", countNumber: 14 });
    expect(rules[1]?.selection).toMatchObject({ countType: "imageCountMoreThan", countNumber: 30 });
  });

  it("protects the Cognito user pool in prod only", () => {
    expect(planOf("prod").one(POOL, "users").inputs.deletionProtection).toBe("ACTIVE");
    expect(planOf("prod").one(POOL, "users").protect).toBe(true);
    expect(planOf("dev").one(POOL, "users").inputs.deletionProtection).toBe("INACTIVE");
  });

  it("creates the CloudTrail trail after the audit bucket's policy allows it", () => {
    const plan = planOf("prod");
    const trail = plan.one("aws:cloudtrail/trail:Trail", "audit");
    const policy = plan.one("aws:s3/bucketPolicy:BucketPolicy", "audit-logs-policy");
    expect(plan.dependsOn(trail, policy)).toBe(true);
    expect(trail.inputs).toMatchObject({ isMultiRegionTrail: true, enableLogFileValidation: true });
    const statements = JSON.parse(String(policy.inputs.policy)).Statement as { Sid?: string }[];
    expect(statements.map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "CloudTrailAclCheck",
      "CloudTrailWrite",
    ]);
  });

  it("tags everything through the provider's default tags", () => {
    const provider = planOf("staging").one("pulumi:providers:aws", "persistent-aws");
    expect(JSON.parse(String(provider.inputs.defaultTags))).toEqual({
      tags: {
        Project: "tradai",
        Environment: "staging",
        Layer: "persistent",
        ManagedBy: "pulumi",
        Repository: "tradai/tradai-infra",
      },
    });
    const table = planOf("staging").one(TABLE, "jobs");
    expect(table.provider?.startsWith(provider.urn)).toBe(true);
  });

  it("exports the persistent contract", () => {
    const outputs = planOf("prod").outputs as {
      tables: Record<string, { name: string }>;
      cognito: { issuer: string };
    };
    expect(outputs.tables.jobs?.name).toBe("tradai-prod-jobs");
    expect(outputs.cognito.issuer).toMatch(
      /^https:\/\/cognito-idp\.eu-central-1\.amazonaws\.com\/eu-central-1_/,
    );
  });
});

describe("persistent configuration", () => {
  it("rejects a bad value naming the stack, the key and what was expected", async () => {
    await expect(
      planLayer("dev", "persistent", { config: { persistent: { "tradai:ecrKeepImages": "many" } } }),
    ).rejects.toThrow(
      /Invalid configuration for stack "organization\/tradai-persistent\/dev":\n {2}- tradai:ecrKeepImages: expected a number/,
    );
  });

  it("rejects unknown keys so a typo cannot fall back to a default", async () => {
    await expect(
      planLayer("dev", "persistent", { config: { persistent: { "tradai:protectDta": "true" } } }),
    ).rejects.toThrow("tradai:protectDta: unknown key");
  });

  it("honours an explicit override of the environment profile", async () => {
    const plan = await planLayer("dev", "persistent", {
      config: { persistent: { "tradai:protectData": "true" } },
    });
    expect(plan.one(TABLE, "jobs").inputs.deletionProtectionEnabled).toBe(true);
  });
});
