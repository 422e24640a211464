import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceOptions, formerType } from "../core/options";

export type KeyType = "S" | "N" | "B";

export interface GlobalIndex {
  name: string;
  hashKey: string;
  rangeKey?: string;
}

export interface DataTableArgs {
  /** Physical table name. */
  tableName: string;
  hashKey: { name: string; type: KeyType };
  rangeKey?: { name: string; type: KeyType };
  /** Global secondary indexes (projection ALL); their key attributes go in `indexAttributes`. @default [] */
  globalIndexes?: GlobalIndex[];
  /** Types of the index key attributes that are not table keys. @default {} */
  indexAttributes?: Record<string, KeyType>;
  /** Attribute holding an epoch-seconds expiry; enables TTL. @default none */
  ttlAttribute?: string;
  /** Point-in-time recovery. @default true */
  pointInTimeRecovery?: boolean;
  /** Deletion protection, `protect` and retain on delete. @default false */
  protectData?: boolean;
}

/**
 * An on-demand DynamoDB table with server-side encryption, point-in-time recovery, optional TTL and
 * indexes, and deletion protection where data must survive.
 *
 * @example
 * new DataTable("jobs", { tableName: ctx.name("jobs"), hashKey: { name: "jobId", type: "S" } }, ctx.opts);
 */
export class DataTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: DataTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:persistent:DataTable", name, {}, formerType("tradai:data:DataTable", opts));
    const protectData = args.protectData ?? false;
    const attributes = new Map<string, KeyType>([[args.hashKey.name, args.hashKey.type]]);
    if (args.rangeKey) attributes.set(args.rangeKey.name, args.rangeKey.type);
    for (const [attr, type] of Object.entries(args.indexAttributes ?? {})) attributes.set(attr, type);

    this.table = new aws.dynamodb.Table(
      name,
      {
        name: args.tableName,
        billingMode: "PAY_PER_REQUEST",
        hashKey: args.hashKey.name,
        rangeKey: args.rangeKey?.name,
        attributes: [...attributes].map(([attrName, type]) => ({ name: attrName, type })),
        globalSecondaryIndexes: (args.globalIndexes ?? []).map((index) => ({
          name: index.name,
          hashKey: index.hashKey,
          rangeKey: index.rangeKey,
          projectionType: "ALL",
        })),
        ttl: args.ttlAttribute ? { attributeName: args.ttlAttribute, enabled: true } : undefined,
        pointInTimeRecovery: { enabled: args.pointInTimeRecovery ?? true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: protectData,
      },
      { parent: this, ...dataResourceOptions(protectData) },
    );
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}
