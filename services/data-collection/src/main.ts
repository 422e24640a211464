/** Entry point of the data-collection container. */
import { s3Client } from "@tradai/aws-clients/s3";
import { runMain, serveUntilStopped } from "@tradai/service-common";
import { buildApp } from "./app";
import { loadConfig } from "./config";
import { defaultSources } from "./sources";

async function main(): Promise<number> {
  const config = loadConfig();
  const s3 = s3Client();
  const sources = defaultSources({
    binanceBaseUrl: config.BINANCE_BASE_URL,
    pageLimit: config.EXCHANGE_PAGE_LIMIT,
    timeoutMs: config.EXCHANGE_TIMEOUT_MS,
  });
  const app = buildApp(config, { s3, sources });
  app.addHook("onClose", async () => s3.destroy());
  return serveUntilStopped(app, config);
}

runMain("data-collection", main);
