/**
 * Fault 9 (issue 14): Docker's default `docker` driver cannot export the registry cache. A compute update
 * on it is refused before anything changes, with both ways out; the registry cache can be turned off.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { computeConfigSchema } from "@tradai/components";
import {
  type BuilderInfo,
  parseBuildxInspect,
  REGISTRY_CACHE_KEY,
  registryCacheEnabled,
  withBuilderCheck,
} from "../../src/cli/infra/image-builder";
import { FakeStacks } from "./helpers";

// `docker buildx inspect` on a laptop with Docker Desktop's default builder, and after `docker buildx create`.
const DEFAULT_BUILDER = `Name:          default
Driver:        docker
Last Activity: 2026-11-30 10:00:00 +0000 UTC

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.16.0
`;
const CONTAINER_BUILDER = `Name:          tradai
Driver:        docker-container
Last Activity: 2026-11-30 10:00:00 +0000 UTC

Nodes:
Name:                  tradai0
Endpoint:              unix:///var/run/docker.sock
Status:                running
`;

describe("parseBuildxInspect", () => {
  it("reads the builder's name and driver", () => {
    expect(parseBuildxInspect(DEFAULT_BUILDER)).toEqual({ name: "default", driver: "docker" });
    expect(parseBuildxInspect(CONTAINER_BUILDER)).toEqual({ name: "tradai", driver: "docker-container" });
    expect(parseBuildxInspect("ERROR: no builder")).toBeNull();
  });
});

describe("withBuilderCheck", () => {
  const run = async (builder: BuilderInfo | null, cache = true, layer: "compute" | "edge" = "compute") => {
    const fake = new FakeStacks();
    const runner = withBuilderCheck(
      await fake.factory(layer, "dev"),
      async () => builder,
      () => cache,
    );
    return { fake, up: () => runner.up({}) };
  };

  it("refuses a compute update on the docker driver, naming the builder and both remedies, touching nothing", async () => {
    const { fake, up } = await run({ name: "default", driver: "docker" });
    const error = await up().then(
      () => undefined,
      (e: unknown) => e as Error & { hint?: string },
    );
    expect(error?.message).toMatch(/builder "default" uses Docker's "docker" driver.*cannot export.*cacheTo/);
    expect(error?.hint).toMatch(/docker buildx create --use --driver docker-container/);
    expect(error?.hint).toContain(`${REGISTRY_CACHE_KEY} false`);
    expect(fake.calls).toEqual([]);
  });

  it("lets the update run on a docker-container builder, with the cache off, without Docker, or for other layers", async () => {
    for (const [builder, cache, layer] of [
      [{ name: "tradai", driver: "docker-container" }, true, "compute"],
      [{ name: "default", driver: "docker" }, false, "compute"],
      [null, true, "compute"],
      [{ name: "default", driver: "docker" }, true, "edge"],
    ] as const) {
      const { fake, up } = await run(builder, cache, layer);
      await up();
      expect(fake.calls.map((c) => `${c.op} ${c.layer}`)).toEqual([`up ${layer}`]);
    }
  });
});

describe("registryCacheEnabled and the config key", () => {
  it("reads tradai:imageRegistryCache from the compute stack file (default on)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-cache-"));
    try {
      fs.mkdirSync(path.join(root, "stacks", "compute"), { recursive: true });
      const file = path.join(root, "stacks", "compute", "Pulumi.dev.yaml");
      fs.writeFileSync(file, "config:\n  aws:region: eu-central-1\n");
      expect(registryCacheEnabled("dev", root)).toBe(true);
      fs.writeFileSync(file, `config:\n  ${REGISTRY_CACHE_KEY}: "false"\n`);
      expect(registryCacheEnabled("dev", root)).toBe(false);
      expect(registryCacheEnabled("prod", root)).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("is the key the compute config schema validates (default true, a boolean)", () => {
    const schema = computeConfigSchema("dev");
    const key = REGISTRY_CACHE_KEY.replace(/^tradai:/, "") as "imageRegistryCache";
    expect(schema.parse({})[key]).toBe(true);
    expect(schema.parse({ [key]: "false" })[key]).toBe(false);
    expect(() => schema.parse({ [key]: "maybe" })).toThrow();
  });
});
