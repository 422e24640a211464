/**
 * Reads and validates a stack's configuration at program start. Every layer keeps its keys under the
 * `tradai:` namespace of its `Pulumi.<env>.yaml`; unknown keys are refused so a typo cannot silently fall
 * back to a default.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type Environment, parseEnvironment, UnknownNameError } from "@tradai/contracts";
import type { z } from "zod";

export const CONFIG_NAMESPACE = "tradai";

/** A stack's configuration as a {@link ConfigError} names it. */
export const stackSource = (stackName: string): string => `stack "${stackName}"`;

/** The stack's raw config under one namespace, keys without the namespace prefix. */
export function rawConfig(namespace: string = CONFIG_NAMESPACE): Record<string, string> {
  const prefix = `${namespace}:`;
  const all = pulumi.runtime.allConfig();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    // The runtime may present keys as `ns:key` or the older `ns:config:key`.
    if (!key.startsWith(prefix)) continue;
    out[key.slice(prefix.length).replace(/^config:/, "")] = value;
  }
  return out;
}

/** Fully qualified name of the running stack, for messages. */
export function currentStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** The environment of the running stack: the stack name must be one of dev, staging, prod. */
export function currentEnvironment(): Environment {
  try {
    return parseEnvironment(pulumi.getStack());
  } catch (error) {
    if (error instanceof UnknownNameError) {
      throw new ConfigError(stackSource(currentStackName()), [
        {
          key: "stack name",
          message: `stacks are environments; expected one of ${error.choices.join(", ")}`,
        },
      ]);
    }
    throw error;
  }
}

/**
 * Validates `raw` against `schema`, turning zod issues into a {@link ConfigError} that names the stack,
 * each key (`tradai:<key>`) and what was expected.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  raw: Record<string, string>,
  stack: string,
  namespace: string = CONFIG_NAMESPACE,
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ key: `${namespace}:${k}`, message: "unknown key" }));
    }
    const [first, ...rest] = issue.path.map(String);
    const key = `${namespace}:${first ?? "(root)"}${rest.length ? `.${rest.join(".")}` : ""}`;
    const message = issue.code === "invalid_type" && issue.input === undefined ? "required" : issue.message;
    return [{ key, message }];
  });
  throw new ConfigError(stackSource(stack), problems);
}

/** Reads a required key of another namespace (e.g. `aws:region`) with a clear error. */
export function requireNamespaced(namespace: string, key: string): string {
  const value = new pulumi.Config(namespace).get(key);
  if (value === undefined || value === "") {
    throw new ConfigError(stackSource(currentStackName()), [
      { key: `${namespace}:${key}`, message: "required" },
    ]);
  }
  return value;
}
