/** Entry point of the backend API container (ECS service `backend-api`). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { runMain, serveUntilStopped } from "@tradai/service-common";
import { buildApp } from "./app";
import { cognitoVerifier } from "./auth";
import { loadConfig } from "./config";

async function main(): Promise<number> {
  const config = loadConfig();
  const dynamodb = new DynamoDBClient({});
  const sqs = new SQSClient({});
  const verifier = cognitoVerifier({
    userPoolId: config.COGNITO_USER_POOL_ID,
    clientIds: config.COGNITO_CLIENT_IDS,
    tokenUse: config.COGNITO_TOKEN_USE,
  });
  const app = buildApp(config, { dynamodb, sqs, verifier });
  app.addHook("onClose", async () => {
    dynamodb.destroy();
    sqs.destroy();
  });
  return serveUntilStopped(app, config);
}

runMain("backend-api", main);
