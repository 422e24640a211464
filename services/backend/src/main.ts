/** Entry point of the backend API container (ECS service `backend-api`). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { awsClient, runMain, serveUntilStopped } from "@tradai/service-common";
import { buildApp } from "./app";
import { verifierFromConfig } from "./auth";
import { loadConfig } from "./config";
import { LambdaStrategyValidator } from "./strategies/validator";

async function main(): Promise<number> {
  const config = loadConfig();
  const dynamodb = awsClient(new DynamoDBClient({}));
  const sqs = awsClient(new SQSClient({}));
  const lambda = awsClient(new LambdaClient({}));
  const verifier = verifierFromConfig(config);
  const validator = new LambdaStrategyValidator(lambda, config.VALIDATE_STRATEGY_FUNCTION);
  const app = buildApp(config, { dynamodb, sqs, verifier, validator });
  app.addHook("onClose", async () => {
    dynamodb.destroy();
    sqs.destroy();
    lambda.destroy();
  });
  return serveUntilStopped(app, config);
}

runMain("backend-api", main);
