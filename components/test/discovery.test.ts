import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAMBDAS, parseEnvironment, parseLayer, UnknownNameError } from "@tradai/contracts";
import { discoverLambdas } from "../src/core/platform";

function fixtureTree(dirs: Record<string, string[]>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-discovery-"));
  for (const [dir, files] of Object.entries(dirs)) {
    fs.mkdirSync(path.join(root, "lambdas", dir), { recursive: true });
    for (const f of files) fs.writeFileSync(path.join(root, "lambdas", dir, f), "");
  }
  return root;
}

describe("discoverLambdas", () => {
  it("treats every lambdas/<dir> with a Dockerfile as a Lambda, except base and common, sorted", () => {
    const root = fixtureTree({
      "zeta-fn": ["Dockerfile"],
      "alpha-fn": ["Dockerfile", "package.json"],
      base: ["Dockerfile"],
      common: ["Dockerfile"],
      "no-dockerfile": ["package.json"],
    });
    fs.writeFileSync(path.join(root, "lambdas", "Dockerfile"), "");
    expect(discoverLambdas(root)).toEqual(["alpha-fn", "zeta-fn"]);
  });

  it("finds exactly the LAMBDAS of @tradai/contracts in this checkout (one folder, one entry)", () => {
    // LAMBDAS drives the layers; a folder without an entry (or an entry without a folder) fails here.
    expect(discoverLambdas()).toEqual([...LAMBDAS].sort());
  });

  it("returns nothing when there is no lambdas folder", () => {
    expect(discoverLambdas(fs.mkdtempSync(path.join(os.tmpdir(), "tradai-empty-")))).toEqual([]);
  });
});

describe("name parsing", () => {
  it("accepts known names and refuses unknown ones listing the valid choices", () => {
    expect(parseEnvironment("prod")).toBe("prod");
    expect(parseLayer("edge")).toBe("edge");
    expect(() => parseEnvironment("production")).toThrow(
      'unknown environment "production"; valid environments: dev, staging, prod',
    );
    expect(() => parseLayer("network")).toThrow(UnknownNameError);
  });
});
