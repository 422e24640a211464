import { DataTable } from "../src/persistent/data-table";
import { capture, expectWellFormed, mockPulumi } from "./harness";

const TABLE = "aws:dynamodb/table:Table";

beforeAll(() => mockPulumi());

describe("DataTable", () => {
  it("is on-demand, encrypted, with point-in-time recovery and no TTL or index by default", async () => {
    const c = await capture(
      (opts) =>
        new DataTable("jobs", { tableName: "tradai-dev-jobs", hashKey: { name: "jobId", type: "S" } }, opts),
    );
    expectWellFormed(c, "tradai:persistent:DataTable", "jobs");
    const table = c.one(TABLE, "jobs");
    expect(table.inputs).toEqual({
      name: "tradai-dev-jobs",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "jobId",
      attributes: [{ name: "jobId", type: "S" }],
      globalSecondaryIndexes: [],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: false,
    });
    expect(table.opts).not.toHaveProperty("protect");
  });

  it("declares each key attribute once, the indexes, TTL and protection", async () => {
    const c = await capture(
      (opts) =>
        new DataTable(
          "runs",
          {
            tableName: "tradai-prod-runs",
            hashKey: { name: "pk", type: "S" },
            rangeKey: { name: "sk", type: "N" },
            globalIndexes: [{ name: "by-status", hashKey: "status", rangeKey: "sk" }],
            indexAttributes: { status: "S" },
            ttlAttribute: "expiresAt",
            pointInTimeRecovery: false,
            protectData: true,
          },
          opts,
        ),
    );
    const table = c.one(TABLE, "runs");
    expect(table.inputs).toMatchObject({
      rangeKey: "sk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "N" },
        { name: "status", type: "S" },
      ],
      globalSecondaryIndexes: [
        { name: "by-status", hashKey: "status", rangeKey: "sk", projectionType: "ALL" },
      ],
      ttl: { attributeName: "expiresAt", enabled: true },
      pointInTimeRecovery: { enabled: false },
      deletionProtectionEnabled: true,
    });
    expect(table.opts).toMatchObject({ protect: true, retainOnDelete: true });
  });
});
