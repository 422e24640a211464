/** Property: a malformed cleanup event is rejected with InvalidEventError before any task, job or object is touched. */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateClusterCommand, ECSClient } from "@aws-sdk/client-ecs";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { InvalidEventError } from "@tradai/lambda-common";
import {
  brokenScheduledEvent,
  createJobsTable,
  expectRejectedWithoutChange,
  PROPERTY_RUNS,
  quietLogger,
  scheduledEvent,
  useTestEnv,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { handler } from "../src/handler";

describe("cleanup-resources: bad input", () => {
  useMoto();
  quietLogger();
  useTestEnv(async () => {
    const ecs = new ECSClient({});
    await ecs.send(new CreateClusterCommand({ clusterName: "tradai-test" }));
    ecs.destroy();
    const s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "tradai-test-artifacts" }));
    s3.destroy();
    await createJobsTable("tradai-test-jobs");
    // A stuck RUNNING job: a valid run marks it FAILED, so an accepted malformed event would show.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const longAgo = new Date(Date.now() - 86_400_000).toISOString();
    await db.send(
      new PutCommand({
        TableName: "tradai-test-jobs",
        Item: {
          jobId: "stuck",
          kind: "backtest",
          status: "RUNNING",
          version: 1,
          createdAt: longAgo,
          updatedAt: longAgo,
        },
      }),
    );
    db.destroy();
    return {
      ECS_CLUSTER: "tradai-test",
      JOBS_TABLE: "tradai-test-jobs",
      ARTIFACTS_BUCKET: "tradai-test-artifacts",
    };
  });

  it("rejects every malformed cleanup event with InvalidEventError and changes nothing", async () => {
    const valid = scheduledEvent(new Date()) as unknown as Record<string, unknown>;
    const events = fc.oneof(
      brokenScheduledEvent(valid),
      fc.constantFrom("true", 1, null, [], {}).map((dryRun) => ({ dryRun })),
      fc.constant({ dryRun: true, extra: 1 }),
      fc.constantFrom({ dryRun: "yes" }, { other: 1 }, "detail").map((detail) => ({ ...valid, detail })),
    );
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(() => handler(event), InvalidEventError),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
