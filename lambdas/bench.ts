/**
 * `pnpm bench:lambdas [--runs N] [name...]`: what the Lambda bundles cost at cold start, against a naive
 * build (tsc output of the same sources, dependencies loaded from the full node_modules), and against the
 * bundle with the AWS SDK left external (as if taken from the runtime's copy). For each variant: code size,
 * files loaded at init, and the median time to `require()` the handler module over N fresh node processes.
 * Writes the table to docs/performance.md. A benchmark, not a test: numbers depend on the machine.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { discoverLambdas } from "@tradai/components/platform";
import { build } from "esbuild";
import * as ts from "typescript";
import { bundleOptions, formatBytes, LAMBDAS_DIR } from "./build";

const REPO = path.resolve(LAMBDAS_DIR, "..");
const REPORT = path.join(REPO, "docs", "performance.md");

interface Measure {
  bytes: number;
  files: number;
  initMs: number;
}

interface Row {
  name: string;
  bundle: Measure;
  external: Measure;
  naive: Measure;
}

interface Sample {
  ms: number;
  files: number;
  bytes: number;
}

/**
 * Loads `file` once in a fresh node process: the time `require()` takes, the number of modules it loaded
 * and their total size (the code read from disk at init).
 */
function loadOnce(file: string, nodePath: readonly string[]): Sample {
  const script = `
    const t0 = process.hrtime.bigint();
    require(${JSON.stringify(file)});
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const files = Object.keys(require.cache);
    const bytes = files.reduce((n, f) => n + require("node:fs").statSync(f).size, 0);
    process.stdout.write(JSON.stringify({ ms, files: files.length, bytes }));
  `;
  const out = execFileSync(process.execPath, ["-e", script], {
    cwd: path.dirname(file),
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      NODE_PATH: nodePath.join(path.delimiter),
      AWS_REGION: "eu-central-1",
      POWERTOOLS_SERVICE_NAME: "bench",
    },
  });
  return JSON.parse(out) as Sample;
}

/**
 * Measures several variants `runs` times each, interleaved (A B C, A B C, ...), so that load from other
 * processes on the machine falls on all variants alike; returns each variant's median.
 */
function measureInterleaved(
  variants: readonly { file: string; nodePath: readonly string[] }[],
  runs: number,
): Measure[] {
  const samples: Sample[][] = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    variants.forEach((v, k) => {
      samples[k]?.push(loadOnce(v.file, v.nodePath));
    });
  }
  return samples.map((list) => {
    const last = list[list.length - 1] ?? { files: 0, bytes: 0 };
    return { bytes: last.bytes, files: last.files, initMs: median(list.map((s) => s.ms)) };
  });
}

/** TypeScript sources of a package's `src`, without tests. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => path.join(dir, f));
}

/**
 * The naive build: every source file of the function, of lambda-common and of contracts compiled one-to-one by the
 * TypeScript compiler (CommonJS, as tsc would emit it), dependencies resolved from the real node_modules.
 */
function naiveBuild(name: string, outDir: string): string {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2023,
    esModuleInterop: true,
  };
  const common = path.join(LAMBDAS_DIR, "common", "src");
  const contracts = path.join(LAMBDAS_DIR, "..", "packages", "contracts", "src");
  for (const file of [
    ...sources(path.join(LAMBDAS_DIR, name, "src")),
    ...sources(common),
    ...sources(contracts),
  ]) {
    let js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: options,
      fileName: file,
    }).outputText;
    const target = path.join(outDir, path.relative(path.dirname(LAMBDAS_DIR), file)).replace(/\.ts$/, ".js");
    // The workspace packages point at TypeScript sources; point them at their compiled output instead.
    const rel = (to: string) => {
      const r = path.relative(path.dirname(target), path.join(outDir, to));
      return r.startsWith(".") ? r : `./${r}`;
    };
    js = js
      .replaceAll(
        'require("@tradai/contracts")',
        `require(${JSON.stringify(rel("packages/contracts/src/index.js"))})`,
      )
      .replaceAll(
        'require("@tradai/lambda-common")',
        `require(${JSON.stringify(rel("lambdas/common/src/index.js"))})`,
      );
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, js);
  }
  return path.join(outDir, "lambdas", name, "src", "handler.js");
}

