/**
 * AWS SDK v3 clients, created on first use and reused across invocations of an execution environment.
 * No endpoint is configured here: the SDK reads `AWS_ENDPOINT_URL` itself, so the same code reaches AWS,
 * LocalStack or moto. S3 clients come from @tradai/aws-clients' `s3Client`, the one addressing rule of the
 * Lambdas and the services. Every client carries the IAM call recorder, which is only attached when a
 * test run names a recording file (`pnpm iam:check`).
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import type { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { s3Client } from "@tradai/aws-clients/s3";
import { recordCalls } from "@tradai/iam-recorder";

/** For the few clients a single Lambda builds itself (the same recorder as the shared ones). */
export { recordCalls };

interface Clients {
  dynamo?: DynamoDBDocumentClient;
  sqs?: SQSClient;
  sns?: SNSClient;
  ecs?: ECSClient;
  sfn?: SFNClient;
  s3?: S3Client;
  cloudwatch?: CloudWatchClient;
}

let clients: Clients = {};

/** DynamoDB document client: plain JS values in and out, `undefined` attributes dropped. */
export function dynamo(): DynamoDBDocumentClient {
  clients.dynamo ??= DynamoDBDocumentClient.from(recordCalls(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return clients.dynamo;
}

export function sqs(): SQSClient {
  clients.sqs ??= recordCalls(new SQSClient({}));
  return clients.sqs;
}

export function sns(): SNSClient {
  clients.sns ??= recordCalls(new SNSClient({}));
  return clients.sns;
}

export function ecs(): ECSClient {
  clients.ecs ??= recordCalls(new ECSClient({}));
  return clients.ecs;
}

export function sfn(): SFNClient {
  clients.sfn ??= recordCalls(new SFNClient({}));
  return clients.sfn;
}

export function s3(): S3Client {
  clients.s3 ??= s3Client();
  return clients.s3;
}

export function cloudwatch(): CloudWatchClient {
  clients.cloudwatch ??= recordCalls(new CloudWatchClient({}));
  return clients.cloudwatch;
}

/** Drops every client so the next call builds a new one from the current environment (tests). */
export function resetClients(): void {
  for (const client of Object.values(clients)) client?.destroy();
  clients = {};
}
