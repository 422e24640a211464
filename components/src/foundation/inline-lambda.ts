/**
 * Code of the inline (zip) Lambda functions: bundled from `lambdas/<name>/src/handler.ts` at program run
 * time by the same mechanism as the Lambda images (`core/lambda-bundle.ts`), so the deployed code is
 * always the repository's.
 */

import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BundleError, ensureBundle, lambdaBundleSpec } from "../core/lambda-bundle";
import { REPO_ROOT } from "../core/platform";

/** Where {@link bundleInlineLambda} writes the bundle: `lambdas/<name>/dist/index.js` (git-ignored). */
export function inlineBundlePath(name: string, root: string = REPO_ROOT): string {
  const spec = lambdaBundleSpec(name, root);
  return path.join(spec.outDir, spec.outFile);
}

/**
 * The zip archive of one inline Lambda, holding its bundle as `index.js` (handler `index.handler`),
 * built by {@link buildInlineBundle} and written to {@link inlineBundlePath}.
 */
export function bundleInlineLambda(name: string, root: string = REPO_ROOT): pulumi.asset.AssetArchive {
  buildInlineBundle(name, root);
  return new pulumi.asset.AssetArchive({
    "index.js": new pulumi.asset.FileAsset(inlineBundlePath(name, root)),
  });
}

/**
 * Bundles `lambdas/<name>/src/handler.ts` into one CommonJS file (Node 24, minified, no source map, no
 * timestamps: the same source gives byte-identical output, so Pulumi sees no change unless the code
 * changed) and writes it to {@link inlineBundlePath}. Throws with esbuild's messages when the source does
 * not build.
 */
export function buildInlineBundle(name: string, root: string = REPO_ROOT): Uint8Array {
  const spec = lambdaBundleSpec(name, root);
  let code: Uint8Array | undefined;
  try {
    code = ensureBundle(spec).files[spec.outFile];
  } catch (error) {
    throw new Error(
      `inline Lambda "${name}": ${error instanceof BundleError ? error.message.replace(/^bundle \S+: /, "") : String(error)}`,
    );
  }
  if (!code) throw new Error(`inline Lambda "${name}": esbuild produced no output`);
  return code;
}
