/**
 * The one way code is bundled for AWS: esbuild from the checked-out sources, at program run time, with
 * deterministic output (same sources, byte-identical files). Used by the compute program for every Lambda
 * image (`lambdas/<name>/dist/index.js`) and every Node service image (`services/<name>/dist/main.js`),
 * and by foundation for the inline zip of `update-nat-routes`: `pulumi up` ships exactly the checkout.
 *
 * Builds are cached by content: a bundle is rebuilt only when one of the files esbuild read for it (or the
 * `tsconfig.json` files, or what in the `package.json` files that steer resolution can change it: the fields
 * esbuild reads, the versions of the packages it read; or the options, or esbuild's version) changed. The
 * cache lives in `node_modules/.cache/tradai-bundles` (never in a build context) and never decides by
 * timestamps, so a stale bundle cannot survive a source edit.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { type BuildOptions, buildSync, version as esbuildVersion, type Metafile } from "esbuild";
import { REPO_ROOT } from "./platform";

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

/** Node services: the Lambda options plus a source map (the images run with --enable-source-maps). */
export const SERVICE_BUNDLE_OPTIONS = {
  ...LAMBDA_BUNDLE_OPTIONS,
  mainFields: ["main", "module"],
  sourcemap: true,
} as const satisfies BuildOptions;

/** docker-build hashes file modes into its context hash: bundles are always written with these. */
export const BUNDLE_FILE_MODE = 0o644;
export const BUNDLE_DIR_MODE = 0o755;

/** What to bundle: one entry point into `outDir/outFile` (plus `.map` when the options ask for one). */
export interface BundleSpec {
  /** Cache key and name in errors, e.g. `lambda/sqs-consumer`. */
  id: string;
  /** Repository root: esbuild's working directory, so nothing in the output depends on the checkout path. */
  root: string;
  entry: string;
  outDir: string;
  outFile: string;
  options: BuildOptions;
}

/** The bundle as written to `outDir`. */
export interface Bundle {
  spec: BundleSpec;
  /** File name (in `outDir`) -> sha256 of its bytes. */
  digests: Record<string, string>;
  /** File name -> bytes, read from `outDir`. */
  readonly files: Record<string, Uint8Array>;
  /** True when the bundle came from the content cache (no esbuild run). */
  cached: boolean;
}

export class BundleError extends Error {
  constructor(
    readonly id: string,
    message: string,
  ) {
    super(`bundle ${id}: ${message}`);
    this.name = "BundleError";
  }
}

/**
 * Packages a Lambda keeps out of its bundle, from `tradai.bundleExternal` in its package.json. Its
 * Dockerfile must install them (pinned) where Node finds them, e.g. the Pulumi SDK of
 * pulumi-drift-detector: megabytes that only its Automation API code path loads.
 */
export function bundleExternals(dir: string): string[] {
  const file = path.join(dir, "package.json");
  if (!fs.existsSync(file)) return [];
  let manifest: { tradai?: { bundleExternal?: unknown } };
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8")) as typeof manifest;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const external = manifest.tradai?.bundleExternal ?? [];
  if (!Array.isArray(external) || !external.every((e): e is string => typeof e === "string")) {
    throw new Error(`${file}: tradai.bundleExternal must be a list of package names`);
  }
  return external;
}

/** `lambdas/<name>/src/handler.ts` -> `lambdas/<name>/dist/index.js` (handler `index.handler`). */
export function lambdaBundleSpec(name: string, root: string = REPO_ROOT): BundleSpec {
  const dir = path.join(root, "lambdas", name);
  return {
    id: `lambda/${name}`,
    root,
    entry: path.join(dir, "src", "handler.ts"),
    outDir: path.join(dir, "dist"),
    outFile: "index.js",
    options: { ...LAMBDA_BUNDLE_OPTIONS, external: bundleExternals(dir) },
  };
}

