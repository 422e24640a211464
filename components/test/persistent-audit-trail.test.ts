import * as aws from "@pulumi/aws";
import { AuditTrail, cloudTrailBucketStatements } from "../src/persistent/audit-trail";
import { ACCOUNT_ID, capture, expectWellFormed, mockPulumi, resolve } from "./harness";

beforeAll(() => mockPulumi());

describe("AuditTrail", () => {
  it("is a multi-region trail with log file validation, created after the bucket policy", async () => {
    let bucketPolicy: aws.s3.BucketPolicy | undefined;
    const c = await capture((opts) => {
      bucketPolicy = new aws.s3.BucketPolicy("audit-bucket-policy", { bucket: "b", policy: "{}" });
      return new AuditTrail(
        "audit",
        { trailName: "tradai-prod-audit", bucketName: "tradai-prod-audit", bucketPolicy },
        opts,
      );
    });
    expectWellFormed({ ...c, orphans: [] }, "tradai:persistent:AuditTrail", "audit");
    const trail = c.one("aws:cloudtrail/trail:Trail", "audit");
    expect(trail.inputs).toEqual({
      name: "tradai-prod-audit",
      s3BucketName: "tradai-prod-audit",
      s3KeyPrefix: "cloudtrail",
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
    });
    expect(trail.opts.dependsOn).toEqual([bucketPolicy]);
  });

  it("lets CloudTrail check the ACL and write only under its prefix of this account", async () => {
    const statements = await resolve(cloudTrailBucketStatements("arn:aws:s3:::audit", ACCOUNT_ID, "trail"));
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["CloudTrailAclCheck", "s3:GetBucketAcl", "arn:aws:s3:::audit"],
      ["CloudTrailWrite", "s3:PutObject", `arn:aws:s3:::audit/trail/AWSLogs/${ACCOUNT_ID}/*`],
    ]);
  });
});
