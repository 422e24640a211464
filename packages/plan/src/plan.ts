/**
 * The offline plan: every layer of every selected environment under mocks, in order, each layer's
 * planned outputs feeding the next layer's StackReference. Writes `plan/<env>/<layer>.json` and
 * `plan/<env>/summary.md`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stackDir } from "@tradai/components/platform";
import { type Environment, LAYERS, type Layer } from "@tradai/contracts";
import { cachedPlan, cachePlan } from "./plan-cache";
import type { LayerPlan, PolicyViolationRecord } from "./plan-types";
import { runLayer } from "./runtime";
import { renderSummary } from "./summary";

export interface PlanOptions {
  envs: Environment[];
  /** Layers to write; the layers before them run too, to feed them. Empty: every layer that exists. */
  layers: Layer[];
  outDir: string;
  root?: string;
  /** Policy evaluation for one planned layer (the CrossGuard pack's policies). */
  evaluate?: (plan: LayerPlan) => PolicyViolationRecord[];
  /** Renders the policy part of the summary. */
  renderPolicy?: (plans: LayerPlan[]) => string;
  log?: (line: string) => void;
}

export interface PlanResult {
  plans: LayerPlan[];
  mandatoryViolations: number;
  files: string[];
}

/** Layers with a program in `stacks/`, in deployment order. */
export function existingLayers(root?: string): Layer[] {
  return LAYERS.filter((l) => fs.existsSync(path.join(stackDir(l, root), "index.ts")));
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
  const log = options.log ?? (() => {});
  const available = existingLayers(options.root);
  for (const l of options.layers) {
    if (!available.includes(l)) throw new Error(`layer "${l}" has no program yet (stacks/${l}/index.ts)`);
  }
  const wanted = options.layers.length > 0 ? options.layers : available;
  const last = Math.max(...wanted.map((l) => LAYERS.indexOf(l)));
  const toRun = available.filter((l) => LAYERS.indexOf(l) <= last);

  const result: PlanResult = { plans: [], mandatoryViolations: 0, files: [] };
  for (const env of options.envs) {
    const upstream: Partial<Record<Layer, Record<string, unknown>>> = {};
    const written: LayerPlan[] = [];
    const dir = path.join(options.outDir, env);
    fs.mkdirSync(dir, { recursive: true });
    for (const layer of toRun) {
      const started = Date.now();
      // Another checkout (root) is never served from or written to the cache of this one.
      const cached = options.root === undefined ? cachedPlan(env, layer) : undefined;
      const layerPlan = cached ?? (await runLayer({ layer, env, upstream, root: options.root }));
      if (!cached && options.root === undefined) cachePlan(env, layer, layerPlan);
      upstream[layer] = layerPlan.outputs;
      if (!wanted.includes(layer)) continue;
      if (options.evaluate) {
        const violations = options.evaluate(layerPlan);
        layerPlan.policy = { violations };
        result.mandatoryViolations += violations.filter((v) => v.enforcement === "mandatory").length;
      }
      const file = path.join(dir, `${layer}.json`);
      fs.writeFileSync(file, `${JSON.stringify(layerPlan, null, 2)}\n`);
      result.files.push(file);
      written.push(layerPlan);
      result.plans.push(layerPlan);
      log(`${env}/${layer}: ${layerPlan.resources.length} resources (${Date.now() - started} ms) -> ${file}`);
    }
    const summary = path.join(dir, "summary.md");
    fs.writeFileSync(summary, renderSummary(env, written, options.renderPolicy?.(written) ?? ""));
    result.files.push(summary);
  }
  return result;
}