/** `services/<name>/src/main.ts` -> `services/<name>/dist/main.js` + `main.js.map`. */
export function serviceBundleSpec(name: string, root: string = REPO_ROOT): BundleSpec {
  const dir = path.join(root, "services", name);
  return {
    id: `service/${name}`,
    root,
    entry: path.join(dir, "src", "main.ts"),
    outDir: path.join(dir, "dist"),
    outFile: "main.js",
    options: { ...SERVICE_BUNDLE_OPTIONS, external: bundleExternals(dir) },
  };
}

/** The esbuild options of a spec (benchmarks build exactly what ships). */
export function esbuildOptions(spec: BundleSpec): BuildOptions {
  return {
    ...spec.options,
    entryPoints: [spec.entry],
    outfile: path.join(spec.outDir, spec.outFile),
    absWorkingDir: spec.root,
    write: false,
    metafile: true,
  };
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** Content hashes of files, memoised for one {@link ensureBundles} call (files may change between calls). */
class FileHashes {
  /**
   * Content hashes by file, shared by the whole process and keyed by what `stat` says (inode, size,
   * mtime in ns): a file is read again whenever any of them changes, and an unchanged one is not
   * re-read on every program run (the plan and the tests run compute many times).
   */
  private static readonly known = new Map<string, { stat: string; hash: string }>();
  private readonly memo = new Map<string, string | null>();
  get(file: string): string | null {
    let h = this.memo.get(file);
    if (h === undefined) {
      try {
        const st = fs.statSync(file, { bigint: true });
        const stat = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
        const known = FileHashes.known.get(file);
        if (known?.stat === stat) h = known.hash;
        else {
          h = sha256(fs.readFileSync(file));
          FileHashes.known.set(file, { stat, hash: h });
        }
      } catch {
        h = null;
      }
      this.memo.set(file, h);
    }
    return h;
  }

  /**
   * A package.json that steers resolution, hashed by what can change a bundle: the fields esbuild's
   * resolver reads, pnpm's overrides and patches, and the dependency entries of the packages the bundle
   * read files of (`packages`) or that link a workspace folder. The version an entry names decides where
   * pnpm links `node_modules/<name>`, so bumping one of those rebuilds (the old version's files may still be
   * in the store, unchanged); bumping a package the bundle never read (a `@types/` package, a test tool)
   * or a new script leaves every bundle as it was. A file that does not parse is hashed whole.
   */
  manifest(file: string, { fields, packages, id }: ManifestProjection): string | null {
    const key = `${file}\0${id}`;
    let h = this.memo.get(key);
    if (h === undefined) {
      try {
        const text = fs.readFileSync(file, "utf8");
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          parsed = undefined;
        }
        h =
          parsed && typeof parsed === "object"
            ? sha256(
                JSON.stringify([
                  ...[...fields, ...WHOLE_MANIFEST_FIELDS].map((f) => [f, parsed[f] ?? null]),
                  ...DEPENDENCY_FIELDS.map((f) => [f, dependenciesOf(parsed[f], packages)]),
                ]),
              )
            : sha256(text);
      } catch {
        h = null;
      }
      this.memo.set(key, h);
    }
    return h;
  }
}

/** What of a package.json counts for one bundle (see {@link FileHashes.manifest}); `id` names it in memos. */
interface ManifestProjection {
  fields: readonly string[];
  packages: ReadonlySet<string>;
  id: string;
}

/** The projection for `spec`'s bundle, whose inputs (cache keys or paths) are `inputs`. */
function manifestProjection(spec: BundleSpec, inputs: Iterable<string>): ManifestProjection {
  const fields = resolutionFields(spec);
  const packages = packagesRead(inputs);
  return { fields, packages, id: `${fields.join(",")}\0${[...packages].sort().join(",")}` };
}

/**
 * The package.json fields esbuild's resolver reads (`parsePackageJSON` in esbuild's
 * internal/resolver/package_json.go), plus the spec's main fields and the package name.
 */
