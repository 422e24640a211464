import { Database } from "../src/foundation/database";
import { capture, expectWellFormed, mockPulumi, resolve } from "./harness";

const INSTANCE = "aws:rds/instance:Instance";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

beforeAll(() =>
  mockPulumi({
    state: {
      [INSTANCE]: (inputs) => ({ masterUserSecrets: [{ secretArn: `secret-of-${inputs.identifier}` }] }),
    },
  }),
);

const base = { subnetIds: ["subnet-a", "subnet-b"], securityGroupId: "sg-db" };

describe("Database", () => {
  it("applies the documented defaults: unprotected, TLS only, encrypted, private, logs kept 14 days", async () => {
    const c = await capture((opts) => new Database("db", { identifier: "tradai-dev-mlflow", ...base }, opts));
    expectWellFormed(c, "tradai:foundation:Database", "db");
    const db = c.one(INSTANCE, "db");
    expect(db.inputs).toMatchObject({
      identifier: "tradai-dev-mlflow",
      engine: "postgres",
      engineVersion: "16",
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      storageEncrypted: true,
      dbName: "mlflow",
      username: "tradai_admin",
      manageMasterUserPassword: true,
      dbSubnetGroupName: "tradai-dev-mlflow",
      parameterGroupName: "tradai-dev-mlflow-pg16",
      vpcSecurityGroupIds: ["sg-db"],
      publiclyAccessible: false,
      multiAz: false,
      backupRetentionPeriod: 7,
      deletionProtection: false,
      skipFinalSnapshot: true,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    });
    expect(db.inputs.finalSnapshotIdentifier).toBeUndefined();
    expect(db.opts).not.toHaveProperty("protect");
    expect(c.one("aws:rds/parameterGroup:ParameterGroup", "db").inputs).toMatchObject({
      family: "postgres16",
      parameters: expect.arrayContaining([{ name: "rds.force_ssl", value: "1" }]),
    });
    expect(c.one("aws:rds/subnetGroup:SubnetGroup", "db").inputs.subnetIds).toEqual(["subnet-a", "subnet-b"]);
    // The log groups exist (with a retention) before RDS would create them without one.
    const groups = c.ofType(LOG_GROUP);
    expect(groups.map((g) => [g.name, g.inputs])).toEqual(
      ["postgresql", "upgrade"].map((log) => [
        `db-${log}`,
        { name: `/aws/rds/instance/tradai-dev-mlflow/${log}`, retentionInDays: 14 },
      ]),
    );
    expect(db.opts.dependsOn).toEqual(groups.map((g) => g.resource));
    expect(await resolve(c.component.masterSecretArn)).toBe("secret-of-tradai-dev-mlflow");
  });

  it("protects the data when asked: deletion protection, a final snapshot, protect and retain on delete", async () => {
    const c = await capture(
      (opts) =>
        new Database(
          "prod-db",
          {
            identifier: "tradai-prod-mlflow",
            ...base,
            protect: true,
            multiAz: true,
            engineMajorVersion: 17,
            performanceInsights: false,
            logRetentionDays: 90,
          },
          opts,
        ),
    );
    const db = c.one(INSTANCE, "prod-db");
    expect(db.inputs).toMatchObject({
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "tradai-prod-mlflow-final",
      multiAz: true,
      engineVersion: "17",
      parameterGroupName: "tradai-prod-mlflow-pg17",
      performanceInsightsEnabled: false,
    });
    expect(db.inputs.performanceInsightsRetentionPeriod).toBeUndefined();
    expect(db.opts).toMatchObject({ protect: true, retainOnDelete: true });
    expect(c.one("aws:rds/parameterGroup:ParameterGroup", "prod-db").inputs.family).toBe("postgres17");
    expect(c.ofType(LOG_GROUP).map((g) => g.inputs.retentionInDays)).toEqual([90, 90]);
  });
});
