/**
 * `pnpm build:lambdas [name...]`: bundles each discovered Lambda from `lambdas/<name>/src/handler.ts` into
 * `lambdas/<name>/dist/index.js` (CommonJS, Node 24, minified, tree-shaken), which is all its image copies.
 * Prints the size of each bundle and exits 1 when a name is unknown or a build fails.
 *
 * The AWS SDK is bundled, not left to the runtime's copy: the image then runs the exact client versions
 * the tests ran, and one tree-shaken file loads faster than resolving the SDK's many files at init
 * (measured by `pnpm bench:lambdas`, docs/performance.md).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type BuildOptions, build } from "esbuild";
// The lightweight module that defines discovery (not the package index, which loads Pulumi).
import { LAMBDA_BUNDLE_OPTIONS } from "../components/src/core/lambda-bundle";
import { discoverLambdas } from "../components/src/core/platform";

export const LAMBDAS_DIR = __dirname;

/**
 * Packages a Lambda keeps out of its bundle, from `tradai.bundleExternal` in its package.json. Its
 * Dockerfile must install them (pinned) where Node finds them, e.g. the Pulumi SDK of
 * pulumi-drift-detector: megabytes that only its Automation API code path loads.
 */
export function bundleExternals(name: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(LAMBDAS_DIR, name, "package.json"), "utf8")) as {
    tradai?: { bundleExternal?: unknown };
  };
  const external = manifest.tradai?.bundleExternal ?? [];
  if (!Array.isArray(external) || !external.every((e): e is string => typeof e === "string")) {
    throw new Error(`lambdas/${name}/package.json: tradai.bundleExternal must be a list of package names`);
  }
  return external;
}

/** The esbuild options for one Lambda; shared with the benchmark so it measures what ships. */
export function bundleOptions(name: string, outfile = bundlePath(name)): BuildOptions {
  return {
    external: bundleExternals(name),
    entryPoints: [path.join(LAMBDAS_DIR, name, "src", "handler.ts")],
    outfile,
    ...LAMBDA_BUNDLE_OPTIONS,
    metafile: true,
  };
}

/** Where a Lambda's bundle goes. */
export function bundlePath(name: string): string {
  return path.join(LAMBDAS_DIR, name, "dist", "index.js");
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
  return Promise.all(
    selected.map(async (name): Promise<BuildResult> => {
      const dist = path.dirname(bundlePath(name));
      // A stale bundle must never survive a failed build and end up in an image.
      fs.rmSync(dist, { recursive: true, force: true });
      try {
        await build(bundleOptions(name));
        // docker-build hashes file modes into the context: fix them so the umask cannot force a rebuild.
        fs.chmodSync(dist, 0o755);
        fs.chmodSync(bundlePath(name), 0o644);
        return { name, ok: true, bytes: fs.statSync(bundlePath(name)).size };
      } catch (error) {
        const errors = (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
          .errors;
        const text = errors?.length
          ? errors
              .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
              .join("\n")
          : (error as Error).message;
        return { name, ok: false, error: text };
      }
    }),
  );
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
