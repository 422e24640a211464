/**
 * `libs build`: a publishable copy of each library under `dist/libs/<name>/`: CommonJS bundles of its
 * entry points (dependencies stay external), type declarations, and a package.json pointing at them.
 * The source package.json (which points at TypeScript sources for the workspace) is left untouched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import type { CliContext } from "../context";
import { CliError } from "../errors";
import { PUBLISHABLE_PACKAGES, type PublishablePackage, unscoped } from "./publishable";

const sourceManifest = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  main: z.string().optional(),
  exports: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).default({}),
});

export interface BuiltLibrary {
  name: PublishablePackage;
  version: string;
  /** Folder holding the publishable package. */
  dir: string;
}

/**
 * Entry points (`.`, `./schemas`) of a source manifest and their TypeScript files. Only entries under
 * `src/` are published: others (such as `./testing`, test helpers for the workspace) stay internal.
 */
function entryPoints(manifest: z.infer<typeof sourceManifest>): Record<string, string> {
  const all = manifest.exports ?? { ".": manifest.main ?? "src/index.ts" };
  return Object.fromEntries(Object.entries(all).filter(([, file]) => /^(\.\/)?src\//.test(file)));
}

/** `./schemas` -> `dist/schemas/index.js`; `.` -> `dist/index.js`, mirroring the `src/` layout. */
function outputFile(source: string, ext: ".js" | ".d.ts"): string {
  return `./${path.posix.join("dist", source.replace(/^\.?\/?src\//, "").replace(/\.ts$/, ext))}`;
}

/** Reads and checks a library's package.json. */
export function readManifest(root: string, name: PublishablePackage): z.infer<typeof sourceManifest> {
  const file = path.join(root, PUBLISHABLE_PACKAGES[name], "package.json");
  const manifest = sourceManifest.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (manifest.name !== name) throw new CliError(`${file} names "${manifest.name}", expected "${name}"`);
  const internal = Object.entries(manifest.dependencies).filter(([, v]) => v.startsWith("workspace:"));
  if (internal.length) {
    throw new CliError(
      `${name} depends on unpublished workspace packages (${internal.map(([k]) => k).join(", ")})`,
      "publish those first or move the shared code into the library",
    );
  }
  return manifest;
}

/** Builds one library into `dist/libs/<name>`. */
export async function buildLibrary(ctx: CliContext, name: PublishablePackage): Promise<BuiltLibrary> {
  const manifest = readManifest(ctx.root, name);
  const source = path.join(ctx.root, PUBLISHABLE_PACKAGES[name]);
  const out = path.join(ctx.root, "dist", "libs", unscoped(name));
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const entries = entryPoints(manifest);
  if (!entries["."]) throw new CliError(`${name} has no entry point under src/ to publish`);
  const esbuild = await import("esbuild");
  for (const file of Object.values(entries)) {
    await esbuild.build({
      entryPoints: [path.join(source, file)],
      outfile: path.join(out, outputFile(file, ".js")),
      bundle: true,
      packages: "external",
      platform: "node",
      format: "cjs",
      target: "node22",
      sourcemap: true,
      logLevel: "warning",
    });
  }
  const tsc = [
    "exec",
    "tsc",
    "--declaration",
    "--emitDeclarationOnly",
    "--noEmitOnError",
    "--skipLibCheck",
    "--strict",
    "--module",
    "node16",
    "--moduleResolution",
    "node16",
    "--target",
    "ES2023",
    "--types",
    "node",
    "--rootDir",
    path.join(source, "src"),
    "--outDir",
    path.join(out, "dist"),
    ...Object.values(entries).map((f) => path.join(source, f)),
  ];
  const code = await ctx.exec("pnpm", tsc, { cwd: source });
  if (code !== 0) throw new CliError(`type declarations of ${name} failed (tsc exit ${code})`);
  const exportsMap: Record<string, { types: string; default: string }> = {};
  for (const [key, file] of Object.entries(entries)) {
    exportsMap[key] = { types: outputFile(file, ".d.ts"), default: outputFile(file, ".js") };
  }
  const main = exportsMap["."];
  const published = {
    name,
    version: manifest.version,
    ...(manifest.description ? { description: manifest.description } : {}),
    license: "UNLICENSED",
    main: main?.default,
    types: main?.types,
    exports: exportsMap,
    files: ["dist"],
    dependencies: manifest.dependencies,
  };
  fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
  return { name, version: manifest.version, dir: out };
}
