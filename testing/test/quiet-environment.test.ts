import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../src/python-env";
import { endAsyncHooksWithFile } from "../src/quiet-environment";

/** Runs a fixture directory's files in a child jest (in band) with the repository's environment and transform. */
function runFixtures(dir: string, env: NodeJS.ProcessEnv, extra: Record<string, unknown> = {}) {
  const config = {
    rootDir: path.join(__dirname, "fixtures", dir),
    testMatch: ["**/*.fixture.ts"],
    testEnvironment: path.join(REPO_ROOT, "testing", "src", "quiet-environment.ts"),
    transform: { "^.+\\.ts$": [require.resolve("@swc/jest", { paths: [REPO_ROOT] }), {}] },
    ...extra,
  };
  const result = spawnSync(
    process.execPath,
    [
      require.resolve("jest/bin/jest", { paths: [REPO_ROOT] }),
      "--config",
      JSON.stringify(config),
      "--ci",
      "-i",
    ],
    { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env } },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function runFixture(env: NodeJS.ProcessEnv): string {
  const { status, output } = runFixtures("quiet", env);
  expect(status).toBe(1); // the fixture has a failing test
  return output;
}

describe("the quiet test environment", () => {
  it("shows what a failing test wrote (and the file's hooks), hides what passing tests wrote", () => {
    const output = runFixture({ DEBUG: "" });
    expect(output).toContain("failing-test-line");
    expect(output).toContain('output of failed test "fails"');
    expect(output).toContain("hook-line");
    expect(output).not.toContain("passing-test-line");
    expect(output).not.toContain("passing-test-stderr");
  }, 60_000);

  it("lets everything through when DEBUG is set", () => {
    const output = runFixture({ DEBUG: "1" });
    expect(output).toContain("passing-test-line");
    expect(output).toContain("passing-test-stderr");
  }, 60_000);
});

describe("async hooks a test file creates", () => {
  it("are disabled when the file's environment is torn down, so they do not run on later files' promises", () => {
    const { status, output } = runFixtures(
      "hooks",
      { DEBUG: "" },
      {
        globalTeardown: path.join(__dirname, "fixtures", "hooks", "teardown.js"),
      },
    );
    expect({ status, said: output.match(/fixture hook .*/)?.[0] }).toEqual({
      status: 0,
      said: "fixture hook disabled",
    });
  }, 60_000);

  it("end with endAsyncHooksWithFile's returned function, which puts createHook back", async () => {
    const asyncHooks = require("node:async_hooks") as typeof import("node:async_hooks");
    const before = asyncHooks.createHook;
    const end = endAsyncHooksWithFile();
    let inits = 0;
    asyncHooks.createHook({ init: () => void inits++ }).enable();
    await new Promise((resolve) => setImmediate(resolve));
    const whileEnabled = inits;
    end();
    await new Promise((resolve) => setImmediate(resolve));
    expect({ whileEnabled: whileEnabled > 0, afterEnd: inits - whileEnabled }).toEqual({
      whileEnabled: true,
      afterEnd: 0,
    });
    expect(asyncHooks.createHook).toBe(before);
  });
});
