/** Starts the backend in-process (port 0) against the emulator's tables and queue. */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { recordAs } from "@tradai/iam-recorder/testing";
import { handler as validateStrategy } from "@tradai/lambda-validate-strategy";
import { awsClient, type ServiceApp } from "@tradai/service-common";
import { TEST_REGION } from "@tradai/testing";
import { buildApp } from "../src/app";
import { cognitoVerifier } from "../src/auth";
import { loadConfig } from "../src/config";
import { LambdaStrategyValidator } from "../src/strategies/validator";
import { type Handler, type LambdaEmulator, startLambdaEmulator } from "./lambda-emulator";
import { CLIENT_ID, type TestKey, USER_POOL_ID } from "./tokens";

export interface Backend {
  app: ServiceApp;
  url: string;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  queueUrl: string;
  /** The Lambda Invoke API the backend calls validate-strategy through. */
  lambdas: LambdaEmulator;
}

/** The function name the backend is configured with (as compute sets `VALIDATE_STRATEGY_FUNCTION`). */
export const VALIDATE_STRATEGY_FUNCTION = "tradai-test-validate-strategy";

export async function createResources(dynamodb: DynamoDBClient, sqs: SQSClient, suffix: string) {
  const strategiesTable = `strategies-${suffix}`;
  const jobsTable = `jobs-${suffix}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: strategiesTable,
      KeySchema: [{ AttributeName: "strategyId", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "strategyId", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await dynamodb.send(
    new CreateTableCommand({
      TableName: jobsTable,
      KeySchema: [{ AttributeName: "jobId", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "jobId", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `backtest-jobs-${suffix}` }));
  if (!queue.QueueUrl) throw new Error("no queue url");
  return { strategiesTable, jobsTable, queueUrl: queue.QueueUrl };
}

export interface StartOptions {
  strategiesTable: string;
  jobsTable: string;
  queueUrl: string;
  key: TestKey;
  /** Replaces the real validate-strategy handler (e.g. one that fails). */
  validateStrategy?: Handler;
}

export async function startBackend(options: StartOptions): Promise<Backend> {
  // The backend's own clients (as main.ts builds them), apart from the fixtures' clients.
  const dynamodb = awsClient(new DynamoDBClient({ region: TEST_REGION }));
  const sqs = awsClient(new SQSClient({ region: TEST_REGION }));
  const env = {
    STRATEGIES_TABLE: options.strategiesTable,
    JOBS_TABLE: options.jobsTable,
    BACKTEST_JOBS_QUEUE_URL: options.queueUrl,
    COGNITO_USER_POOL_ID: USER_POOL_ID,
    COGNITO_CLIENT_IDS: CLIENT_ID,
    VALIDATE_STRATEGY_FUNCTION,
    LOG_LEVEL: "silent",
  };
  recordAs("ecs:backend-api", env);
  const config = loadConfig(env);
  // The real validate-strategy handler behind the real SDK client.
  const lambdas = await startLambdaEmulator({
    [VALIDATE_STRATEGY_FUNCTION]: options.validateStrategy ?? (validateStrategy as Handler),
  });
  const lambda = awsClient(new LambdaClient({ region: TEST_REGION, endpoint: lambdas.url, maxAttempts: 1 }));
  const validator = new LambdaStrategyValidator(lambda, config.VALIDATE_STRATEGY_FUNCTION);
  // The real aws-jwt-verify Cognito verifier, with its JWKS cache seeded instead of downloaded.
  const verifier = cognitoVerifier({ userPoolId: USER_POOL_ID, clientIds: [CLIENT_ID], tokenUse: "access" });
  verifier.cacheJwks(options.key.jwks);
  const app = buildApp(config, { dynamodb, sqs, verifier, validator });
  app.addHook("onClose", async () => {
    lambda.destroy();
    await lambdas.close();
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url, dynamodb, sqs, queueUrl: options.queueUrl, lambdas };
}

export function client(url: string, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
}
