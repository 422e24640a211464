import { SecureBucket } from "../src/persistent/secure-bucket";
import { capture, expectWellFormed, json, mockPulumi } from "./harness";

const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

beforeAll(() => mockPulumi({ state: { [BUCKET]: (inputs) => ({ arn: `arn:aws:s3:::${inputs.bucket}` }) } }));

describe("SecureBucket", () => {
  it("is private, encrypted, TLS-only and versioned by default, and deletable when not protected", async () => {
    const c = await capture((opts) => new SecureBucket("data", { bucketName: "tradai-dev-data" }, opts));
    expectWellFormed(c, "tradai:persistent:SecureBucket", "data");
    const bucket = c.one(BUCKET, "data");
    expect(bucket.inputs).toEqual({ bucket: "tradai-dev-data", forceDestroy: true });
    expect(bucket.opts).not.toHaveProperty("protect");
    expect(
      c.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access").inputs,
    ).toEqual({
      bucket: "data-id",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      c.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-ownership").inputs.rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(
      c.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "data-encryption",
      ).inputs.rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }]);
    expect(c.one(VERSIONING, "data-versioning").inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
    // Incomplete uploads are always aborted.
    expect(c.one(LIFECYCLE, "data-lifecycle").inputs.rules).toEqual([
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
    const policy = c.one("aws:s3/bucketPolicy:BucketPolicy", "data-policy");
    expect(json(policy.inputs.policy).Statement).toEqual([
      expect.objectContaining({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Resource: ["arn:aws:s3:::tradai-dev-data", "arn:aws:s3:::tradai-dev-data/*"],
      }),
    ]);
    // S3 rejects a policy while the public access block is being applied.
    expect(policy.opts.dependsOn).toEqual([
      c.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-public-access").resource,
    ]);
  });

  it("protects the data when asked: no force destroy, protect and retain on delete", async () => {
    const c = await capture(
      (opts) => new SecureBucket("kept", { bucketName: "tradai-prod-kept", protectData: true }, opts),
    );
    const bucket = c.one(BUCKET, "kept");
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(bucket.opts).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("applies lifecycle rules, skips versioning when asked, and appends extra policy statements", async () => {
    const c = await capture(
      (opts) =>
        new SecureBucket(
          "logs",
          {
            bucketName: "tradai-dev-logs",
            versioned: false,
            lifecycleRules: [
              {
                id: "archive",
                prefix: "raw/",
                infrequentAccessAfterDays: 30,
                expireAfterDays: 365,
                noncurrentExpireAfterDays: 7,
              },
              { id: "expire-only", expireAfterDays: 10 },
            ],
            policyStatements: (arn) => [
              { Sid: "Extra", Effect: "Allow", Action: "s3:GetObject", Resource: arn },
            ],
          },
          opts,
        ),
    );
    expect(c.ofType(VERSIONING)).toEqual([]);
    expect(c.one(LIFECYCLE, "logs-lifecycle").inputs.rules.slice(1)).toEqual([
      {
        id: "archive",
        status: "Enabled",
        filter: { prefix: "raw/" },
        transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
        expiration: { days: 365 },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
      },
      { id: "expire-only", status: "Enabled", filter: { prefix: "" }, expiration: { days: 10 } },
    ]);
    const sids = json(c.one("aws:s3/bucketPolicy:BucketPolicy", "logs-policy").inputs.policy).Statement.map(
      (s: { Sid: string; Resource: unknown }) => [s.Sid, s.Sid === "Extra" ? s.Resource : "tls"],
    );
    expect(sids).toEqual([
      ["DenyInsecureTransport", "tls"],
      ["Extra", "arn:aws:s3:::tradai-dev-logs"],
    ]);
  });
});
