/**
 * The jest environment of every test file: Node's, plus quiet logs and async hooks that end with the
 * file. Lambda code logs JSON lines straight to `process.stdout` (Powertools' logger, its metrics), which
 * jest does not capture: a full run would print megabytes of INFO lines between the results. Here
 * whatever the code under test writes to stdout or stderr during a test is held back and printed only
 * when that test fails (output from hooks and module loading: when any test of the file fails). `DEBUG=1`
 * (any non-empty DEBUG) lets everything through.
 */
import type { AsyncHook } from "node:async_hooks";
import type { Circus } from "@jest/types";
import { TestEnvironment } from "jest-environment-node";

type Write = typeof process.stdout.write;
/**
 * Async hooks are the worker process's, not the test file's: `node:async_hooks` is one module shared by
 * every file a jest worker runs. The AWS X-Ray SDK (behind Powertools' tracer) creates a cls-hooked
 * namespace, and so an enabled async hook, each time a file loads it; none was ever disabled, so each
 * Lambda test file left one more hook running on every promise of every later file in that worker (7% of
 * the CPU of an in-band run of every test file, in `--cpu-prof`). This records the hooks created while a
 * file runs; the returned function disables them and puts `createHook` back.
 */
export function endAsyncHooksWithFile(): () => void {
  // The module object itself (a namespace import would be a compiled copy): test files get this one.
  const asyncHooks = require("node:async_hooks") as {
    createHook: typeof import("node:async_hooks").createHook;
  };
  const original = asyncHooks.createHook;
  const created: AsyncHook[] = [];
  asyncHooks.createHook = (callbacks) => {
    const hook = original(callbacks);
    created.push(hook);
    return hook;
  };
  return () => {
    asyncHooks.createHook = original;
    for (const hook of created.splice(0)) hook.disable();
  };
}

export default class QuietEnvironment extends TestEnvironment {
  private endAsyncHooks: (() => void) | undefined;
  private readonly passthrough = Boolean(process.env.DEBUG);
  private saved: { stdout: Write; stderr: Write } | undefined;
  /** Output of the current test. */
  private testOutput: string[] = [];
  /** Output outside any test (hooks, module loading). */
  private fileOutput: string[] = [];
  private inTest = false;
  private failed = false;

  override async setup(): Promise<void> {
    await super.setup();
    this.endAsyncHooks = endAsyncHooksWithFile();
  }

  private capture(): void {
    if (this.passthrough || this.saved) return;
    this.saved = { stdout: process.stdout.write, stderr: process.stderr.write };
    const hold = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
      (this.inTest ? this.testOutput : this.fileOutput).push(
        typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(),
      );
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") done();
      return true;
    };
    process.stdout.write = hold as Write;
    process.stderr.write = hold as Write;
  }

  private release(): void {
    if (!this.saved) return;
    process.stdout.write = this.saved.stdout;
    process.stderr.write = this.saved.stderr;
    this.saved = undefined;
  }

  /** Prints held output on the real stderr, under a header naming where it came from. */
  private flush(title: string, lines: string[]): void {
    if (lines.length === 0) return;
    const write = this.saved?.stderr ?? process.stderr.write;
    write.call(
      process.stderr,
      `\n---- output of ${title} ----\n${lines.join("")}\n---- end of output ----\n`,
    );
  }

  // jest-circus calls this on every event when the environment defines it.
  async handleTestEvent(event: Circus.Event): Promise<void> {
    switch (event.name) {
      case "setup":
        this.capture();
        break;
      case "test_start":
        this.inTest = true;
        this.testOutput = [];
        break;
      case "test_done": {
        this.inTest = false;
        if (event.test.errors.length > 0) {
          this.failed = true;
          this.flush(`failed test "${event.test.name}"`, this.testOutput);
        }
        this.testOutput = [];
        break;
      }
      case "hook_failure":
        this.failed = true;
        break;
      case "teardown":
        if (this.failed) this.flush("hooks and module loading of this file", this.fileOutput);
        this.fileOutput = [];
        this.release();
        break;
    }
  }

  override async teardown(): Promise<void> {
    this.release();
    this.endAsyncHooks?.();
    await super.teardown();
  }
}
