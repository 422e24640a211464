/**
 * The image scenarios of issue 16: each applies one kind of change to a temporary checkout of the
 * repository, plans the compute layer (dev) before and after, and counts what the change rebuilds and
 * updates (plan-changes.ts). Shared by `pnpm bench:images` (which prints and records the table) and its
 * test (which asserts every row).
 *
 * The checkout is a copy of this working tree's files (tracked and untracked, not ignored: so no `dist/`,
 * as after a clone) with its own `pnpm install --frozen-lockfile --offline`, like a second clone. The
 * bundle cache is seeded from this checkout's (`node_modules/.cache/tradai-bundles`, content-verified:
 * an entry is used only when every input file still hashes the same), so unchanged bundles are not
 * rebuilt from scratch; every changed one is.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { bundleUsedInputs, lambdaBundleSpec } from "@tradai/components/lambda-bundle";
import { discoverLambdas, REPO_ROOT } from "@tradai/components/platform";
import { comparePlans, type PlanChanges } from "./plan-changes";
import type { LayerPlan } from "./plan-types";

export interface Counts {
  images: number;
  functions: number;
  services: number;
}

/** A temporary checkout: its root and a way to undo edits. */
export class Workspace {
  private constructor(readonly root: string) {}

  /** Copies `source`'s working tree (no ignored files) and installs its dependencies offline. */
  static create(source: string = REPO_ROOT, log: (line: string) => void = () => {}): Workspace {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-checkout-"));
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: source })
      .toString()
      .split("\0")
      .filter(Boolean);
    for (const file of files) {
      const from = path.join(source, file);
      if (!fs.existsSync(from)) continue; // deleted in the working tree
      const stat = fs.lstatSync(from);
      const to = path.join(root, file);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
      else if (stat.isFile()) {
        fs.copyFileSync(from, to);
        fs.chmodSync(to, stat.mode & 0o7777);
      }
    }
    log(`copied ${files.length} files to ${root}; installing dependencies offline`);
    const pnpm = process.env.npm_execpath;
    const [command, args] =
      pnpm?.endsWith(".cjs") || pnpm?.endsWith(".js") ? [process.execPath, [pnpm]] : ["pnpm", [] as string[]];
    execFileSync(command, [...args, "install", "--frozen-lockfile", "--offline"], {
      cwd: root,
      stdio: "pipe",
      env: { ...process.env, CI: "true" },
    });
    const cache = path.join(source, "node_modules", ".cache", "tradai-bundles");
    if (fs.existsSync(cache)) {
      fs.cpSync(cache, path.join(root, "node_modules", ".cache", "tradai-bundles"), { recursive: true });
    }
    return new Workspace(root);
  }

  file(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Rewrites a file; returns the undo. */
  edit(rel: string, change: (text: string) => string): () => void {
    const file = this.file(rel);
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, change(before));
    return () => fs.writeFileSync(file, before);
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A scenario-worker.ts process in one checkout, planning compute (dev) on request. */
export class Planner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: ((reply: { ok?: boolean; ready?: boolean; error?: string }) => void)[] = [];
  private readonly ready: Promise<void>;
  private count = 0;
  private readonly dir: string;

  constructor(readonly root: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-plans-"));
    const tsx = path.join(root, "node_modules", ".bin", "tsx");
    this.child = spawn(tsx, [path.join(root, "packages", "plan", "src", "scenario-worker.ts")], {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    this.child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.child.on("exit", (code) => {
      for (const reply of this.replies.splice(0))
        reply({ ok: false, error: `worker exited ${code}: ${stderr}` });
    });
    // Only the worker's JSON replies count; anything else a program prints is ignored.
    readline.createInterface({ input: this.child.stdout }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      let reply: { ok?: boolean; ready?: boolean; error?: string };
      try {
        reply = JSON.parse(line);
      } catch {
        return;
      }
      if (reply.ok === undefined && reply.ready === undefined) return;
      this.replies.shift()?.(reply);
    });
    this.ready = new Promise((resolve, reject) => {
      this.replies.push((r) => (r.ready ? resolve() : reject(new Error(r.error ?? "worker did not start"))));
    });
  }

  /** Plans compute (dev) in this checkout as it is now. */
  async plan(request: { umask?: number; config?: Record<string, string> } = {}): Promise<LayerPlan> {
    await this.ready;
    const out = path.join(this.dir, `compute-${++this.count}.json`);
    const reply = await new Promise<{ ok?: boolean; error?: string }>((resolve) => {
      this.replies.push(resolve);
      this.child.stdin.write(`${JSON.stringify({ out, ...request })}\n`);
    });
    if (!reply.ok) throw new Error(`planning ${this.root} failed: ${reply.error}`);
    return JSON.parse(fs.readFileSync(out, "utf8")) as LayerPlan;
  }

  close(): void {
    this.child.stdin.end();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What a scenario does to the checkout before the "after" plan, and how the "after" plan is made. */
export interface ScenarioContext {
  ws: Workspace;
  /** The checkout's plan before any change. */
  base: LayerPlan;
  /** A plan of the checkout as it is now. */
  plan(request?: { umask?: number; config?: Record<string, string> }): Promise<LayerPlan>;
  /** A plan of the source checkout (the repository this one was copied from). */
  planSource(): Promise<LayerPlan>;
  /** Keeps a file's bytes as the scenario left them (read before its edits are undone). */
  capture(rel: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  target: Counts;
  /** Returns the plans to compare: [before, after]. */
  run(ctx: ScenarioContext): Promise<[LayerPlan, LayerPlan]>;
}

const appendTo = (ws: Workspace, rel: string, text: string) => ws.edit(rel, (t) => `${t}\n${text}\n`);

async function withUndo<T>(undo: (() => void)[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    for (const u of undo.reverse()) u();
  }
}

/** A `lambdas/common` source that contributes bytes to every Lambda bundle (from the bundle cache). */
export function commonSourceInEveryBundle(root: string): string {
  const lambdas = discoverLambdas(root);
  const sets = lambdas.map((fn) => {
    const used = bundleUsedInputs(lambdaBundleSpec(fn, root));
    if (!used) throw new Error(`no bundle record for ${fn}: plan the checkout first`);
    return new Set(used.filter((f) => f.startsWith("lambdas/common/src/")));
  });
  const [first, ...rest] = sets;
  const shared = [...(first ?? [])].filter((f) => rest.every((s) => s.has(f))).sort();
  const file = shared[0];
  if (!file) throw new Error("no lambdas/common source is part of every Lambda bundle");
  return file;
}

/** Every package.json of the checkout (root-relative), outside node_modules. */
function packageManifests(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...packageManifests(root, rel));
    else if (entry.name === "package.json") out.push(rel);
  }
  return out;
}

/** The lockfile after bumping `pkg` from `from` to `to`: its keys, and the specifier/version lines under it. */
export function bumpInLockfile(text: string, pkg: string, from: string, to: string): string {
  const lines = text.split("\n");
  let under = 0;
  return lines
    .map((line) => {
      if (line.includes(pkg)) {
        under = 2;
        return line.replaceAll(from, to);
      }
      if (under > 0) {
        under--;
        if (/^\s+(specifier|version):/.test(line)) return line.replaceAll(from, to);
      }
      return line;
    })
    .join("\n");
}

export const SCENARIOS: Scenario[] = [
  {
    id: "no-change",
    title: "no change",
    target: { images: 0, functions: 0, services: 0 },
    run: async ({ base, plan }) => [base, await plan()],
  },
  {
    id: "one-lambda",
    title: "one Lambda's source (sqs-consumer)",
    target: { images: 1, functions: 1, services: 0 },
    run: ({ ws, base, plan, capture }) =>
      withUndo(
        [appendTo(ws, "lambdas/sqs-consumer/src/handler.ts", 'export const scenarioProbe = "one-lambda";')],
        async () => {
          const after = await plan();
          capture("lambdas/sqs-consumer/dist/index.js");
          return [base, after];
        },
      ),
  },
  {
    id: "lambdas-common",
    title: "`lambdas/common` (a source every bundle includes)",
    target: { images: 17, functions: 17, services: 0 },
    run: ({ ws, base, plan }) => {
      const file = commonSourceInEveryBundle(ws.root);
      return withUndo(
        [appendTo(ws, file, '(globalThis as { tradaiScenario?: string }).tradaiScenario = "common";')],
        async () => [base, await plan()],
      );
    },
  },
  {
    id: "one-service",
    title: "one service's source (backend)",
    target: { images: 1, functions: 0, services: 1 },
    run: ({ ws, base, plan }) =>
      withUndo(
        [appendTo(ws, "services/backend/src/main.ts", 'export const scenarioProbe = "one-service";')],
        async () => [base, await plan()],
      ),
  },
  {
    id: "docs-only",
    title: "docs only",
    target: { images: 0, functions: 0, services: 0 },
    run: ({ ws, base, plan }) =>
      withUndo(
        [
          appendTo(ws, "README.md", "A documentation change."),
          appendTo(ws, "docs/performance.md", "More prose."),
        ],
        async () => [base, await plan()],
      ),
  },
  {
    id: "dependency-bump",
    title: "a dependency bump that leaves the bundles' bytes unchanged (@types/aws-lambda)",
    target: { images: 0, functions: 0, services: 0 },
    run: ({ ws, base, plan }) => {
      // A types-only package: manifests and lockfile change, no byte of any bundle does.
      const manifest = JSON.parse(fs.readFileSync(ws.file("lambdas/common/package.json"), "utf8")) as {
        devDependencies: Record<string, string>;
      };
      const from = manifest.devDependencies["@types/aws-lambda"];
      if (!from) throw new Error("lambdas/common no longer depends on @types/aws-lambda");
      const parts = from.split(".");
      const to = [...parts.slice(0, -1), String(Number(parts.at(-1)) + 1)].join(".");
      const manifests = packageManifests(ws.root).filter((f) =>
        fs.readFileSync(ws.file(f), "utf8").includes(`"@types/aws-lambda": "${from}"`),
      );
      const undo = [
        ...manifests.map((f) =>
          ws.edit(f, (t) => t.replaceAll(`"@types/aws-lambda": "${from}"`, `"@types/aws-lambda": "${to}"`)),
        ),
        ws.edit("pnpm-lock.yaml", (t) => bumpInLockfile(t, "@types/aws-lambda", from, to)),
      ];
      return withUndo(undo, async () => [base, await plan()]);
    },
  },
  {
    id: "release",
    title: "a release (tradai:releaseTag set)",
    target: { images: 0, functions: 0, services: 0 },
    run: async ({ base, plan }) => [base, await plan({ config: { "tradai:releaseTag": "v1.0.0" } })],
  },
  {
    id: "checkout-path",
    title: "another checkout path (this repository vs the copy)",
    target: { images: 0, functions: 0, services: 0 },
    run: async ({ base, planSource }) => [await planSource(), base],
  },
  {
    id: "umask",
    title: "umask 002 vs 022 (group-writable checkout, bundles written under umask 002)",
    target: { images: 0, functions: 0, services: 0 },
    run: async ({ ws, base, plan }) => {
      const modes = new Map<string, number>();
      const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          if (entry.name === "node_modules" || entry.name === ".git") continue;
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          if (entry.isDirectory() || entry.isFile()) {
            const mode = fs.statSync(full).mode & 0o7777;
            modes.set(full, mode);
            fs.chmodSync(full, mode | 0o020);
          }
        }
      };
      walk(ws.root);
      // As after a fresh clone under umask 002: no bundle on disk yet.
      for (const dir of ["lambdas", "services"]) {
        for (const entry of fs.readdirSync(ws.file(dir)))
          fs.rmSync(ws.file(`${dir}/${entry}/dist`), { recursive: true, force: true });
      }
      return withUndo(
        [
          () => {
            for (const [file, mode] of modes) if (fs.existsSync(file)) fs.chmodSync(file, mode);
          },
        ],
        async () => [base, await plan({ umask: 0o002 })],
      );
    },
  },
];

