import * as fs from "node:fs";
import * as path from "node:path";
import { bundleExternals, bundleOptions } from "@tradai/lambdas/build";

const dir = path.join(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};
const dockerfile = fs.readFileSync(path.join(dir, "Dockerfile"), "utf8");
const arg = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, "m").exec(dockerfile)?.[1];

describe("pulumi-drift-detector image", () => {
  it("keeps the Pulumi SDK out of the bundle and installs the same version in the image", () => {
    expect(bundleExternals("pulumi-drift-detector")).toEqual(["@pulumi/pulumi"]);
    expect(bundleOptions("pulumi-drift-detector").external).toEqual(["@pulumi/pulumi"]);
    expect(arg("PULUMI_SDK_VERSION")).toBe(manifest.dependencies["@pulumi/pulumi"]);
    expect(dockerfile).toMatch(/npm install [^\n]*"@pulumi\/pulumi@\$\{PULUMI_SDK_VERSION\}"/);
    expect(dockerfile).toMatch(/^ENV NODE_PATH="\/opt\/nodejs\/node_modules/m);
  });

  it("bakes the CLI and plugins at the versions the layers deploy with", () => {
    const components = JSON.parse(
      fs.readFileSync(path.join(dir, "..", "..", "components", "package.json"), "utf8"),
    ) as { dependencies: Record<string, string> };
    expect(arg("PULUMI_VERSION")).toBe(components.dependencies["@pulumi/pulumi"]);
    expect(arg("PULUMI_AWS_VERSION")).toBe(components.dependencies["@pulumi/aws"]);
    expect(arg("PULUMI_DOCKER_BUILD_VERSION")).toBe(components.dependencies["@pulumi/docker-build"]);
    expect(arg("PULUMI_COMMAND_VERSION")).toBe(components.dependencies["@pulumi/command"]);
    const edge = JSON.parse(
      fs.readFileSync(path.join(dir, "..", "..", "stacks", "edge", "package.json"), "utf8"),
    ) as {
      dependencies: Record<string, string>;
    };
    expect(arg("PULUMI_RANDOM_VERSION")).toBe(edge.dependencies["@pulumi/random"]);
    expect(dockerfile).toMatch(/plugin install resource random "\$\{PULUMI_RANDOM_VERSION\}"/);
  });

  it("bundles the other Lambdas whole", () => {
    expect(bundleExternals("sqs-consumer")).toEqual([]);
  });
});
