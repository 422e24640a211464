/**
 * `pnpm plan --base`: the rebuild prediction follows docker-build's Diff (context hash + compared
 * inputs, registry passwords ignored), and consumers update when their inputs or task definitions do.
 */

import type { ImageBuild } from "../src/image-build";
import { contentDigest, rebuildReason } from "../src/image-build";
import { changesHeadline, comparePlans, renderChanges } from "../src/plan-changes";
import type { LayerPlan, PlannedResource } from "../src/plan-types";

const build = (over: Partial<ImageBuild> = {}, inputs: Record<string, unknown> = {}): ImageBuild => ({
  contextHash: "c1",
  dockerfile: "d1",
  ignoreFile: ".dockerignore",
  files: { "dist/index.js": "-rw-r--r-- aaa" },
  inputs: {
    buildArgs: { SOURCE_DATE_EPOCH: "0" },
    tags: ["repo:latest"],
    registries: [{ address: "r", username: "AWS" }],
    ...inputs,
  },
  ...over,
});

const resource = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource> = {},
) =>
  ({
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    stateUrn: `urn:pulumi:dev::p::${type}::${name}`,
    aliases: [],
    type,
    name,
    custom: true,
    parent: null,
    dependsOn: [],
    propertyDependencies: {},
    protect: false,
    retainOnDelete: false,
    provider: null,
    inputs,
    ...extra,
  }) as PlannedResource;

const plan = (resources: PlannedResource[]): LayerPlan => ({
  project: "tradai-compute",
  stack: "dev",
  layer: "compute",
  resources,
  outputs: {},
});

const IMAGE = "docker-build:index:Image";
const FN = "aws:lambda/function:Function";
const SVC = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";

function world(images: Record<string, ImageBuild>) {
  const task = resource(TASK, "backend-api", {
    containerDefinitions: `[{"image":"${contentDigest(images.backend as ImageBuild)}"}]`,
  });
  return plan([
    ...Object.entries(images).map(([n, b]) => resource(IMAGE, `images-${n}`, {}, { build: b })),
    resource(FN, "sqs-consumer", {
      imageUri: `repo@${contentDigest(images["lambda-sqs-consumer"] as ImageBuild)}`,
    }),
    resource(
      SVC,
      "backend-api",
      { taskDefinition: "arn:...:1" },
      { propertyDependencies: { taskDefinition: [task.urn] } },
    ),
    task,
  ]);
}

describe("rebuildReason", () => {
  it("ignores a new registry password and nothing else", () => {
    expect(rebuildReason(build(), build({}, { registries: [{ address: "r", username: "AWS" }] }))).toBeNull();
    expect(rebuildReason(build(), build({}, { tags: ["repo:v2"] }))?.inputs).toEqual(["tags"]);
    expect(rebuildReason(build(), build({}, { exec: true }))).toBeNull(); // exec is not compared by docker-build
  });

  it("names the files behind a context hash change", () => {
    const reason = rebuildReason(
      build(),
      build({
        contextHash: "c2",
        files: { "dist/index.js": "-rw-r--r-- bbb", "dist/new.js": "-rw-r--r-- c" },
      }),
    );
    expect(reason).toMatchObject({
      inputs: [],
      contextHash: true,
      files: { changed: ["dist/index.js"], added: ["dist/new.js"], removed: [] },
    });
  });
});

describe("comparePlans", () => {
  const base = { "lambda-sqs-consumer": build(), backend: build({ contextHash: "b1" }) };

  it("lists nothing for identical plans", () => {
    const c = comparePlans([world(base)], [world(base)]);
    expect([c.images, c.functions, c.services]).toEqual([[], [], []]);
    expect(changesHeadline(c)).toBe("this change rebuilds 0 images; updates 0 functions and 0 services");
  });

  it("one Lambda's bundle: rebuilds its image and updates its function", () => {
    const head = {
      ...base,
      "lambda-sqs-consumer": build({ contextHash: "c2", files: { "dist/index.js": "-rw-r--r-- zzz" } }),
    };
    const c = comparePlans([world(base)], [world(head)]);
    expect(c.images.map((i) => i.name)).toEqual(["sqs-consumer"]);
    expect(c.functions).toEqual([{ name: "sqs-consumer", change: "update", inputs: ["imageUri"] }]);
    expect(c.services).toEqual([]);
    expect(changesHeadline(c)).toBe(
      "this change rebuilds 1 image: sqs-consumer; updates 1 function: sqs-consumer and 0 services",
    );
    expect(renderChanges(c)).toContain("| sqs-consumer | files ~dist/index.js |");
  });

  it("a service image: the service rolls through its task definition", () => {
    const head = { ...base, backend: build({ contextHash: "b2" }) };
    const c = comparePlans([world(base)], [world(head)]);
    expect(c.images.map((i) => i.name)).toEqual(["backend"]);
    expect(c.functions).toEqual([]);
    expect(c.services).toEqual([
      { name: "backend-api", change: "update", inputs: ["taskDefinition(containerDefinitions)"] },
    ]);
  });

  it("says when the base plan predates build records instead of guessing", () => {
    const old = world(base);
    for (const r of old.resources) delete r.build;
    const c = comparePlans([old], [world(base)]);
    expect(c.images).toHaveLength(2);
    expect(c.notes[0]).toMatch(/no build record/);
  });
});
