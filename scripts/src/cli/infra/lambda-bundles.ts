/**
 * The compute layer's Lambda images copy `lambdas/<name>/dist/` (the esbuild bundle), which is a build
 * output, not a checked-in file. Every compute preview or update therefore builds all bundles first, so
 * an image can neither miss its bundle on a fresh checkout nor ship a stale one after a source edit.
 */
import type * as LambdaBuild from "../../../../lambdas/build";
import { CliError } from "../errors";
import type { StackRunner } from "./stack-runner";

/** Builds every Lambda bundle; throws when one does not build. */
export type BundleBuilder = () => Promise<void>;

/** `runner` with `build` run before each compute `up` and `preview` (other layers are returned as they are). */
export function withLambdaBundles(runner: StackRunner, build: BundleBuilder): StackRunner {
  if (runner.layer !== "compute") return runner;
  return {
    ...runner,
    async up(opts) {
      await build();
      return runner.up(opts);
    },
    async preview(opts) {
      await build();
      return runner.preview(opts);
    },
  };
}

/** The real builder: `lambdas/build.ts` (what `pnpm build:lambdas` runs), loaded on first use. */
export const buildAllLambdaBundles: BundleBuilder = async () => {
  // Loaded on first use: esbuild is not needed by commands that never touch compute.
  const { buildLambdas } = require("../../../../lambdas/build") as typeof LambdaBuild;
  const failed = (await buildLambdas()).filter((result) => !result.ok);
  if (failed.length > 0) {
    throw new CliError(
      `Lambda bundle(s) did not build, so compute was not touched:\n${failed
        .map((f) => `  ${f.name}: ${f.error ?? "unknown error"}`)
        .join("\n")}`,
      "fix the sources, then check with: pnpm build:lambdas",
    );
  }
};
