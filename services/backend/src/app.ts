import { DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { JobStore } from "@tradai/aws-clients";
import { createServiceApp, type ServiceApp } from "@tradai/service-common";
import { authenticate, type TokenVerifier } from "./auth";
import type { BackendConfig } from "./config";
import { BacktestQueue } from "./jobs/queue";
import { registerJobRoutes } from "./jobs/routes";
import { openApiDocument } from "./openapi";
import { registerStrategyRoutes } from "./strategies/routes";
import { StrategyStore } from "./strategies/store";
import type { StrategyValidator } from "./strategies/validator";

export interface BackendDeps {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  verifier: TokenVerifier;
  /** The validate-strategy function (main: {@link LambdaStrategyValidator}). */
  validator: StrategyValidator;
  now?: () => Date;
}

/** Builds the backend API: authenticated `/v1/*` routes, public health, readiness and `/openapi.json`. */
export function buildApp(config: BackendConfig, deps: BackendDeps): ServiceApp {
  const db = DynamoDBDocumentClient.from(deps.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const strategies = new StrategyStore(db, config.STRATEGIES_TABLE, deps.now);
  const jobs = new JobStore({
    tableName: config.JOBS_TABLE,
    client: db,
    ttlDays: config.JOB_TTL_DAYS,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const queue = new BacktestQueue(deps.sqs, config.BACKTEST_JOBS_QUEUE_URL);
  const app = createServiceApp({
    service: "backend-api",
    logLevel: config.LOG_LEVEL,
    readiness: [
      ...[config.STRATEGIES_TABLE, config.JOBS_TABLE].map((table) => ({
        name: `table:${table}`,
        check: async () => {
          await deps.dynamodb.send(new DescribeTableCommand({ TableName: table }));
        },
      })),
      {
        name: "backtest-jobs-queue",
        check: async () => {
          await deps.sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: config.BACKTEST_JOBS_QUEUE_URL,
              AttributeNames: ["QueueArn"],
            }),
          );
        },
      },
    ],
  });

  const document = openApiDocument();
  app.get("/openapi.json", { logLevel: "warn" }, async () => document);

  app.register(async (v1) => {
    v1.addHook("onRequest", async (request) => {
      request.principal = await authenticate(request, deps.verifier);
    });
    registerStrategyRoutes(v1, strategies, deps.validator);
    registerJobRoutes(v1, jobs, { jobs, queue }, { strategies, validator: deps.validator });
  });

  return app;
}