function resolutionFields(spec: BundleSpec): string[] {
  const fields = [
    "name",
    "type",
    "main",
    "module",
    "browser",
    "sideEffects",
    "imports",
    "exports",
    "tsconfig",
  ];
  return [...new Set([...fields, ...(spec.options.mainFields ?? [])])];
}

/** Fields that change what pnpm links whatever the package: overrides and patches. */
const WHOLE_MANIFEST_FIELDS = ["pnpm", "overrides", "resolutions"];
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

/** The entries of a dependency field for the packages read, and every workspace or local link. */
function dependenciesOf(field: unknown, packages: ReadonlySet<string>): [string, unknown][] {
  if (!field || typeof field !== "object") return [];
  return Object.entries(field as Record<string, unknown>)
    .filter(([name, spec]) => packages.has(name) || (typeof spec === "string" && !/^[\d^~<>=*]/.test(spec)))
    .sort(([a], [b]) => a.localeCompare(b));
}

/** The packages a bundle read files of, named from their paths under `node_modules`. */
function packagesRead(inputs: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const input of inputs) {
    const at = input.lastIndexOf("node_modules/");
    if (at < 0) continue;
    const [first, second] = input.slice(at + "node_modules/".length).split("/");
    if (first) names.add(first.startsWith("@") && second ? `${first}/${second}` : first);
  }
  return names;
}

interface CacheEntry {
  key: string;
  /** Path (root-relative when inside the root, else absolute) -> sha256; null = must not exist. */
  inputs: Record<string, string | null>;
  /** The package.json files that steered resolution (same keys) -> sha256 of their resolution fields. */
  manifests: Record<string, string | null>;
  /** Output file name -> sha256 of its bytes (stored as a blob). */
  outputs: Record<string, string>;
  /** The sources that contributed bytes to the bundle (same keys as `inputs`). */
  used: string[];
}

const CACHE_ENTRIES_PER_BUNDLE = 4;

function cacheDir(root: string): string {
  return path.join(root, "node_modules", ".cache", "tradai-bundles");
}

function cacheFile(spec: BundleSpec): string {
  return path.join(cacheDir(spec.root), `${spec.id.replaceAll("/", "__")}.json`);
}

function specKey(spec: BundleSpec): string {
  const rel = (p: string) => path.relative(spec.root, p);
  return sha256(
    JSON.stringify({
      format: 5,
      esbuild: esbuildVersion,
      entry: rel(spec.entry),
      out: rel(path.join(spec.outDir, spec.outFile)),
      options: spec.options,
    }),
  );
}

/** Parsed cache manifests by file, reused while the file's stat is unchanged (they are megabytes). */
const parsedEntries = new Map<string, { stat: string; entries: CacheEntry[] }>();

function readEntries(spec: BundleSpec): CacheEntry[] {
  const file = cacheFile(spec);
  try {
    const st = fs.statSync(file, { bigint: true });
    const stat = `${st.ino}:${st.size}:${st.mtimeNs}`;
    const known = parsedEntries.get(file);
    if (known?.stat === stat) return known.entries;
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { entries?: CacheEntry[] };
    const entries = Array.isArray(parsed.entries) ? parsed.entries : [];
    parsedEntries.set(file, { stat, entries });
    return entries;
  } catch {
    return [];
  }
}

/**
 * The sources (root-relative slash paths, or absolute outside the root) that contributed bytes to the
 * bundle the cache last built for `spec`; undefined when it has not been built here.
 */
export function bundleUsedInputs(spec: BundleSpec): string[] | undefined {
  const key = specKey(spec);
  return readEntries(spec).find((e) => e.key === key && Array.isArray(e.used))?.used;
}

/**
 * Writes `data` to `file` through a uniquely named temporary file: readers never see half a file. The
 * temporary file lives in `tempDir` (same filesystem, so the rename is atomic): {@link install} passes a
 * folder beside `outDir`, because its clean-up of `outDir` would otherwise delete the in-flight temporary
 * file of another process installing the same bundle (two test workers planning compute at once).
 */
