/**
 * `pnpm build:lambdas [name...]`: bundles each discovered Lambda into `lambdas/<name>/dist/index.js` with
 * the mechanism the compute program itself runs before it declares the images (`components/src/core/
 * lambda-bundle.ts`). Deploying needs no pre-step; this command is for benchmarks and for looking at a
 * bundle. Prints the size of each bundle and exits 1 when a name is unknown or a build fails.
 *
 * The AWS SDK is bundled, not left to the runtime's copy: the image then runs the exact client versions
 * the tests ran, and one tree-shaken file loads faster than resolving the SDK's many files at init
 * (measured by `pnpm bench:lambdas`, docs/performance.md).
 */
import * as path from "node:path";
// The lightweight modules (not the package index, which loads Pulumi).
import {
  BundleError,
  ensureBundle,
  esbuildOptions,
  bundleExternals as externalsOf,
  lambdaBundleSpec,
} from "@tradai/components/lambda-bundle";
import { discoverLambdas } from "@tradai/components/platform";
import type { BuildOptions } from "esbuild";

export const LAMBDAS_DIR = __dirname;

/** Packages a Lambda keeps out of its bundle (`tradai.bundleExternal` in its package.json). */
export function bundleExternals(name: string): string[] {
  return externalsOf(path.join(LAMBDAS_DIR, name));
}

/** The esbuild options for one Lambda (what ships), writing to `outfile`; shared with the benchmark. */
export function bundleOptions(name: string, outfile = bundlePath(name)): BuildOptions {
  const { absWorkingDir: _cwd, write: _write, ...options } = esbuildOptions(lambdaBundleSpec(name));
  return { ...options, outfile };
}

/** Where a Lambda's bundle goes. */
export function bundlePath(name: string): string {
  const spec = lambdaBundleSpec(name);
  return path.join(spec.outDir, spec.outFile);
}

export interface BuildResult {
  name: string;
  ok: boolean;
  bytes?: number;
  error?: string;
}

/** Builds the named Lambdas (all discovered when empty). Unknown names fail before anything is built. */
export async function buildLambdas(names: readonly string[] = []): Promise<BuildResult[]> {
  const known = discoverLambdas();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown Lambda ${unknown.join(", ")}; discovered: ${known.join(", ")}`);
  }
  const selected = names.length > 0 ? [...names] : known;
  return selected.map((name): BuildResult => {
    const spec = lambdaBundleSpec(name);
    try {
      const bytes = ensureBundle(spec).files[spec.outFile]?.byteLength ?? 0;
      return { name, ok: true, bytes };
    } catch (error) {
      const text = error instanceof BundleError ? error.message.replace(/^bundle \S+: /, "") : String(error);
      return { name, ok: false, error: text };
    }
  });
}

/** `812.4 KB` */
export function formatBytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(): Promise<void> {
  const started = Date.now();
  let results: BuildResult[];
  try {
    results = await buildLambdas(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const line = r.ok ? formatBytes(r.bytes ?? 0).padStart(10) : "FAILED".padStart(10);
    process.stdout.write(`${r.name.padEnd(width)}  ${line}\n`);
    if (!r.ok) process.stderr.write(`  ${r.error?.replaceAll("\n", "\n  ")}\n`);
  }
  const failed = results.filter((r) => !r.ok);
  process.stdout.write(
    `${results.length - failed.length}/${results.length} bundles built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (failed.length > 0) process.exit(1);
}

if (require.main === module) void main();
