/**
 * Issue 16's scenario table as tests: each change applied to a fresh copy of this repository (its own
 * offline install, no dist/), compute (dev) planned before and after, and the images rebuilt / functions
 * updated / services updated counted as docker-build and the engine would decide (plan-changes.ts).
 * One copy, one long-lived planner and one "before" plan are shared by every row.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { esbuildOptions, lambdaBundleSpec } from "@tradai/components/lambda-bundle";
import { discoverLambdas } from "@tradai/components/platform";
import { buildSync } from "esbuild";
import { runScenarios, SCENARIOS, type ScenarioRun } from "../src/image-scenarios";
import type { PlannedResource } from "../src/plan-types";

let run: ScenarioRun;
beforeAll(async () => {
  run = await runScenarios();
}, 1_500_000);
afterAll(() => {
  run?.close();
  run?.workspace.dispose();
});

const outcome = (id: string) => {
  const o = run.outcomes.find((x) => x.scenario.id === id);
  if (!o) throw new Error(`no outcome for ${id}`);
  return o;
};
const image = (resources: PlannedResource[], name: string) => {
  const r = resources.find((x) => x.type === "docker-build:index:Image" && x.name === name);
  if (!r?.build) throw new Error(`no image ${name}`);
  return r as PlannedResource & { build: NonNullable<PlannedResource["build"]> };
};
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("every scenario meets its target (images rebuilt / functions updated / services updated)", () => {
  it.each(SCENARIOS.map((s) => [s.title, s.id, s.target] as const))("%s", (_title, id, target) => {
    const o = outcome(id);
    expect({ id, ...o.measured, images: o.changes.images.map((i) => i.name) }).toEqual({
      id,
      ...target,
      images: expect.any(Array),
    });
    expect(o.measured).toEqual(target);
  });

  it("names what rebuilds and why: the Lambda, its bundle file, its function", () => {
    const o = outcome("one-lambda");
    expect(o.changes.images.map((i) => [i.name, i.reason?.files.changed])).toEqual([
      ["sqs-consumer", ["dist/index.js"]],
    ]);
    expect(o.changes.functions.map((f) => [f.name, f.inputs])).toEqual([["sqs-consumer", ["imageUri"]]]);
    expect(outcome("one-service").changes.services.map((s) => s.name)).toEqual(["backend-api"]);
    expect(
      outcome("lambdas-common")
        .changes.images.map((i) => i.name)
        .sort(),
    ).toEqual(discoverLambdas().sort());
  });
});

describe("a fresh clone ships bundles built from its sources, with no build step run by hand", () => {
  it("bundles every Lambda during the plan, exactly what esbuild makes of the copy's sources", () => {
    const ws = run.workspace;
    // The copy had no dist/ (ignored files are not copied); the program wrote them.
    for (const fn of discoverLambdas(ws.root)) {
      const built = image(run.freshClone.resources, `images-lambda-${fn}`).build.files["dist/index.js"];
      expect({ fn, built: built?.startsWith("-rw-r--r-- ") }).toEqual({ fn, built: true });
    }
    const [expected] = buildSync(esbuildOptions(lambdaBundleSpec("sqs-consumer", ws.root))).outputFiles ?? [];
    const fresh = image(run.freshClone.resources, "images-lambda-sqs-consumer").build.files["dist/index.js"];
    expect(fresh).toBe(`-rw-r--r-- ${sha(expected?.contents ?? new Uint8Array())}`);
  });

  it("changing a handler's source changes the bundle and the image's context hash, and only that image's", () => {
    const o = outcome("one-lambda");
    const before = image(o.before.resources, "images-lambda-sqs-consumer").build;
    const after = image(o.after.resources, "images-lambda-sqs-consumer").build;
    expect(after.contextHash).not.toBe(before.contextHash);
    const bundle = o.captured["lambdas/sqs-consumer/dist/index.js"] as Buffer;
    expect(bundle.toString("utf8")).toContain("one-lambda");
    expect(after.files["dist/index.js"]).toBe(`-rw-r--r-- ${sha(bundle)}`);
    expect(image(o.after.resources, "images-lambda-health-check").build.contextHash).toBe(
      image(o.before.resources, "images-lambda-health-check").build.contextHash,
    );
  });
});

describe("a release is recorded without touching a build", () => {
  it("records the digests of the release and tags them in ECR, with every image input unchanged", () => {
    const o = outcome("release");
    const state = o.after.outputs.release as {
      latest: string;
      releases: Record<string, Record<string, string>>;
    };
    expect(state.latest).toBe("v1.0.0");
    expect(Object.keys(state.releases["v1.0.0"] ?? {}).sort()).toContain("lambda-sqs-consumer");
    const commands = o.after.resources.filter((r) => r.type === "command:local:Command");
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect((c.inputs.environment as Record<string, string>).TAG).toBe("v1.0.0");
    const before = o.before.resources.filter((r) => r.type === "docker-build:index:Image");
    const after = o.after.resources.filter((r) => r.type === "docker-build:index:Image");
    expect(after.map((r) => JSON.stringify(r.inputs))).toEqual(before.map((r) => JSON.stringify(r.inputs)));
  });
});

describe("the copy is a real second checkout", () => {
  it("has its own node_modules inside it and its own path", () => {
    expect(
      fs
        .realpathSync(`${run.workspace.root}/node_modules/esbuild`)
        .startsWith(fs.realpathSync(run.workspace.root)),
    ).toBe(true);
  });
});
