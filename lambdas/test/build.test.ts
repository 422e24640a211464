import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { discoverLambdas } from "@tradai/components/platform";
import { LAMBDAS } from "@tradai/contracts";
import { build } from "esbuild";
import { buildLambdas, bundleOptions, LAMBDAS_DIR } from "../build";

// The Lambdas come from one place, @tradai/contracts' LAMBDAS (which drives the layers); no second copy
// of the list here.
const EXPECTED = LAMBDAS;

describe("Lambda discovery and images", () => {
  it("has a folder with a Dockerfile for each of the spec's 17 Lambdas (base and common are not Lambdas)", () => {
    expect(EXPECTED).toHaveLength(17);
    expect(discoverLambdas()).toEqual([...EXPECTED].sort());
  });

  it("builds every function image FROM the base context with only its bundle", () => {
    for (const name of EXPECTED.filter((n) => n !== "pulumi-drift-detector")) {
      const dockerfile = fs.readFileSync(path.join(LAMBDAS_DIR, name, "Dockerfile"), "utf8");
      expect(dockerfile).toMatch(/^FROM base$/m);
      expect(dockerfile).toMatch(/^COPY dist\/ \$\{LAMBDA_TASK_ROOT\}\/$/m);
      expect(dockerfile).toMatch(/^CMD \["index\.handler"\]$/m);
      const ignore = fs.readFileSync(path.join(LAMBDAS_DIR, name, ".dockerignore"), "utf8");
      expect(ignore.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["*", "!dist/", "!dist/**"]);
    }
    expect(fs.readFileSync(path.join(LAMBDAS_DIR, "base", "Dockerfile"), "utf8")).toMatch(
      /^FROM public\.ecr\.aws\/lambda\/nodejs:24$/m,
    );
  });

  it("writes dist/index.js with fixed file modes whatever the umask (docker-build hashes modes)", async () => {
    const previous = process.umask(0o077);
    try {
      const [result] = await buildLambdas(["validate-strategy"]);
      expect(result).toMatchObject({ name: "validate-strategy", ok: true });
    } finally {
      process.umask(previous);
    }
    const dist = path.join(LAMBDAS_DIR, "validate-strategy", "dist");
    expect(fs.statSync(dist).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(dist, "index.js")).mode & 0o777).toBe(0o644);
  });

  it("refuses unknown names before building anything", async () => {
    await expect(buildLambdas(["no-such-lambda"])).rejects.toThrow(
      /unknown Lambda no-such-lambda; discovered: backtest-consumer/,
    );
  });
});

describe("Lambda bundles", () => {
  let dir: string;
  const outfile = (name: string) => path.join(dir, name, "index.js");
  beforeAll(async () => {
    // Outside the repository: no node_modules up the tree, so a bundle that is not self-contained fails.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-bundle-"));
    await Promise.all(["validate-strategy", "sqs-consumer"].map((n) => build(bundleOptions(n, outfile(n)))));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs `script` in a fresh node process next to the bundle; returns its stdout. */
  const runNode = (script: string) =>
    execFileSync(process.execPath, ["-e", script], {
      cwd: dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });

  it("bundles validate-strategy into one self-contained file whose handler works", () => {
    const out = runNode(`
      const { handler } = require(${JSON.stringify(outfile("validate-strategy"))});
      handler({ id: "x" }).then((r) => console.log(typeof handler + "\\t" + JSON.stringify(r)));
    `);
    const [kind, json] = out.trim().split("\n").pop()?.split("\t") ?? [];
    expect(kind).toBe("function");
    const result = JSON.parse(json ?? "{}");
    expect(result.valid).toBe(false);
    expect(result.errors.map((e: { path: string }) => e.path)).toContain("name");
  });

  it("bundles an AWS SDK function (sqs-consumer) that loads and exports handler, without the X-Ray SDK", () => {
    const file = outfile("sqs-consumer");
    expect(runNode(`console.log(typeof require(${JSON.stringify(file)}).handler)`).trim()).toBe("function");
    expect(fs.readFileSync(file, "utf8")).not.toMatch(/aws-xray-sdk/);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
  });
});
