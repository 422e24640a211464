/** Stack configuration of the compute layer (`stacks/compute/Pulumi.<env>.yaml`, namespace `tradai`). */

import {
  ECS_SERVICE_ALIASES,
  ECS_SERVICE_NAMES,
  type EcsServiceName,
  type Environment,
} from "@tradai/contracts";
import { z } from "zod";
import { commonConfigShape } from "./common";
import { bool, int, json, logRetention, num } from "./fields";
import { PROFILES } from "./profiles";

const DESIRED_COUNTS: Record<Environment, Record<EcsServiceName, number>> = {
  dev: {
    "backend-api": 1,
    "data-collection": 1,
    "strategy-service": 1,
    mlflow: 1,
    "dry-run-trading": 1,
    "live-trading": 0,
  },
  staging: {
    "backend-api": 1,
    "data-collection": 1,
    "strategy-service": 1,
    mlflow: 1,
    "dry-run-trading": 1,
    "live-trading": 0,
  },
  prod: {
    "backend-api": 2,
    "data-collection": 1,
    "strategy-service": 2,
    mlflow: 1,
    "dry-run-trading": 1,
    "live-trading": 1,
  },
};

/** A hostname (no scheme, no path). */
const hostname = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, {
  error: "expected a DNS hostname such as origin.tradai.io",
});

const serviceName = z.enum(ECS_SERVICE_NAMES as [EcsServiceName, ...EcsServiceName[]]);

/** Keys written with the spec's image name (`backend`) name their service (`backend-api`). */
function serviceKeys(value: unknown, ctx: z.RefinementCtx): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, count] of Object.entries(value)) {
    const name = (ECS_SERVICE_ALIASES as Record<string, string>)[key] ?? key;
    if (name in out) ctx.addIssue({ code: "custom", message: `${key} and ${name} name the same service` });
    out[name] = count;
  }
  return out;
}

export function computeConfigSchema(env: Environment) {
  const profile = PROFILES[env];
  return z
    .object({
      ...commonConfigShape,
      /**
       * Records a release: tags the digests this deploy ships with it (ECR, no rebuild) and adds them to the
       * compute output `release`. Unset: the last recorded release stays as it is (never flips back). CI sets it.
       */
      releaseTag: z
        .string()
        .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: "expected a Docker tag" })
        .refine((tag) => tag !== "latest", { error: "`latest` is the build tag every image carries" })
        .optional(),
      /**
       * Export each image's build cache to the ECR cache repository. Docker's default `docker` driver
       * cannot: set false for a local run on it (the cache is still read), or use a docker-container
       * builder (`docker buildx create --use`). Default true.
       */
      imageRegistryCache: bool().default(true),
      /** Build images during `pulumi preview` too (slow; previews otherwise show images as changed). Default false. */
      buildOnPreview: bool().default(false),
      /** Desired task count per ECS service, merged over the defaults (live-trading is 0 outside prod). */
      desiredCounts: json(
        z.preprocess(serviceKeys, z.partialRecord(serviceName, z.number().int().min(0).max(20))),
      ).default({}),
      /** Run the non-trading services on Fargate Spot. Default true outside prod. */
      fargateSpot: bool().default(env !== "prod"),
      /**
       * Hostname API Gateway calls the ALB by, over HTTPS (an alias record for the ALB). Required in
       * staging and prod; without it (dev) the ALB listens on plain HTTP.
       */
      originDomain: hostname.optional(),
      /**
       * Public Route 53 hosted zone (by name) holding `originDomain`: the ALB's alias record and the DNS
       * validation of the ACM certificate made for `originDomain`.
       */
      originHostedZone: hostname.optional(),
      /** An existing ACM certificate for `originDomain` instead of the one made and validated here. */
      certificateArn: z
        .string()
        .startsWith("arn:aws:acm:", { error: "expected an ACM certificate ARN" })
        .optional(),
      /** ALB deletion protection. Default: prod only. */
      albDeletionProtection: bool().default(profile.protectData),
      /** `protect` + retain on delete on the ALB access-log bucket. Default: prod only. */
      protectAccessLogs: bool().default(profile.protectData),
      /** Log retention of Lambda, ECS and Step Functions log groups, in days. */
      logRetentionDays: logRetention().default(profile.logRetentionDays),
      /** Lambda memory in MB. Default 512. */
      lambdaMemoryMb: int(128, 10240).default(512),
      /** Models the retraining scheduler considers. */
      retrainingModels: json(
        z.array(z.object({ modelName: z.string().min(1), maxAgeDays: z.number().int().positive() })).min(1),
      ).default([{ modelName: "strategy-ranker", maxAgeDays: 7 }]),
      /**
       * Live drawdown (fraction of the peak) of a retraining model's trading run above which its alarm
       * invokes model-rollback. Default 0.15.
       */
      rollbackMaxDrawdown: num()
        .pipe(z.number().gt(0, { error: "expected more than 0" }).lt(1, { error: "expected less than 1" }))
        .default(0.15),
      /** Quote currency amount (e.g. USDT) each live-trading entry buys. Default 10. */
      liveOrderQuoteAmount: num()
        .pipe(z.number().positive({ error: "expected more than 0" }))
        .default(10),
      /** cleanup-resources stops backtest tasks running longer than this. Default 120. */
      backtestMaxRuntimeMinutes: int(5, 1440).default(120),
      /** cleanup-resources fails RUNNING jobs not updated for this long. Default 180. */
      jobStuckMinutes: int(5, 2880).default(180),
      /** cleanup-resources deletes backtest artifacts older than this. Default 90. */
      backtestArtifactRetentionDays: int(1, 3650).default(90),
      /** trading-heartbeat-check alerts when a heartbeat is older than this. Default 120. */
      heartbeatStaleSeconds: int(10, 86400).default(120),
      /** drift-monitor flags a model whose PSI exceeds this. Default 0.2. */
      driftThreshold: num().pipe(z.number().positive()).default(0.2),
      /** MLflow run metric compare-models ranks candidate and champion by (higher is better). Default `sharpe`. */
      compareMetric: z.string().min(1).default("sharpe"),
      /** Improvement of the compare metric a candidate needs over the champion to be promoted. Default 0. */
      minImprovement: num().pipe(z.number().min(0)).default(0),
      /** What data-collection-proxy collects every day. */
      collectionRequests: json(
        z.array(
          z.object({
            exchange: z.string().min(1),
            symbol: z
              .string()
              .regex(/^[A-Z0-9]+-[A-Z0-9]+$/, { error: "expected BASE-QUOTE, e.g. BTC-USDT" }),
            timeframe: z.string().min(1),
            lookbackHours: z.number().int().positive(),
          }),
        ),
      ).default([{ exchange: "binance", symbol: "BTC-USDT", timeframe: "1h", lookbackHours: 48 }]),
      /** Turn the EventBridge schedules off (e.g. a paused environment). Default true. */
      schedulesEnabled: bool().default(true),
    })
    .strict();
}

