/**
 * ARCHITECTURE.md section 2: everything that differs between environments lives in `Pulumi.<env>.yaml`.
 * The schemas keep per-environment defaults as a safety net; this test makes each such value explicit in
 * every stack file, so a reviewer sees prod's settings in prod's file, and requires the stated value to
 * agree with the schema's default for that environment: one truth, so a stack whose file loses a key
 * keeps its settings. Changing an environment's value means changing both.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS, type Environment } from "@tradai/contracts";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { bootstrapConfigSchema } from "../src/config/bootstrap";
import { computeConfigSchema } from "../src/config/compute";
import { edgeConfigSchema } from "../src/config/edge";
import { foundationConfigSchema } from "../src/config/foundation";
import { persistentConfigSchema } from "../src/config/persistent";
import { REPO_ROOT } from "../src/core/platform";

type SchemaFor = (env: Environment) => z.ZodType<Record<string, unknown>, Record<string, string>>;

const projects: { name: string; dir: string; schema: SchemaFor }[] = [
  { name: "bootstrap", dir: REPO_ROOT, schema: bootstrapConfigSchema as SchemaFor },
  {
    name: "persistent",
    dir: path.join(REPO_ROOT, "stacks", "persistent"),
    schema: persistentConfigSchema as SchemaFor,
  },
  {
    name: "foundation",
    dir: path.join(REPO_ROOT, "stacks", "foundation"),
    schema: foundationConfigSchema as SchemaFor,
  },
  {
    name: "compute",
    dir: path.join(REPO_ROOT, "stacks", "compute"),
    schema: computeConfigSchema as SchemaFor,
  },
  { name: "edge", dir: path.join(REPO_ROOT, "stacks", "edge"), schema: edgeConfigSchema as SchemaFor },
];

function stackConfig(dir: string, env: Environment): Record<string, string> {
  const doc = parseYaml(fs.readFileSync(path.join(dir, `Pulumi.${env}.yaml`), "utf8")) as {
    config?: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(doc.config ?? {})
      .filter(([key]) => key.startsWith("tradai:"))
      .map(([key, value]) => [
        key.slice("tradai:".length),
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
  );
}

/** Each environment's defaults, and the keys whose default differs between environments. */
function perEnvironment(schema: SchemaFor) {
  const defaults = Object.fromEntries(ENVIRONMENTS.map((env) => [env, schema(env).parse({})]));
  const differing = Object.keys(defaults.dev ?? {}).filter(
    (key) => new Set(ENVIRONMENTS.map((env) => JSON.stringify(defaults[env]?.[key]))).size > 1,
  );
  return { defaults, differing };
}

describe.each(projects)("$name stack files", ({ dir, schema }) => {
  const { defaults, differing } = perEnvironment(schema);

  it.each(ENVIRONMENTS)(
    "Pulumi.%s.yaml states every value that differs between environments, and validates",
    (env) => {
      const config = stackConfig(dir, env);
      expect(differing.filter((key) => !(key in config))).toEqual([]);
      expect(() => schema(env).parse(config)).not.toThrow();
    },
  );

  it.each(ENVIRONMENTS)("Pulumi.%s.yaml states the schema's default for the environment", (env) => {
    const stated = schema(env).parse(stackConfig(dir, env));
    const disagreeing = differing
      .filter((key) => JSON.stringify(stated[key]) !== JSON.stringify(defaults[env]?.[key]))
      .map((key) => ({ key, stated: stated[key], default: defaults[env]?.[key] }));
    expect(disagreeing).toEqual([]);
  });
});

describe("the per-environment check", () => {
  it("covers the foundation's log retention (a config key, no longer a code profile)", () => {
    const { defaults, differing } = perEnvironment(foundationConfigSchema as SchemaFor);
    expect(differing).toEqual(expect.arrayContaining(["logRetentionDays", "flowLogRetentionDays"]));
    expect(ENVIRONMENTS.map((env) => defaults[env]?.logRetentionDays)).toEqual([14, 30, 90]);
  });
});
