import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../src/python-env";

/** Runs the fixture file in a child jest with the repository's environment and transform. */
function runFixture(env: NodeJS.ProcessEnv): string {
  const config = {
    rootDir: path.join(__dirname, "fixtures", "quiet"),
    testMatch: ["**/*.fixture.ts"],
    testEnvironment: path.join(REPO_ROOT, "testing", "src", "quiet-environment.ts"),
    transform: { "^.+\\.ts$": [require.resolve("@swc/jest", { paths: [REPO_ROOT] }), {}] },
  };
  const result = spawnSync(
    process.execPath,
    [require.resolve("jest/bin/jest", { paths: [REPO_ROOT] }), "--config", JSON.stringify(config), "--ci"],
    { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env } },
  );
  expect(result.status).toBe(1); // the fixture has a failing test
  return `${result.stdout}${result.stderr}`;
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
