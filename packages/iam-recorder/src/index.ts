/**
 * The AWS call recorder: one SDK v3 middleware that the shared client factories attach to every client
 * they build. It is attached only when `TRADAI_IAM_RECORD` names a file (the test run sets it); in a
 * deployed Lambda or task the variable is absent, so no middleware is added and nothing is paid per call.
 *
 * Each call is appended as one JSON line: who made it (`TRADAI_IAM_PRINCIPAL`), the SigV4 signing name and
 * API operation the SDK itself resolved, the input's identifiers (never data: item bodies, message bodies
 * and object bodies are dropped) and the environment values those identifiers came from. `pnpm iam:check`
 * (packages/iam-check) turns that into `service:Action` on resource ARNs with the plan's names and asks an
 * IAM policy simulator whether the planned role allows it.
 */
import * as fs from "node:fs";
import type {
  BuildHandlerArguments,
  HandlerExecutionContext,
  MetadataBearer,
  MiddlewareStack,
} from "@smithy/types";

/** Path of the JSON-lines file to append calls to. Unset: the recorder is off. */
export const RECORD_FILE_ENV = "TRADAI_IAM_RECORD";
/** The principal whose code is running, e.g. `function:sqs-consumer` or `task:backtest`. */
export const PRINCIPAL_ENV = "TRADAI_IAM_PRINCIPAL";
/**
 * JSON object of configuration values (variable name -> values) the code was given other than through
 * `process.env` (services load config from an object in tests). Used like `process.env` to trace a
 * resource name back to the variable that carried it.
 */
export const NAMES_ENV = "TRADAI_IAM_NAMES";

/** One recorded SDK call. */
export interface RecordedCall {
  kind: "call";
  principal: string;
  /** SigV4 signing name the SDK selected, e.g. `dynamodb`, `s3`, `monitoring`. */
  signingName: string;
  /** API operation, e.g. `PutItem`, `ListObjectsV2`. */
  operation: string;
  /** The input's identifiers: scalars and nested structure, data payloads dropped. */
  input: Record<string, unknown>;
  /** Environment variables whose value occurs in an identifier of the input, name -> value. */
  names: Record<string, string>;
  /** Name of the error the call ended with, if it failed (e.g. `NoSuchKey`). */
  error?: string;
}

/** Written when a test starts recording as a principal, so a principal that makes no call is still seen. */
export interface RecordedSuite {
  kind: "suite";
  principal: string;
  testFile?: string;
}

export type RecordLine = RecordedCall | RecordedSuite;

/** Any SDK v3 client (or document client): the recorder only needs its middleware stack. */
export interface MiddlewareClient<I extends object = object, O extends MetadataBearer = MetadataBearer> {
  middlewareStack: MiddlewareStack<I, O>;
}

const MIDDLEWARE_NAME = "tradaiIamRecorder";

/**
 * Input members that carry data, not identifiers: never written. (S3 `Key` is a string and kept;
 * DynamoDB `Key` is an object of attribute values and dropped with the other data members.)
 */
const DATA_MEMBERS = new Set([
  "Item",
  "Items",
  "Key",
  "Body",
  "Message",
  "MessageBody",
  "MessageAttributes",
  "MessageGroupId",
  "MessageDeduplicationId",
  "ExpressionAttributeValues",
  "ExclusiveStartKey",
  "MetricData",
  "Payload",
  "input",
  "SecretString",
  "SecretBinary",
  "TransactItems",
  "RequestItems",
]);

const MAX_STRING = 2048;
const MAX_DEPTH = 4;

function prune(value: unknown, depth: number): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (depth >= MAX_DEPTH || value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => prune(v, depth + 1));
  if (value instanceof Uint8Array || typeof (value as { pipe?: unknown }).pipe === "function")
    return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (DATA_MEMBERS.has(key) && !(key === "Key" && typeof member === "string")) continue;
    const kept = prune(member, depth + 1);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function strings(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, into);
  return into;
}

