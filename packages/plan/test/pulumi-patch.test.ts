/**
 * `patches/@pulumi__pulumi@3.276.0.patch`: Pulumi's runtime captured `new Error().stack` for every resource
 * promise (`debuggablePromise`), and read it only to report leaked promises under
 * PULUMI_DEBUG_PROMISE_LEAKS. Patched, it captures the stack only then: a tenth of the CPU of the
 * layer-plan tests, and of every program run (`pnpm plan`, `pulumi up`). The variable is read once, as
 * the module loads, so each case runs in a fresh Node.
 */
import { spawnSync } from "node:child_process";

function capturedStack(env: NodeJS.ProcessEnv): string {
  const script = [
    'const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable");',
    "const p = Promise.resolve(1);",
    'debuggablePromise(p, "probe");',
    "process.stdout.write(typeof p._debugStackTrace);",
  ].join("\n");
  const result = spawnSync(process.execPath, ["-e", script], {
    cwd: __dirname,
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...env },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

describe("the patched @pulumi/pulumi", () => {
  it("captures no stack for a resource promise unless PULUMI_DEBUG_PROMISE_LEAKS asks for leak reports", () => {
    expect(capturedStack({})).toBe("undefined");
  });

  it("still captures it for the leak report when PULUMI_DEBUG_PROMISE_LEAKS is set", () => {
    expect(capturedStack({ PULUMI_DEBUG_PROMISE_LEAKS: "1" })).toBe("string");
  });
});
