/**
 * How every Lambda's code is bundled: one minified CommonJS file for Node 24. Shared by the image
 * bundles (`pnpm build:lambdas`) and the inline zip of `update-nat-routes`, so both ship the same way.
 */
import type { BuildOptions } from "esbuild";

export const LAMBDA_BUNDLE_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node24",
  format: "cjs",
  minify: true,
  treeShaking: true,
  // Prefer the ES module builds of dependencies (the AWS SDK ships both): they tree-shake far better.
  mainFields: ["module", "main"],
  legalComments: "none",
  logLevel: "silent",
} as const satisfies BuildOptions;
