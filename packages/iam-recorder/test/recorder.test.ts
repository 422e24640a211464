import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { PRINCIPAL_ENV, RECORD_FILE_ENV, type RecordLine, recordCalls } from "../src/index";
import { principalForTestFile } from "../src/principals";

/** A client that cannot reach anything: the recorder runs before the request is sent. */
const offline = {
  region: "eu-central-1",
  endpoint: "http://127.0.0.1:1",
  maxAttempts: 1,
  credentials: { accessKeyId: "a", secretAccessKey: "b" },
};

function tmpFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "iam-rec-")), "calls.jsonl");
}

function lines(file: string): RecordLine[] {
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as RecordLine);
}

describe("recordCalls", () => {
  it("adds nothing when no recording file is named", () => {
    const client = recordCalls(new DynamoDBClient(offline), {});
    expect(client.middlewareStack.identify().join(" ")).not.toContain("tradaiIamRecorder");
  });

  it("records the signing name, operation, identifiers and the variables they came from, never item data", async () => {
    const file = tmpFile();
    const env = { [RECORD_FILE_ENV]: file, [PRINCIPAL_ENV]: "function:update-status", JOBS_TABLE: "jobs-x1" };
    const db = DynamoDBDocumentClient.from(recordCalls(new DynamoDBClient(offline), env));
    await expect(
      db.send(new PutCommand({ TableName: "jobs-x1", Item: { jobId: "secret-data" } })),
    ).rejects.toThrow();
    const [call] = lines(file);
    expect(call).toEqual({
      kind: "call",
      principal: "function:update-status",
      signingName: "dynamodb",
      operation: "PutItem",
      input: { TableName: "jobs-x1" },
      names: { JOBS_TABLE: "jobs-x1" },
      // Nothing listens there: the call is still recorded, with the error it ended with.
      error: expect.any(String),
    });
  });

  it("keeps an S3 object key and drops the body", async () => {
    const file = tmpFile();
    const s3 = recordCalls(new S3Client({ ...offline, forcePathStyle: true }), {
      [RECORD_FILE_ENV]: file,
      [PRINCIPAL_ENV]: "ecs:backtest",
      ARTIFACTS_BUCKET: "artifacts-x1",
    });
    await expect(
      s3.send(new PutObjectCommand({ Bucket: "artifacts-x1", Key: "backtests/j1/result.json", Body: "{}" })),
    ).rejects.toThrow();
    const [call] = lines(file);
    expect(call).toMatchObject({
      signingName: "s3",
      operation: "PutObject",
      input: { Bucket: "artifacts-x1", Key: "backtests/j1/result.json" },
      names: { ARTIFACTS_BUCKET: "artifacts-x1" },
    });
    expect(JSON.stringify(call)).not.toContain("Body");
  });
});

describe("principalForTestFile", () => {
  it.each([
    ["lambdas/sqs-consumer/test/handler.test.ts", "function:sqs-consumer"],
    ["lambdas/update-nat-routes/test/handler.test.ts", "function:update-nat-routes"],
    ["lambdas/common/test/alerts.test.ts", undefined],
    ["services/backend/test/backtests.test.ts", "ecs:backend-api"],
    ["services/strategy-service/test/backtest-mode.test.ts", "ecs:backtest"],
    ["services/strategy-service/test/trading.test.ts", "ecs:dry-run-trading"],
    ["components/test/naming.test.ts", undefined],
  ])("%s -> %s", (file, principal) => {
    expect(principalForTestFile(file)).toBe(principal);
  });
});