function parseArgs(argv: string[]): { runs: number; names: string[] } {
  let runs = 7;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--runs") {
      runs = Number(argv[++i]);
      if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive integer");
    } else names.push(arg);
  }
  const known = discoverLambdas();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length)
    throw new Error(`unknown Lambda ${unknown.join(", ")}; discovered: ${known.join(", ")}`);
  return { runs, names: names.length ? names : known };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function report(rows: Row[], runs: number): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const lines = [
    "| Lambda | bundle | files | init | SDK external: code loaded | files | init | naive: code loaded | files | init | naive / bundle |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${formatBytes(r.bundle.bytes)} | ${r.bundle.files} | ${ms(r.bundle.initMs)} | ${formatBytes(r.external.bytes)} | ${r.external.files} | ${ms(r.external.initMs)} | ${formatBytes(r.naive.bytes)} | ${r.naive.files} | ${ms(r.naive.initMs)} | ${(r.naive.initMs / r.bundle.initMs).toFixed(2)}x |`,
    ),
  ];
  const sizes = rows.map((r) => r.bundle.bytes);
  const ratios = rows.map((r) => r.naive.initMs / r.bundle.initMs);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`pnpm bench:lambdas --runs ${runs}\`,`,
    `Node ${process.version}, ${os.cpus().length} x ${cpu}, on a shared machine (absolute times vary; ratios are the point).`,
    "",
    ...lines,
    "",
    `Largest bundle ${formatBytes(Math.max(...sizes))}, median ${formatBytes(median(sizes))}; init speed-up over the naive build: median ${median(ratios).toFixed(2)}x, lowest ${Math.min(...ratios).toFixed(2)}x.`,
  ].join("\n");
}

const BEGIN = "<!-- bench:lambdas begin -->";
const END = "<!-- bench:lambdas end -->";

/** Replaces the generated section of docs/performance.md, keeping the prose around it. */
function writeReport(table: string): void {
  const current = fs.existsSync(REPORT)
    ? fs.readFileSync(REPORT, "utf8")
    : `# Lambda performance\n\n${BEGIN}\n${END}\n`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${REPORT} lacks the ${BEGIN} / ${END} markers`);
  fs.writeFileSync(REPORT, `${current.slice(0, start + BEGIN.length)}\n${table}\n${current.slice(end)}`);
}

async function main(): Promise<void> {
  const { runs, names } = parseArgs(process.argv.slice(2));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-bench-"));
  const rows: Row[] = [];
  try {
    for (const name of names) {
      // The function's and lambda-common's dependencies, then pnpm's hoisted store for packages that
      // dependencies import without declaring (the runtime's SDK copy has every @aws-sdk package).
      const nodePath = [
        path.join(LAMBDAS_DIR, name, "node_modules"),
        path.join(LAMBDAS_DIR, "common", "node_modules"),
        path.join(REPO, "node_modules", ".pnpm", "node_modules"),
      ];
      const bundled = path.join(work, "bundle", name, "index.js");
      const external = path.join(work, "external", name, "index.js");
      await build(bundleOptions(name, bundled));
      await build({ ...bundleOptions(name, external), external: ["@aws-sdk/*"] });
      const naive = naiveBuild(name, path.join(work, "naive"));
      const [bundle, ext, naiveMeasure] = measureInterleaved(
        [
          { file: bundled, nodePath: [] },
          { file: external, nodePath },
          { file: naive, nodePath },
        ],
        runs,
      );
      if (!bundle || !ext || !naiveMeasure) throw new Error(`no measurement for ${name}`);
      const row: Row = { name, bundle, external: ext, naive: naiveMeasure };
      rows.push(row);
      process.stdout.write(
        `${name.padEnd(24)} bundle ${formatBytes(row.bundle.bytes).padStart(9)} ${row.bundle.initMs.toFixed(1).padStart(6)} ms | ` +
          `naive ${row.naive.files} files ${row.naive.initMs.toFixed(1).padStart(6)} ms | ${(row.naive.initMs / row.bundle.initMs).toFixed(2)}x\n`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const table = report(rows, runs);
  writeReport(table);
  process.stdout.write(`\n${table}\n\nwritten to ${path.relative(REPO, REPORT)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
