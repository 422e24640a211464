/** The CLI as a process: `--help`, exit codes, and that help loads none of the heavy SDKs. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../src/cli/platform";

const MAIN = path.join(REPO_ROOT, "scripts", "src", "cli", "main.ts");

function node(args: string[]) {
  return spawnSync(process.execPath, ["--require", "tsx/cjs", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
}

describe("tradai as a process", () => {
  it("--help lists the command groups and exits 0", () => {
    const result = node([MAIN, "--help"]);
    expect(result.status).toBe(0);
    for (const group of ["infra", "lambda", "service", "images", "ecs", "libs"]) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${group}\\b`, "m"));
    }
  });

  it("exits 2 with the valid choices for an unknown layer", () => {
    const result = node([MAIN, "infra", "up", "nowhere", "dev"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("valid layers: persistent, foundation, compute, edge");
  });

  it("help loads neither the Pulumi SDK, the AWS SDK, listr2 nor clack (tsx itself loads esbuild)", () => {
    const script = `
      const { runCli } = require(${JSON.stringify(path.join(REPO_ROOT, "scripts", "src", "cli", "program.ts"))});
      const quiet = { out() {}, err() {} };
      runCli(["infra", "--help"], undefined, quiet).then((code) => {
        const heavy = Object.keys(require.cache).filter((k) => /@pulumi|@aws-sdk|listr2|@clack/.test(k));
        process.stdout.write(JSON.stringify({ code, heavy }));
      });`;
    const result = node(["-e", script]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ code: 0, heavy: [] });
  });
});