/** Variables that carry platform names; the runtime's own (PATH, AWS_*, npm_*, ...) never do. */
function isNameVariable(name: string, value: string): boolean {
  return (
    value.length >= 3 &&
    /^[A-Z][A-Z0-9_]*$/.test(name) &&
    !/^(AWS_|NODE_|NPM_|npm_|TRADAI_IAM_|PATH$|HOME$|PWD$|SHELL$|USER$|JEST_|LANG|TERM|HOSTNAME$|PORT$|HOST$)/.test(
      name,
    )
  );
}

/**
 * The configuration values in force: `process.env` plus the values tests registered (NAMES_ENV), as
 * (variable, value) pairs: a test running two instances of a service registers each one's value.
 */
function configuredNames(env: NodeJS.ProcessEnv): [string, string][] {
  const names: [string, string][] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === "string" && isNameVariable(name, value)) names.push([name, value]);
  }
  const registered = env[NAMES_ENV];
  if (registered) {
    for (const [name, values] of Object.entries(JSON.parse(registered) as Record<string, unknown>)) {
      for (const value of Array.isArray(values) ? values : [values]) {
        if (typeof value === "string" && isNameVariable(name, value)) names.push([name, value]);
      }
    }
  }
  return names;
}

/** The call as one record: what pnpm iam:check needs to name the action, resource and conditions. */
export function describeCall(
  context: HandlerExecutionContext,
  input: unknown,
  env: NodeJS.ProcessEnv = process.env,
): RecordedCall {
  const smithy = ((context as Record<string, unknown>).__smithy_context ?? {}) as {
    operation?: string;
    selectedHttpAuthScheme?: { httpAuthOption?: { signingProperties?: { name?: string } } };
  };
  const commandName = typeof context.commandName === "string" ? context.commandName : "";
  const pruned = (prune(input, 0) ?? {}) as Record<string, unknown>;
  const identifiers = strings(pruned);
  const names: Record<string, string> = {};
  const ranks = new Map<string, number>();
  for (const [name, value] of configuredNames(env)) {
    // The identifier holds the value (a table name, a topic ARN) or is part of it (the bucket of an
    // `s3://bucket/prefix` URL, one id of a comma-separated list). Of several values of one variable, a
    // value the identifier holds wins, the longest: `jobs-x-broken` rather than `jobs-x` for a call on
    // the former, `jobs-x` for a call on `jobs-x`.
    const held = identifiers.some((id) => id.includes(value));
    const part = !held && identifiers.some((id) => id.length >= 6 && value.includes(id));
    const rank = held ? 1_000_000 + value.length : part ? value.length : 0;
    if (rank > (ranks.get(name) ?? 0)) {
      ranks.set(name, rank);
      names[name] = value;
    }
  }
  return {
    kind: "call",
    principal: env[PRINCIPAL_ENV] ?? "",
    signingName: smithy.selectedHttpAuthScheme?.httpAuthOption?.signingProperties?.name ?? "",
    operation: smithy.operation ?? commandName.replace(/Command$/, ""),
    input: pruned,
    names,
  };
}

/** Appends one line; O_APPEND keeps lines from parallel processes whole. */
export function appendRecord(file: string, line: RecordLine): void {
  fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/**
 * Adds the recorder to `client` when `TRADAI_IAM_RECORD` is set, and returns the client. Runs in the
 * build step: after the SDK selected the signing name, before retries (one record per call, not per
 * attempt).
 */
export function recordCalls<I extends object, O extends MetadataBearer, C extends MiddlewareClient<I, O>>(
  client: C & MiddlewareClient<I, O>,
  env: NodeJS.ProcessEnv = process.env,
): C {
  const file = env[RECORD_FILE_ENV];
  if (!file) return client;
  client.middlewareStack.add(
    (next, context) => async (args: BuildHandlerArguments<I>) => {
      const call = describeCall(context, args.input, env);
      try {
        return await next(args);
      } catch (error) {
        // The final error (retries happen after this step): a 404 from S3 tells the check the role
        // also needs s3:ListBucket, without which S3 answers 403 instead.
        call.error = (error as { name?: string }).name ?? "Error";
        throw error;
      } finally {
        appendRecord(file, call);
      }
    },
    { step: "build", name: MIDDLEWARE_NAME, override: true },
  );
  return client;
}
