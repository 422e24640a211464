/**
 * The local Lambda runtime (src/components/functions.ts): a function's handler runs in its own worker
 * thread, and once the runtime is stopped, a late invocation (a poller or an execution still winding down)
 * is refused instead of starting a new environment that would write to an emulator the next test owns.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFunctionRuntime } from "../src/components/functions";

describe("the local Lambda runtime", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-functions-"));
    fs.writeFileSync(path.join(dir, "index.js"), "exports.handler = async (event) => ({ echo: event });\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs the handler, and refuses invocations after stop() without starting it again", async () => {
    const runtime = createFunctionRuntime({
      functions: [
        {
          key: "echo",
          functionName: "tradai-test-echo",
          arn: "arn:aws:lambda:eu-central-1:123456789012:function:tradai-test-echo",
          environment: {},
          timeoutSeconds: 10,
        },
      ],
      code: { handlerOf: () => path.join(dir, "index.js") },
      region: "eu-central-1",
      environmentOf: () => ({}),
      log: () => {},
    });
    try {
      expect(await runtime.invoke("echo", { n: 1 })).toEqual({ echo: { n: 1 } });
    } finally {
      await runtime.stop();
    }
    try {
      await expect(runtime.invoke("echo", { n: 2 })).rejects.toThrow("echo: stopped");
    } finally {
      await runtime.stop(); // ends an environment a wrong answer would have started
    }
    expect(runtime.recent().map((r) => r.ok)).toEqual([true, false]);
  });
});