export type ComputeConfig = z.output<ReturnType<typeof computeConfigSchema>>;

/**
 * How the ALB serves the API's origin, or the problems with the configuration (key and message). Staging
 * and prod must serve HTTPS: bearer tokens and the origin secret must not cross the internet in clear.
 */
export function originTls(
  env: Environment,
  config: Pick<ComputeConfig, "originDomain" | "originHostedZone" | "certificateArn">,
):
  | { kind: "http" }
  | { kind: "https"; domain: string; zone: string | undefined; certificateArn: string | undefined }
  | { kind: "invalid"; problems: { key: string; message: string }[] } {
  const { originDomain, originHostedZone, certificateArn } = config;
  const problems: { key: string; message: string }[] = [];
  if (!originDomain) {
    if (env !== "dev") {
      problems.push({
        key: "tradai:originDomain",
        message: `required in ${env}: API Gateway must reach the ALB over HTTPS (set originDomain and originHostedZone, or certificateArn)`,
      });
    }
    if (certificateArn) {
      problems.push({
        key: "tradai:originDomain",
        message: "required with certificateArn (the name it covers)",
      });
    }
    if (originHostedZone) {
      problems.push({ key: "tradai:originDomain", message: "required with originHostedZone" });
    }
  } else if (!originHostedZone && !certificateArn) {
    problems.push({
      key: "tradai:originHostedZone",
      message: "required with originDomain unless certificateArn is set (the certificate's DNS validation)",
    });
  } else if (
    originHostedZone &&
    !(originDomain === originHostedZone || originDomain.endsWith(`.${originHostedZone}`))
  ) {
    problems.push({
      key: "tradai:originHostedZone",
      message: `does not contain originDomain ${originDomain}`,
    });
  }
  if (problems.length > 0) return { kind: "invalid", problems };
  return originDomain
    ? { kind: "https", domain: originDomain, zone: originHostedZone, certificateArn }
    : { kind: "http" };
}

/** Desired counts after merging config over the environment's defaults. */
export function desiredCounts(
  env: Environment,
  overrides: ComputeConfig["desiredCounts"],
): Record<EcsServiceName, number> {
  return { ...DESIRED_COUNTS[env], ...overrides };
}