function writeAtomic(
  file: string,
  data: Uint8Array | string,
  mode = BUNDLE_FILE_MODE,
  tempDir = path.dirname(file),
): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.mkdirSync(tempDir, { recursive: true });
  const temp = path.join(
    tempDir,
    `${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  fs.writeFileSync(temp, data);
  fs.chmodSync(temp, mode);
  fs.renameSync(temp, file);
}

/** Where {@link install} stages its writes: beside `outDir` (git-ignored, outside every image context). */
export function installTempDir(outDir: string): string {
  return `${outDir}.tmp`;
}

const resolveInput = (root: string, key: string) => (path.isAbsolute(key) ? key : path.join(root, key));
const inputKey = (root: string, abs: string) => {
  const rel = path.relative(root, abs);
  return rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel.split(path.sep).join("/");
};

/**
 * Files besides the sources that steer esbuild: for a dependency, its nearest package.json (entry points,
 * `sideEffects`); for workspace code, every package.json and tsconfig*.json up to the repository root.
 */
function resolutionFiles(root: string, sources: string[]): string[] {
  const out = new Set<string>();
  const visited = new Set<string>();
  const add = (file: string) => {
    if (fs.existsSync(file)) out.add(file);
  };
  for (const source of sources) {
    const dependency = source.split(path.sep).includes("node_modules") || !source.startsWith(root + path.sep);
    let dir = path.dirname(source);
    while (!visited.has(dir)) {
      visited.add(dir);
      const manifest = path.join(dir, "package.json");
      add(manifest);
      if (dependency) {
        if (fs.existsSync(manifest)) break;
      } else {
        for (const name of fs.readdirSync(dir))
          if (/^tsconfig.*\.json$/.test(name)) add(path.join(dir, name));
        if (dir === root) break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return [...out];
}

/** The output digests of a cache entry whose every input is unchanged, if any (blobs present). */
function lookup(spec: BundleSpec, key: string, hashes: FileHashes): Record<string, string> | undefined {
  for (const entry of readEntries(spec)) {
    if (entry.key !== key) continue;
    const projection = manifestProjection(spec, Object.keys(entry.inputs));
    const fresh =
      Object.entries(entry.inputs).every(
        ([input, digest]) => hashes.get(resolveInput(spec.root, input)) === digest,
      ) &&
      Object.entries(entry.manifests ?? {}).every(
        ([input, digest]) => hashes.manifest(resolveInput(spec.root, input), projection) === digest,
      );
    if (!fresh) continue;
    const blobsThere = Object.values(entry.outputs).every((digest) =>
      fs.existsSync(path.join(cacheDir(spec.root), "blobs", digest)),
    );
    return blobsThere ? entry.outputs : undefined;
  }
  return undefined;
}

/** A cached output's bytes, verified against its digest. */
function readBlob(spec: BundleSpec, digest: string): Uint8Array {
  const bytes = fs.readFileSync(path.join(cacheDir(spec.root), "blobs", digest));
  if (sha256(bytes) !== digest)
    throw new BundleError(spec.id, `cache blob ${digest} is corrupt; delete ${cacheDir(spec.root)}`);
  return bytes;
}

/** Files reachable from `entry` through the import graph of a metafile (keys as esbuild gives them). */
function reachable(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file) || !metafile.inputs[file]) continue;
    seen.add(file);
    for (const imported of metafile.inputs[file].imports) if (!imported.external) stack.push(imported.path);
  }
  return [...seen];
}

/**
 * Builds specs that share a root and options in ONE esbuild run (one entry point each): dependencies are
 * parsed once for all of them, and each entry's output is the same bytes a build of it alone gives.
 * Records each bundle in the cache with the files reachable from its entry.
 */
function buildGroup(group: readonly BundleSpec[], keys: Map<BundleSpec, string>, hashes: FileHashes) {
  const [first] = group;
  if (!first) return new Map<BundleSpec, Record<string, Uint8Array>>();
  for (const spec of group) {
    if (!fs.existsSync(spec.entry)) throw new BundleError(spec.id, `${spec.entry} does not exist`);
  }
  const rel = (p: string) => path.relative(first.root, p).split(path.sep).join("/");
  const outName = (spec: BundleSpec) => rel(path.join(spec.outDir, spec.outFile)).replace(/\.js$/, "");
  let result: ReturnType<typeof buildSync>;
  try {
    result = buildSync({
      ...first.options,
      entryPoints: Object.fromEntries(group.map((spec) => [outName(spec), spec.entry])),
      outdir: first.root,
      absWorkingDir: first.root,
      write: false,
      metafile: true,
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } }[] })
      .errors;
    const text = errors?.length
      ? errors
          .map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text))
          .join("\n")
      : (error as Error).message;
    throw new BundleError(group.map((s) => s.id).join(", "), text);
  }
  const metafile = result.metafile as Metafile;
  const out = new Map<BundleSpec, Record<string, Uint8Array>>();
  for (const spec of group) {
    const files: Record<string, Uint8Array> = {};
    for (const file of result.outputFiles ?? []) {
      if (path.dirname(file.path) !== spec.outDir) continue;
      const name = path.basename(file.path);
      if (name === spec.outFile || name === `${spec.outFile}.map`) files[name] = file.contents;
    }
    if (!files[spec.outFile]) throw new BundleError(spec.id, "esbuild produced no output");
    const sources = reachable(metafile, rel(spec.entry)).map((k) => path.resolve(spec.root, k));
    const inputs: Record<string, string | null> = {};
    for (const file of sources) inputs[inputKey(spec.root, file)] = hashes.get(file);
    const manifests: Record<string, string | null> = {};
    const projection = manifestProjection(spec, Object.keys(inputs));
    for (const file of resolutionFiles(spec.root, sources)) {
      const key = inputKey(spec.root, file);
      if (key in inputs) continue; // imported as a module: every byte counts
      if (path.basename(file) === "package.json") manifests[key] = hashes.manifest(file, projection);
      else inputs[key] = hashes.get(file);
    }
    const main = metafile.outputs[`${outName(spec)}.js`];
    const used = Object.entries(main?.inputs ?? {})
      .filter(([, info]) => info.bytesInOutput > 0)
      .map(([input]) => inputKey(spec.root, path.resolve(spec.root, input)));
    const outputs: Record<string, string> = {};
    for (const [name, bytes] of Object.entries(files)) {
      const digest = sha256(bytes);
      outputs[name] = digest;
      const blob = path.join(cacheDir(spec.root), "blobs", digest);
      if (!fs.existsSync(blob)) writeAtomic(blob, bytes);
    }
    const key = keys.get(spec) as string;
    const entries = [{ key, inputs, manifests, outputs, used }, ...readEntries(spec)].slice(
      0,
      CACHE_ENTRIES_PER_BUNDLE,
    );
    writeAtomic(cacheFile(spec), JSON.stringify({ entries }));
    out.set(spec, files);
  }
  return out;
}

/**
 * Puts exactly the given outputs into `outDir` with fixed modes: a file already holding the right bytes
 * (by content hash) is left as it is, any other is written from `bytes(name)`.
 */
function install(
  outDir: string,
  digests: Record<string, string>,
  bytes: (name: string) => Uint8Array,
  hashes: FileHashes,
): void {
  fs.mkdirSync(outDir, { recursive: true });
  fs.chmodSync(outDir, BUNDLE_DIR_MODE);
  for (const existing of fs.readdirSync(outDir)) {
    // Anything else in dist/ would enter the image and its context hash.
    if (!(existing in digests)) fs.rmSync(path.join(outDir, existing), { recursive: true, force: true });
  }
  for (const [name, digest] of Object.entries(digests)) {
    const file = path.join(outDir, name);
    if (hashes.get(file) === digest) fs.chmodSync(file, BUNDLE_FILE_MODE);
    else writeAtomic(file, bytes(name), BUNDLE_FILE_MODE, installTempDir(outDir));
  }
}

/**
 * Bundles each spec from source (or takes it from the content cache when every input is unchanged) and
 * writes it to its `outDir`. Throws a {@link BundleError} naming the bundle and esbuild's messages when a
 * source does not build; nothing of that bundle is written then.
 */
export function ensureBundles(specs: readonly BundleSpec[]): Bundle[] {
  const hashes = new FileHashes();
  const keys = new Map(specs.map((spec) => [spec, specKey(spec)]));
  const cached = new Map<BundleSpec, Record<string, string>>();
  const built = new Map<BundleSpec, Record<string, Uint8Array>>();
  const groups = new Map<string, BundleSpec[]>();
  for (const spec of specs) {
    const digests = lookup(spec, keys.get(spec) as string, hashes);
    if (digests) cached.set(spec, digests);
    else {
      const group = `${spec.root}\0${JSON.stringify(spec.options)}`;
      groups.set(group, [...(groups.get(group) ?? []), spec]);
    }
  }
  for (const group of groups.values()) {
    for (const [spec, files] of buildGroup(group, keys, hashes)) built.set(spec, files);
  }
  // Written only once every bundle built: a source that does not build leaves dist/ as it was.
  return specs.map((spec) => {
    const files = built.get(spec);
    const digests = files
      ? Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)]))
      : (cached.get(spec) as Record<string, string>);
    install(spec.outDir, digests, (name) => files?.[name] ?? readBlob(spec, digests[name] as string), hashes);
    return new InstalledBundle(spec, digests, files === undefined);
  });
}

/** A bundle as installed in its `outDir`; its bytes are read from there when asked for. */
class InstalledBundle implements Bundle {
  constructor(
    readonly spec: BundleSpec,
    readonly digests: Record<string, string>,
    readonly cached: boolean,
  ) {}
  get files(): Record<string, Uint8Array> {
    return Object.fromEntries(
      Object.keys(this.digests).map((name) => [
        name,
        new Uint8Array(fs.readFileSync(path.join(this.spec.outDir, name))),
      ]),
    );
  }
}

/** {@link ensureBundles} for one spec. */
export function ensureBundle(spec: BundleSpec): Bundle {
  const [bundle] = ensureBundles([spec]);
  if (!bundle) throw new BundleError(spec.id, "no bundle");
  return bundle;
}

/**
 * Files an image copies as they are (no bundling), staged into `outDir` with fixed modes: docker-build
 * hashes modes, and a checkout's umask (002 vs 022) must not change an image's inputs.
 */
export interface StagedFiles {
  outDir: string;
  /** Name in `outDir` -> source file. */
  files: Record<string, string>;
}

/** `services/mlflow/entrypoint.py` -> `services/mlflow/dist/entrypoint.py` (its image's only file). */
export function mlflowStagedFiles(root: string = REPO_ROOT): StagedFiles {
  const dir = path.join(root, "services", "mlflow");
  return { outDir: path.join(dir, "dist"), files: { "entrypoint.py": path.join(dir, "entrypoint.py") } };
}

/** Copies each staged file into its `outDir` (only when its bytes differ) with {@link BUNDLE_FILE_MODE}. */
export function ensureStaged(staged: StagedFiles): void {
  const files = Object.fromEntries(
    Object.entries(staged.files).map(([name, source]) => [name, new Uint8Array(fs.readFileSync(source))]),
  );
  const digests = Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, sha256(bytes)]));
  install(staged.outDir, digests, (name) => files[name] as Uint8Array, new FileHashes());
}
