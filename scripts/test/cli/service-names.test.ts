/**
 * Where an operator names a service, the spec's image names are accepted as aliases of their services
 * (`backend` is `backend-api`), and the help and runbooks say what the code does.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { computeConfigSchema } from "@tradai/components/config/compute";
import { persistentConfigSchema } from "@tradai/components/config/persistent";
import { FORCE_DEPLOY_DESCRIPTION } from "../../src/cli/commands/ecs";
import {
  ECS_SERVICE_ALIASES,
  ECS_SERVICE_NAMES,
  ECS_SERVICES,
  ENVIRONMENTS,
  parseEcsService,
  REPO_ROOT,
  SERVICE_IMAGES,
} from "../../src/cli/platform";
import { runCli } from "../../src/cli/program";
import { testContext } from "./helpers";

describe("service names", () => {
  it("every image name of the spec names a service that runs that image", () => {
    for (const image of SERVICE_IMAGES) {
      const service = parseEcsService(image);
      expect(ECS_SERVICES[service]).toBe(image);
    }
    expect(parseEcsService("backend")).toBe("backend-api");
  });

  it("service names still parse to themselves, and an unknown name lists names and aliases", () => {
    for (const name of ECS_SERVICE_NAMES) expect(parseEcsService(name)).toBe(name);
    expect(() => parseEcsService("frontend")).toThrow(/backend-api.*backend \(= backend-api\)/);
  });

  it("an alias never shadows a service name", () => {
    for (const alias of Object.keys(ECS_SERVICE_ALIASES)) {
      expect(ECS_SERVICE_NAMES as string[]).not.toContain(alias);
    }
  });

  it("tradai:desiredCounts takes the image name as the service's key, and refuses both at once", () => {
    const counts = (value: string) =>
      computeConfigSchema("dev").shape.desiredCounts.safeParse(value) as {
        success: boolean;
        data?: Record<string, number>;
      };
    expect(counts('{"backend": 3}').data).toEqual({ "backend-api": 3 });
    expect(counts('{"backend": 3, "backend-api": 2}').success).toBe(false);
  });

  it("ecs events accepts the alias too (parsed before any AWS call)", async () => {
    const ctx = testContext();
    expect(await runCli(["ecs", "events", "backend", "dev", "--limit", "0"], () => ctx, ctx.io)).toBe(2);
    // Refused for the limit, not for the service name.
    expect(ctx.io.stderr.join("\n")).toContain("--limit");
  });
});

describe("docs and help agree with the code", () => {
  it("ecs force-deploy does not claim to pull a new image: tasks are pinned by digest", () => {
    expect(FORCE_DEPLOY_DESCRIPTION).not.toMatch(/re-?pull|:latest/);
    expect(FORCE_DEPLOY_DESCRIPTION).toContain("same image digest");
  });

  it.each(ENVIRONMENTS)("rollback.md states the untagged image expiry %s deploys with", (env) => {
    const days = persistentConfigSchema(env).shape.ecrUntaggedDays.parse(undefined);
    const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "rollback.md"), "utf8").replace(/\s+/g, " ");
    expect(doc).toContain(`untagged images expire after \`tradai:ecrUntaggedDays\` days, ${days} by default`);
    expect(doc).not.toMatch(/expire after a day/);
  });
});
