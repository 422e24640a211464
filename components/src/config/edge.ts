/** Stack configuration of the edge layer (`stacks/edge/Pulumi.<env>.yaml`, namespace `tradai`). */

import type { Environment } from "@tradai/contracts";
import { z } from "zod";
import { commonConfigShape } from "./common";
import { bool, cidr, int, json, logRetention, num } from "./fields";
import { PROFILES } from "./profiles";

/** Per-environment defaults: production takes more traffic and tolerates fewer errors. */
const DEFAULTS: Record<
  Environment,
  {
    rate: number;
    burst: number;
    wafLimit: number;
    alb5xx: number;
    api5xx: number;
    rdsCpu: number;
    rdsStorageGb: number;
  }
> = {
  dev: { rate: 20, burst: 40, wafLimit: 500, alb5xx: 10, api5xx: 10, rdsCpu: 90, rdsStorageGb: 2 },
  staging: { rate: 50, burst: 100, wafLimit: 1000, alb5xx: 5, api5xx: 5, rdsCpu: 85, rdsStorageGb: 5 },
  prod: { rate: 200, burst: 400, wafLimit: 2000, alb5xx: 1, api5xx: 1, rdsCpu: 80, rdsStorageGb: 10 },
};

/** A hostname (no scheme, no path). */
const hostname = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, {
  error: "expected a DNS hostname such as origin.tradai.io",
});

const percent = () =>
  num().pipe(z.number().gt(0, { error: "expected more than 0" }).max(100, { error: "expected at most 100" }));

export function edgeConfigSchema(env: Environment) {
  const d = DEFAULTS[env];
  return z
    .object({
      ...commonConfigShape,
      /** Steady-state requests per second the API stage accepts (all methods). Default 20 / 50 / 200. */
      apiThrottleRateLimit: num()
        .pipe(z.number().positive({ error: "expected more than 0" }).max(10000))
        .default(d.rate),
      /** Burst of requests the API stage accepts above the rate. Default 40 / 100 / 400. */
      apiThrottleBurstLimit: int(1, 5000).default(d.burst),
      /** API Gateway execution logging: `OFF`, `ERROR` or `INFO`. Default `INFO` in dev, else `ERROR`. */
      apiLoggingLevel: z.enum(["OFF", "ERROR", "INFO"]).default(env === "dev" ? "INFO" : "ERROR"),
      /** X-Ray tracing on the API stage. Default true. */
      apiTracing: bool().default(true),
      /**
       * Hostname API Gateway calls the ALB by; must match the ALB's certificate when it serves HTTPS.
       * Default: the compute layer's `alb.originHost` (its `originDomain`, else the ALB's DNS name).
       */
      albOriginHost: hostname.optional(),
      /**
       * CIDR blocks (e.g. the operators' VPN egress) allowed to reach the ALB directly; everything else
       * must come through the API with the origin-verify header. Default none.
       */
      albAllowedCidrs: json(z.array(cidr())).default([]),
      /** Requests one IP may make in any 5-minute window before WAF blocks it. Default 500 / 1000 / 2000. */
      wafRateLimit: int(10, 2_000_000_000).default(d.wafLimit),
      /**
       * Rules of AWSManagedRulesCommonRuleSet switched to count (e.g. `SizeRestrictions_BODY` for large
       * strategy uploads). Default none.
       */
      wafCountRules: json(
        z.array(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "expected a rule name" })),
      ).default([]),
      /** Days API access logs and WAF logs are kept. Default the environment's log retention. */
      logRetentionDays: logRetention().default(PROFILES[env].logRetentionDays),
      /**
       * Manage the account-wide API Gateway CloudWatch role (`aws.apigateway.Account`). Set false in all
       * but one environment when several share an account and region. Default true.
       */
      manageApiGatewayAccount: bool().default(true),
      /** Alarm when ALB 5xx responses exceed this percentage of requests. Default 10 / 5 / 1. */
      alb5xxPercent: percent().default(d.alb5xx),
      /** Alarm when API 5xx responses exceed this percentage of requests. Default 10 / 5 / 1. */
      api5xxPercent: percent().default(d.api5xx),
      /** Alarm when database CPU stays above this percentage for 15 minutes. Default 90 / 85 / 80. */
      rdsCpuPercent: percent().default(d.rdsCpu),
      /** Alarm when the database's free storage drops below this many GiB. Default 2 / 5 / 10. */
      rdsFreeStorageGb: num()
        .pipe(z.number().positive({ error: "expected more than 0" }))
        .default(d.rdsStorageGb),
      /** Alarm when any model's `DriftScore` (max PSI) exceeds this. Default 0.25 (significant shift). */
      driftScoreThreshold: num()
        .pipe(z.number().positive({ error: "expected more than 0" }))
        .default(0.25),
    })
    .strict();
}

export type EdgeConfig = z.output<ReturnType<typeof edgeConfigSchema>>;
