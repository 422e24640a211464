/**
 * The jest environment of every test file: Node's, plus quiet logs. Lambda code logs JSON lines straight to
 * `process.stdout` (Powertools' logger, its metrics), which jest does not capture: a full run would print
 * megabytes of INFO lines between the results. Here whatever the code under test writes to stdout or
 * stderr during a test is held back and printed only when that test fails (output from hooks and module
 * loading: when any test of the file fails). `DEBUG=1` (any non-empty DEBUG) lets everything through.
 */
import type { Circus } from "@jest/types";
import { TestEnvironment } from "jest-environment-node";

type Write = typeof process.stdout.write;

export default class QuietEnvironment extends TestEnvironment {
  private readonly passthrough = Boolean(process.env.DEBUG);
  private saved: { stdout: Write; stderr: Write } | undefined;
  /** Output of the current test. */
  private testOutput: string[] = [];
  /** Output outside any test (hooks, module loading). */
  private fileOutput: string[] = [];
  private inTest = false;
  private failed = false;

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
    await super.teardown();
  }
}
