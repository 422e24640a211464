/** Entry point of the backend API container (ECS service `backend-api`). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ConfigError, exitWhenDrained, runService } from "@tradai/service-common";
import { buildApp } from "./app";
import { cognitoVerifier } from "./auth";
import { loadConfig } from "./config";

async function main(): Promise<void> {
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
  const running = await runService(app, {
    port: config.PORT,
    host: config.HOST,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
  });
  exitWhenDrained((await running.closed) ? 0 : 1);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : String(error instanceof Error ? error.stack : error);
  process.stderr.write(`${JSON.stringify({ level: "fatal", service: "backend-api", msg: message })}\n`);
  exitWhenDrained(1);
});
