/**
 * The one bundling mechanism (core/lambda-bundle.ts) the compute program runs before declaring the
 * images, and foundation for update-nat-routes: deterministic output, a cache keyed by content only,
 * fixed file modes, and nothing written when a source does not build.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import {
  BundleError,
  ensureBundle,
  ensureBundles,
  esbuildOptions,
  lambdaBundleSpec,
  serviceBundleSpec,
} from "../src/core/lambda-bundle";
import { REPO_ROOT } from "../src/core/platform";

/** A build of the spec alone, without the cache: output file name -> bytes. */
const direct = (spec: ReturnType<typeof lambdaBundleSpec>) =>
  Object.fromEntries(
    (buildSync(esbuildOptions(spec)).outputFiles ?? []).map((f) => [
      path.basename(f.path),
      Buffer.from(f.contents),
    ]),
  );

describe("bundles of the repository", () => {
  it("are byte-identical build after build, and the grouped build gives what a build of each alone gives", () => {
    const specs = [
      lambdaBundleSpec("validate-strategy"),
      lambdaBundleSpec("health-check"),
      serviceBundleSpec("backend"),
    ];
    const [a, b] = [direct(specs[0] as never), direct(specs[0] as never)];
    expect(a["index.js"]?.equals(b["index.js"] as Buffer)).toBe(true);
    const bundles = ensureBundles(specs);
    for (const [i, spec] of specs.entries()) {
      const alone = direct(spec);
      const files = bundles[i]?.files ?? {};
      expect(Object.keys(files).sort()).toEqual(
        spec.id.startsWith("service/") ? ["main.js", "main.js.map"] : ["index.js"],
      );
      for (const [name, bytes] of Object.entries(alone)) {
        expect({ spec: spec.id, name, same: Buffer.from(files[name] as Uint8Array).equals(bytes) }).toEqual({
          spec: spec.id,
          name,
          same: true,
        });
        expect(fs.readFileSync(path.join(spec.outDir, name)).equals(bytes)).toBe(true);
      }
    }
  });
});

