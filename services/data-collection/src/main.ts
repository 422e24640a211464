/** Entry point of the data-collection container. */
import { S3Client } from "@aws-sdk/client-s3";
import { ConfigError, exitWhenDrained, runService, s3ClientOptions } from "@tradai/service-common";
import { buildApp } from "./app";
import { loadConfig } from "./config";
import { defaultSources } from "./sources";

async function main(): Promise<void> {
  const config = loadConfig();
  const s3 = new S3Client(s3ClientOptions());
  const sources = defaultSources({
    binanceBaseUrl: config.BINANCE_BASE_URL,
    pageLimit: config.EXCHANGE_PAGE_LIMIT,
    timeoutMs: config.EXCHANGE_TIMEOUT_MS,
  });
  const app = buildApp(config, { s3, sources });
  app.addHook("onClose", async () => s3.destroy());
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
  process.stderr.write(`${JSON.stringify({ level: "fatal", service: "data-collection", msg: message })}\n`);
  exitWhenDrained(1);
});