export interface ScenarioOutcome {
  scenario: Scenario;
  measured: Counts;
  changes: PlanChanges;
  before: LayerPlan;
  after: LayerPlan;
  /** Files the scenario captured (path -> bytes). */
  captured: Record<string, Buffer>;
  ms: number;
}

export interface ScenarioRun {
  outcomes: ScenarioOutcome[];
  /** The copy's first plan: a fresh clone's (no `dist/` before it). */
  freshClone: LayerPlan;
  workspace: Workspace;
  /** Milliseconds: copy + install, first plan of the copy (fresh clone). */
  setupMs: number;
  freshCloneMs: number;
  close(): void;
}

export const countsOf = (c: PlanChanges): Counts => ({
  images: c.images.length,
  functions: c.functions.length,
  services: c.services.length,
});

/** Runs the scenarios (all, or those named) against a fresh copy of `source`. */
export async function runScenarios(
  options: { source?: string; only?: string[]; log?: (line: string) => void } = {},
): Promise<ScenarioRun> {
  const source = options.source ?? REPO_ROOT;
  const log = options.log ?? (() => {});
  const started = Date.now();
  const ws = Workspace.create(source, log);
  const planner = new Planner(ws.root);
  let sourcePlanner: Planner | undefined;
  const close = () => {
    planner.close();
    sourcePlanner?.close();
  };
  try {
    const setupMs = Date.now() - started;
    const t0 = Date.now();
    const freshClone = await planner.plan();
    const freshCloneMs = Date.now() - t0;
    log(`fresh clone planned in ${freshCloneMs} ms`);
    const ctx: ScenarioContext = {
      ws,
      base: freshClone,
      plan: (request) => planner.plan(request),
      planSource: () => {
        sourcePlanner ??= new Planner(source);
        return sourcePlanner.plan();
      },
      capture: () => {},
    };
    const outcomes: ScenarioOutcome[] = [];
    for (const scenario of SCENARIOS.filter((s) => !options.only || options.only.includes(s.id))) {
      const t = Date.now();
      const captured: Record<string, Buffer> = {};
      ctx.capture = (rel) => {
        captured[rel] = fs.readFileSync(ws.file(rel));
      };
      const [before, after] = await scenario.run(ctx);
      const changes = comparePlans([before], [after]);
      const measured = countsOf(changes);
      outcomes.push({ scenario, measured, changes, before, after, captured, ms: Date.now() - t });
      log(
        `${scenario.id}: ${measured.images}/${measured.functions}/${measured.services} (${Date.now() - t} ms)`,
      );
    }
    return { outcomes, freshClone, workspace: ws, setupMs, freshCloneMs, close };
  } catch (error) {
    close();
    ws.dispose();
    throw error;
  }
}