describe("ensureBundles on a small workspace", () => {
  let root: string;
  const spec = () => lambdaBundleSpec("demo", root);
  const src = (rel: string) => path.join(root, "lambdas", "demo", "src", rel);
  const out = () => path.join(root, "lambdas", "demo", "dist", "index.js");

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-bundle-ws-"));
    fs.mkdirSync(path.dirname(src("handler.ts")), { recursive: true });
    fs.writeFileSync(path.join(root, "lambdas", "demo", "package.json"), '{ "name": "demo" }\n');
    fs.writeFileSync(
      src("handler.ts"),
      'import { greet } from "./greet";\nexport const handler = async () => greet("x");\n',
    );
    fs.writeFileSync(src("greet.ts"), "export const greet = (n: string) => `hello ` + n;\n");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("rebuilds exactly when an input's content changes, and takes an unchanged one from the cache", () => {
    const first = ensureBundle(spec());
    expect(first.cached).toBe(false);
    expect(ensureBundle(spec()).cached).toBe(true);
    const original = fs.readFileSync(src("greet.ts"), "utf8");
    fs.writeFileSync(src("greet.ts"), original.replace("hello", "goodbye"));
    const changed = ensureBundle(spec());
    expect(changed.cached).toBe(false);
    expect(fs.readFileSync(out(), "utf8")).toContain("goodbye");
    // Same content again (newer mtime): the cache answers, with the first bytes.
    fs.writeFileSync(src("greet.ts"), original);
    const back = ensureBundle(spec());
    expect(back.cached).toBe(true);
    expect(fs.readFileSync(out()).equals(Buffer.from(first.files["index.js"] as Uint8Array))).toBe(true);
    // A comment esbuild drops: rebuilt (the input changed), same bytes.
    fs.writeFileSync(src("greet.ts"), `// a comment\n${original}`);
    const comment = ensureBundle(spec());
    expect(comment.cached).toBe(false);
    expect(
      Buffer.from(comment.files["index.js"] as Uint8Array).equals(
        Buffer.from(first.files["index.js"] as Uint8Array),
      ),
    ).toBe(true);
  });

  it("reads a package.json by the fields that steer resolution, unless the code imports it", () => {
    const manifest = path.join(root, "lambdas", "demo", "package.json");
    const parent = path.join(root, "lambdas", "package.json");
    fs.writeFileSync(parent, '{ "private": true }\n');
    expect(ensureBundle(spec()).cached).toBe(false);
    // A devDependency bump: no field esbuild's resolver reads changed, so the cached bundle stands.
    fs.writeFileSync(
      manifest,
      '{ "name": "demo", "devDependencies": { "@types/aws-lambda": "8.10.160" } }\n',
    );
    expect(ensureBundle(spec()).cached).toBe(true);
    // A resolution field (sideEffects) changed: rebuilt.
    fs.writeFileSync(manifest, '{ "name": "demo", "sideEffects": false }\n');
    expect(ensureBundle(spec()).cached).toBe(false);
    // Imported as a module, every byte of it counts: a version bump rebuilds, with the new version inside.
    fs.writeFileSync(
      src("handler.ts"),
      'import { version } from "../package.json";\nexport const handler = async () => version;\n',
    );
    fs.writeFileSync(manifest, '{ "name": "demo", "version": "1.0.0" }\n');
    expect(ensureBundle(spec()).cached).toBe(false);
    fs.writeFileSync(manifest, '{ "name": "demo", "version": "1.0.1" }\n');
    const bumped = ensureBundle(spec());
    expect(bumped.cached).toBe(false);
    expect(fs.readFileSync(out(), "utf8")).toContain("1.0.1");
    // A manifest up the tree that no longer parses counts as changed (esbuild then names it).
    expect(ensureBundle(spec()).cached).toBe(true);
    fs.writeFileSync(parent, '{ "private": true, ');
    expect(() => ensureBundle(spec())).toThrow(BundleError);
    // The Lambda's own manifest is read for its externals: a broken one is refused, naming it.
    fs.writeFileSync(manifest, '{ "name": "demo", ');
    expect(() => spec()).toThrow(`${manifest} is not valid JSON`);
  });

  it("rebuilds when a package it read is bumped and reinstalled, though the old version's files remain", () => {
    const manifest = path.join(root, "lambdas", "demo", "package.json");
    // pnpm's layout: the version's files in the virtual store, the package's folder linking to them.
    const install = (version: string) => {
      const dir = path.join(root, "node_modules", ".pnpm", `dep@${version}`, "node_modules", "dep");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, "package.json"),
        `{ "name": "dep", "version": "${version}", "main": "index.js" }\n`,
      );
      fs.writeFileSync(path.join(dir, "index.js"), `exports.which = "dep-${version}";\n`);
      const link = path.join(root, "lambdas", "demo", "node_modules", "dep");
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.rmSync(link, { force: true });
      fs.symlinkSync(dir, link);
      fs.writeFileSync(
        manifest,
        JSON.stringify({
          name: "demo",
          dependencies: { dep: version },
          devDependencies: { "@types/x": "1.0.0" },
        }),
      );
    };
    fs.writeFileSync(
      src("handler.ts"),
      'import { which } from "dep";\nexport const handler = async () => which;\n',
    );
    install("1.0.0");
    expect(ensureBundle(spec()).cached).toBe(false);
    expect(fs.readFileSync(out(), "utf8")).toContain("dep-1.0.0");
    install("2.0.0");
    const bumped = ensureBundle(spec());
    expect(bumped.cached).toBe(false);
    expect(fs.readFileSync(out(), "utf8")).toContain("dep-2.0.0");
    // A package the bundle never read: its bump leaves the bundle as it was.
    fs.writeFileSync(
      manifest,
      fs.readFileSync(manifest, "utf8").replace('"@types/x":"1.0.0"', '"@types/x":"1.0.1"'),
    );
    expect(fs.readFileSync(manifest, "utf8")).toContain("1.0.1");
    expect(ensureBundle(spec()).cached).toBe(true);
  });

  it("writes fixed modes whatever the umask, and leaves nothing else in dist/", () => {
    fs.mkdirSync(path.dirname(out()), { recursive: true });
    fs.writeFileSync(path.join(path.dirname(out()), "stale.js"), "old");
    const previous = process.umask(0o077);
    try {
      ensureBundle(spec());
    } finally {
      process.umask(previous);
    }
    expect(fs.statSync(path.dirname(out())).mode & 0o777).toBe(0o755);
    expect(fs.statSync(out()).mode & 0o777).toBe(0o644);
    expect(fs.readdirSync(path.dirname(out()))).toEqual(["index.js"]);
  });

  it("lets several processes install the same bundle at once (test workers planning compute together)", async () => {
    ensureBundle(spec());
    // Each process spoils the installed file and installs it again, many times: install() cleans dist/ of
    // anything that is not a bundle file, which must never catch another process's in-flight write.
    const script = [
      `const fs = require("node:fs");`,
      `const { ensureBundle, lambdaBundleSpec } = require(${JSON.stringify(path.resolve(__dirname, "../src/core/lambda-bundle.ts"))});`,
      `const spec = lambdaBundleSpec("demo", ${JSON.stringify(root)});`,
      `for (let i = 0; i < 150; i++) { fs.writeFileSync(${JSON.stringify(out())}, "spoilt"); ensureBundle(spec); }`,
    ].join("\n");
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: REPO_ROOT });
          let stderr = "";
          child.stderr.on("data", (d) => {
            stderr += String(d);
          });
          child.on("close", (code) => resolve({ code, stderr }));
        }),
    );
    for (const run of await Promise.all(runs)) expect(run).toEqual({ code: 0, stderr: "" });
    expect(fs.readdirSync(path.dirname(out()))).toEqual(["index.js"]);
  }, 120_000);

  it("names the file and line of a source that does not build, and writes nothing", () => {
    ensureBundle(spec());
    const before = fs.readFileSync(out());
    fs.writeFileSync(src("greet.ts"), "export const greet = (n: string) => {\n");
    expect(() => ensureBundle(spec())).toThrow(BundleError);
    expect(() => ensureBundle(spec())).toThrow(/lambda\/demo: .*greet\.ts:2: /);
    expect(fs.readFileSync(out()).equals(before)).toBe(true);
  });

  it("refuses a Lambda without a handler, naming the path", () => {
    fs.rmSync(src("handler.ts"));
    expect(() => ensureBundle(spec())).toThrow(/bundle lambda\/demo: .*handler\.ts does not exist/);
  });
});

describe("the repository's own checkout", () => {
  it("takes REPO_ROOT as the default root", () => {
    expect(lambdaBundleSpec("sqs-consumer").root).toBe(REPO_ROOT);
  });
});
