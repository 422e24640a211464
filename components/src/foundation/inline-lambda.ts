/**
 * Code of the inline (zip) Lambda functions: bundled from `lambdas/<name>/src/handler.ts` with esbuild at
 * program run time, so the deployed code is always the repository's.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";
import { LAMBDA_BUNDLE_OPTIONS } from "../core/lambda-bundle";
import { REPO_ROOT } from "../core/platform";

/** Where {@link bundleInlineLambda} writes the bundle: `lambdas/<name>/dist/index.js` (git-ignored). */
export function inlineBundlePath(name: string, root: string = REPO_ROOT): string {
  return path.join(root, "lambdas", name, "dist", "index.js");
}

/** One build per process: programs run once, but the offline plan and tests run them many times. */
const built = new Set<string>();

/**
 * The zip archive of one inline Lambda, holding its bundle as `index.js` (handler `index.handler`),
 * built by {@link buildInlineBundle} and written to {@link inlineBundlePath}.
 */
export function bundleInlineLambda(name: string, root: string = REPO_ROOT): pulumi.asset.AssetArchive {
  const out = inlineBundlePath(name, root);
  if (!built.has(out)) {
    const code = buildInlineBundle(name, root);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // Written under a unique name and renamed: concurrent runs never read a half-written bundle.
    const temp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(temp, code);
    fs.renameSync(temp, out);
    built.add(out);
  }
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(out) });
}

/**
 * Bundles `lambdas/<name>/src/handler.ts` into one CommonJS file (Node 24, minified, no source map, no
 * timestamps: the same source gives byte-identical output, so Pulumi sees no change unless the code
 * changed). Throws with esbuild's messages when the source does not build.
 */
export function buildInlineBundle(name: string, root: string = REPO_ROOT): Uint8Array {
  const entry = path.join(root, "lambdas", name, "src", "handler.ts");
  if (!fs.existsSync(entry)) throw new Error(`inline Lambda "${name}": ${entry} does not exist`);
  const result = buildSync({
    entryPoints: [entry],
    ...LAMBDA_BUNDLE_OPTIONS,
    write: false,
    absWorkingDir: root,
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error(`inline Lambda "${name}": esbuild produced no output`);
  return code;
}
