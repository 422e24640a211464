import type { S3Client } from "@aws-sdk/client-s3";
import { CollectionRequest } from "@tradai/contracts";
import {
  bucketReadiness,
  createServiceApp,
  DAY_MS,
  HttpError,
  parseRequest,
  RequestValidationError,
  type ServiceApp,
} from "@tradai/service-common";
import { Collector } from "./collector";
import type { DataCollectionConfig } from "./config";
import { PartitionStore } from "./partition-store";
import { ExchangeError, type SourceRegistry } from "./sources";

export interface DataCollectionDeps {
  s3: S3Client;
  sources: SourceRegistry;
  now?: () => number;
}

/** Builds the data-collection HTTP app: `POST /v1/collect` plus health and readiness. */
export function buildApp(config: DataCollectionConfig, deps: DataCollectionDeps): ServiceApp {
  const store = new PartitionStore(deps.s3, config.MARKET_DATA_BUCKET);
  const now = deps.now ?? Date.now;
  const collector = new Collector(store, now);
  const app = createServiceApp({
    service: "data-collection",
    logLevel: config.LOG_LEVEL,
    readiness: [bucketReadiness("market-data-bucket", deps.s3, config.MARKET_DATA_BUCKET)],
  });

  app.post("/v1/collect", async (request) => {
    const body = parseRequest(CollectionRequest, request.body, "body");
    const source = deps.sources.get(body.exchange);
    if (!source) {
      throw new RequestValidationError([
        {
          field: "body.exchange",
          message: `unsupported exchange; supported: ${[...deps.sources.keys()].join(", ")}`,
        },
      ]);
    }
    const fromMs = Date.parse(body.from);
    if (fromMs > now()) {
      throw new RequestValidationError([{ field: "body.from", message: "must not be in the future" }]);
    }
    // Days that have not started yet have no candles: the range ends now at the latest.
    const toMs = Math.min(Date.parse(body.to), now());
    if (toMs - fromMs > config.MAX_COLLECTION_DAYS * DAY_MS) {
      throw new RequestValidationError([
        {
          field: "body.to",
          message: `range longer than ${config.MAX_COLLECTION_DAYS} days; split the request`,
        },
      ]);
    }
    try {
      const partitions = await collector.collect(source, { ...body, fromMs, toMs });
      request.log.info(
        {
          exchange: body.exchange,
          symbol: body.symbol,
          timeframe: body.timeframe,
          written: partitions.filter((p) => p.action === "written").length,
          skipped: partitions.filter((p) => p.action === "skipped").length,
        },
        "collection finished",
      );
      return { bucket: config.MARKET_DATA_BUCKET, partitions };
    } catch (error) {
      if (error instanceof ExchangeError) {
        if (error.field)
          throw new RequestValidationError([{ field: `body.${error.field}`, message: error.message }]);
        throw new HttpError(502, error.message);
      }
      throw error;
    }
  });

  return app;
}
