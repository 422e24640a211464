/** Stack configuration of the foundation layer (`stacks/foundation/Pulumi.<env>.yaml`, namespace `tradai`). */

import type { Environment } from "@tradai/contracts";
import { z } from "zod";
import { MAX_AZS, subnetLayout } from "../foundation/cidr";
import { commonConfigShape } from "./common";
import { bool, cidr, int, logRetention } from "./fields";
import { PROFILES } from "./profiles";

const DATABASE: Record<Environment, { instanceClass: string; backupDays: number }> = {
  dev: { instanceClass: "db.t4g.micro", backupDays: 1 },
  staging: { instanceClass: "db.t4g.small", backupDays: 7 },
  prod: { instanceClass: "db.t4g.medium", backupDays: 14 },
};

export function foundationConfigSchema(env: Environment) {
  const profile = PROFILES[env];
  const db = DATABASE[env];
  return z
    .object({
      ...commonConfigShape,
      /** Availability zones the network spans (2 to 4). Default 2 in dev, 3 in staging and prod. */
      azCount: int(2, MAX_AZS).default(profile.azCount),
      /** The VPC block, /16 to /20; every subnet is computed from it. Default 10.10/10.20/10.30.0.0/16. */
      vpcCidr: cidr()
        .superRefine((block, ctx) => {
          try {
            subnetLayout(block, 2);
          } catch (error) {
            ctx.addIssue({ code: "custom", message: (error as Error).message });
          }
        })
        .default(profile.vpcCidr),
      /**
       * How private subnets reach the internet: `instance` (one NAT instance in an Auto Scaling group,
       * cheap) or `gateway` (a managed NAT gateway per AZ, highly available). Default `instance`.
       *
       * Switching a deployed stack: the instance mode's default routes belong to the update-nat-routes
       * Lambda, not to Pulumi. Before `instance` -> `gateway`, delete the default route (0.0.0.0/0) of
       * each private route table, or creating the gateway routes fails with RouteAlreadyExists. After
       * `gateway` -> `instance`, invoke `tradai-<env>-nat-update-routes` with `{"action":"reconcile"}`:
       * Pulumi deletes the gateway routes last, after the NAT instance's first routing.
       */
      natMode: z.enum(["instance", "gateway"]).default("instance"),
      /** Graviton (arm64) instance type of the NAT instance. Default `t4g.nano`. */
      natInstanceType: z
        .string()
        .regex(/^[a-z]+\d+[a-z]*g[a-z]*\.[a-z0-9]+$/, {
          error: "expected a Graviton (arm64) instance type such as t4g.nano",
        })
        .default("t4g.nano"),
      /** Days VPC flow logs are kept (a CloudWatch Logs retention period). Default 14 / 30 / 90. */
      flowLogRetentionDays: logRetention().default(profile.logRetentionDays),
      /**
       * Days the CloudWatch logs of the NAT instance's route updater and of the MLflow database (its
       * `postgresql` and `upgrade` exports) are kept. Default 14 / 30 / 90.
       */
      logRetentionDays: logRetention().default(profile.logRetentionDays),
      /** Traffic the flow logs record: `ALL`, `ACCEPT` or `REJECT`. Default `ALL`. */
      flowLogTrafficType: z.enum(["ALL", "ACCEPT", "REJECT"]).default("ALL"),
      /** RDS instance class of the MLflow database. Default db.t4g.micro / small / medium. */
      dbInstanceClass: z
        .string()
        .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "expected an RDS instance class such as db.t4g.micro" })
        .default(db.instanceClass),
      /** PostgreSQL major version. Default 16. */
      dbEngineVersion: int(14, 17).default(16),
      /** Initial storage in GiB (gp3). Default 20. */
      dbAllocatedStorage: int(20, 65536).default(20),
      /** Storage autoscaling ceiling in GiB (at least the initial storage). Default 100. */
      dbMaxAllocatedStorage: int(20, 65536).default(100),
      /** Days automated backups are kept. Default 1 / 7 / 14. */
      dbBackupRetentionDays: int(1, 35).default(db.backupDays),
      /** A standby in a second AZ. Default prod only. */
      dbMultiAz: bool().default(env === "prod"),
      /**
       * Deletion protection, a final snapshot on delete, and `protect`. Default prod only (from the
       * environment profile's `protectData`).
       */
      dbProtect: bool().default(profile.protectData),
      /** Performance Insights (7 days, free tier); RDS for PostgreSQL supports it on every class. Default true. */
      dbPerformanceInsights: bool().default(true),
      /** Database MLflow uses. Default `mlflow`. */
      dbName: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: "expected a lower-case identifier (letters, digits, _)" })
        .default("mlflow"),
      /** Master user name (its password is generated and kept in Secrets Manager by RDS). Default `tradai_admin`. */
      dbMasterUsername: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,15}$/, {
          error: "expected a lower-case identifier of at most 16 characters",
        })
        .refine((name) => !["postgres", "rdsadmin", "admin"].includes(name), {
          error: "is a reserved name",
        })
        .default("tradai_admin"),
      /** Receives before a message moves to its queue's dead-letter queue. Default 5. */
      queueMaxReceiveCount: int(1, 1000).default(5),
      /**
       * Timeout (seconds) of the Lambdas consuming the queues (sqs-consumer, backtest-consumer); compute
       * must not configure a longer one. The visibility timeout is 6 times this. Default 60.
       */
      queueConsumerTimeoutSeconds: int(1, 900).default(60),
      /** Seconds a message stays in a work queue. Default 4 days. */
      queueRetentionSeconds: int(60, 1209600).default(345600),
      /** Email address subscribed to the alerts topic (confirm the subscription mail). Default none. */
      alertEmail: z.email({ error: "expected an email address" }).optional(),
    })
    .strict()
    .superRefine((config, ctx) => {
      if (config.dbMaxAllocatedStorage < config.dbAllocatedStorage) {
        ctx.addIssue({
          code: "custom",
          path: ["dbMaxAllocatedStorage"],
          message: `must be at least dbAllocatedStorage (${config.dbAllocatedStorage})`,
        });
      }
    });
}

export type FoundationConfig = z.output<ReturnType<typeof foundationConfigSchema>>;
