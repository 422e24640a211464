import { PULUMI_SECRETS_KEY_ALIAS } from "@tradai/contracts";
import { StateBackend } from "../src/bootstrap/state-backend";
import { capture, expectWellFormed, mockPulumi } from "./harness";

const KEY = "aws:kms/key:Key";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

beforeAll(() => mockPulumi({ state: { [KEY]: () => ({ keyId: "key-1" }) } }));

describe("StateBackend", () => {
  it("keeps state in a protected, versioned bucket and secrets under a protected, rotating key", async () => {
    const c = await capture(
      (opts) => new StateBackend("state", { bucketName: "tradai-pulumi-state-123" }, opts),
    );
    expectWellFormed(c, "tradai:bootstrap:StateBackend", "state");
    const bucket = c.one("aws:s3/bucket:Bucket", "state-bucket");
    expect(bucket.inputs).toEqual({ bucket: "tradai-pulumi-state-123", forceDestroy: false });
    expect(bucket.opts).toMatchObject({ protect: true, retainOnDelete: true });
    expect(
      c.one("aws:s3/bucketVersioning:BucketVersioning", "state-bucket-versioning").inputs
        .versioningConfiguration,
    ).toEqual({
      status: "Enabled",
    });
    expect(c.one(LIFECYCLE, "state-bucket-lifecycle").inputs.rules[1]).toMatchObject({
      id: "noncurrent-state",
      noncurrentVersionExpiration: { noncurrentDays: 90 },
    });
    const key = c.one(KEY, "state-secrets-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(key.opts).toMatchObject({ protect: true, retainOnDelete: true });
    expect(c.one("aws:kms/alias:Alias", "state-secrets-alias").inputs).toEqual({
      name: PULUMI_SECRETS_KEY_ALIAS,
      targetKeyId: "key-1",
    });
  });

  it("applies the configured version retention and alias", async () => {
    const c = await capture(
      (opts) =>
        new StateBackend(
          "other",
          { bucketName: "b", keyAlias: "alias/other", versionRetentionDays: 30 },
          opts,
        ),
    );
    expect(c.one(LIFECYCLE, "other-bucket-lifecycle").inputs.rules[1].noncurrentVersionExpiration).toEqual({
      noncurrentDays: 30,
    });
    expect(c.one("aws:kms/alias:Alias", "other-secrets-alias").inputs.name).toBe("alias/other");
  });
});
