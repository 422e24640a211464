import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceOptions, formerType } from "../core/options";

export interface DatabaseArgs {
  /** RDS instance identifier; also names the subnet and parameter groups. */
  identifier: string;
  /** Isolated subnets (at least two AZs, as RDS requires). */
  subnetIds: pulumi.Input<string>[];
  /** The only security group attached (its ingress decides who connects). */
  securityGroupId: pulumi.Input<string>;
  /** @default "db.t4g.micro" */
  instanceClass?: string;
  /** PostgreSQL major version; the parameter group family follows it. @default 16 */
  engineMajorVersion?: number;
  /** Initial gp3 storage in GiB. @default 20 */
  allocatedStorage?: number;
  /** Storage autoscaling ceiling in GiB. @default 100 */
  maxAllocatedStorage?: number;
  /** Days automated backups are kept. @default 7 */
  backupRetentionDays?: number;
  /** A synchronous standby in another AZ. @default false */
  multiAz?: boolean;
  /**
   * Deletion protection, a final snapshot on delete (`<identifier>-final`), `protect` and retain on
   * delete. Off: the instance can be destroyed without a snapshot (dev, staging). @default false
   */
  protect?: boolean;
  /** Performance Insights with the free 7-day retention. @default true */
  performanceInsights?: boolean;
  /** Database created at launch. @default "mlflow" */
  dbName?: string;
  /** Master user; RDS generates its password and keeps it in Secrets Manager. @default "tradai_admin" */
  masterUsername?: string;
  /** Days the exported PostgreSQL logs are kept in CloudWatch Logs. @default 14 */
  logRetentionDays?: number;
}

/** Logs the instance exports to CloudWatch Logs. */
const LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * The MLflow backend store: RDS PostgreSQL in the isolated subnets, encrypted, never publicly accessible,
 * TLS enforced by its parameter group (`rds.force_ssl`), with a master password RDS generates, rotates and
 * keeps in Secrets Manager (nothing in config or state), automated backups, and logs in CloudWatch.
 *
 * @example
 * new Database("mlflow-db", { identifier: ctx.name("mlflow"), subnetIds, securityGroupId, protect: true, multiAz: true }, ctx.opts);
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly parameterGroup: aws.rds.ParameterGroup;
  readonly subnetGroup: aws.rds.SubnetGroup;
  /** ARN of the Secrets Manager secret holding the master user's credentials. */
  readonly masterSecretArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:Database", name, {}, formerType("tradai:data:Database", opts));
    const child = { parent: this };
    const protect = args.protect ?? false;
    const major = args.engineMajorVersion ?? 16;

    this.subnetGroup = new aws.rds.SubnetGroup(
      name,
      {
        name: args.identifier,
        description: `Isolated subnets of ${args.identifier}`,
        subnetIds: args.subnetIds,
      },
      child,
    );
    this.parameterGroup = new aws.rds.ParameterGroup(
      name,
      {
        name: `${args.identifier}-pg${major}`,
        family: `postgres${major}`,
        description: `${args.identifier}: TLS only`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_min_duration_statement", value: "1000" },
        ],
      },
      // Named by major version: an upgrade creates the new family's group before the old one goes.
      child,
    );

    // Created before the instance: RDS would otherwise create them with no retention.
    const logGroups = LOG_EXPORTS.map(
      (log) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${log}`,
          {
            name: `/aws/rds/instance/${args.identifier}/${log}`,
            retentionInDays: args.logRetentionDays ?? 14,
          },
          child,
        ),
    );
    this.instance = new aws.rds.Instance(
      name,
      {
        identifier: args.identifier,
        engine: "postgres",
        engineVersion: String(major),
        instanceClass: args.instanceClass ?? "db.t4g.micro",
        allocatedStorage: args.allocatedStorage ?? 20,
        maxAllocatedStorage: args.maxAllocatedStorage ?? 100,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: args.dbName ?? "mlflow",
        username: args.masterUsername ?? "tradai_admin",
        manageMasterUserPassword: true,
        dbSubnetGroupName: this.subnetGroup.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        parameterGroupName: this.parameterGroup.name,
        publiclyAccessible: false,
        multiAz: args.multiAz ?? false,
        backupRetentionPeriod: args.backupRetentionDays ?? 7,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        deletionProtection: protect,
        skipFinalSnapshot: !protect,
        finalSnapshotIdentifier: protect ? `${args.identifier}-final` : undefined,
        performanceInsightsEnabled: args.performanceInsights ?? true,
        performanceInsightsRetentionPeriod: (args.performanceInsights ?? true) ? 7 : undefined,
        enabledCloudwatchLogsExports: [...LOG_EXPORTS],
        caCertIdentifier: "rds-ca-rsa2048-g1",
      },
      { ...child, ...dataResourceOptions(protect), dependsOn: logGroups },
    );
    this.masterSecretArn = this.instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets[0]?.secretArn;
      if (!arn) throw new Error(`RDS instance ${args.identifier} reports no managed master user secret`);
      return arn;
    });
    this.registerOutputs({ address: this.instance.address, masterSecretArn: this.masterSecretArn });
  }
}
