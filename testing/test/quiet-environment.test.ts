import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../src/python-env";
import { cheapPulumiDebugStacks, endAsyncHooksWithFile } from "../src/quiet-environment";

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

describe("cheapPulumiDebugStacks", () => {
  type Format = (error: Error, frames: NodeJS.CallSite[]) => unknown;
  const frame = (name: string) =>
    ({ getFunctionName: () => name, toString: () => `${name} (/x/${name}.js:1:2)` }) as NodeJS.CallSite;
  /** Calls the installed formatter with `outer` standing in for jest's formatter in the worker's realm. */
  function format(frames: NodeJS.CallSite[], outer: Format | undefined): unknown {
    const context: { prepareStackTrace?: Format } = {};
    cheapPulumiDebugStacks(context);
    const realm = Error as { prepareStackTrace?: Format };
    const saved = realm.prepareStackTrace;
    realm.prepareStackTrace = outer;
    try {
      return context.prepareStackTrace?.(new Error("m"), frames);
    } finally {
      realm.prepareStackTrace = saved;
    }
  }

  it("does not format the stack Pulumi captures for a resource promise, which only a leak report reads", () => {
    const jest = spyFormatter();
    const frames = [frame("debuggablePromise"), frame("registerResource")];
    let formatted = 0;
    for (const f of frames) {
      f.toString = () => {
        formatted++;
        return "frame";
      };
    }
    expect(format(frames, jest.format)).toBe(
      "Error: m\n    at debuggablePromise (frames kept with PULUMI_DEBUG_PROMISE_LEAKS=1)",
    );
    expect({ jest: jest.calls, frames: formatted }).toEqual({ jest: 0, frames: 0 });
  });

  it("formats it as V8 would, without jest's formatter, when PULUMI_DEBUG_PROMISE_LEAKS asks for leak reports", () => {
    const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      const jest = spyFormatter();
      expect(format([frame("debuggablePromise"), frame("registerResource")], jest.format)).toBe(
        "Error: m\n    at debuggablePromise (/x/debuggablePromise.js:1:2)\n    at registerResource (/x/registerResource.js:1:2)",
      );
      expect(jest.calls).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
    }
  });

  it("hands every other stack to jest's source-mapped formatter", () => {
    const jest = spyFormatter();
    expect(format([frame("handler"), frame("debuggablePromise")], jest.format)).toBe("mapped");
    expect(jest.calls).toBe(1);
    expect(format([frame("handler")], undefined)).toBe("Error: m\n    at handler (/x/handler.js:1:2)");
  });

  function spyFormatter() {
    const spy = { calls: 0, format: (() => "mapped") as Format };
    spy.format = () => {
      spy.calls++;
      return "mapped";
    };
    return spy;
  }
});
