/**
 * Reads the offline plan (`pnpm plan --env dev` writes `plan/dev/<layer>.json`). The files cross a process
 * boundary, so they are validated here: a missing layer or a file of another shape is a clear error that
 * names the file, before anything is started.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/** The layers the local platform wires, in deployment order. */
export const LOCAL_LAYERS = ["persistent", "foundation", "compute", "edge"] as const;
export type LocalLayer = (typeof LOCAL_LAYERS)[number];

const PlannedResource = z.looseObject({
  urn: z.string(),
  type: z.string(),
  name: z.string(),
  custom: z.boolean(),
  parent: z.string().nullable(),
  inputs: z.record(z.string(), z.unknown()),
});
export type PlannedResource = z.infer<typeof PlannedResource>;

const LayerPlan = z.looseObject({
  project: z.string(),
  stack: z.string(),
  layer: z.string(),
  resources: z.array(PlannedResource),
  outputs: z.record(z.string(), z.unknown()),
});
export type LayerPlan = z.infer<typeof LayerPlan>;

/** The four layer plans of one environment. */
export type EnvironmentPlan = Record<LocalLayer, LayerPlan>;

export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanFileError";
  }
}

/** Reads and validates `<dir>/<env>/<layer>.json` for every layer. */
export function readEnvironmentPlan(dir: string, env: string): EnvironmentPlan {
  const plans = {} as EnvironmentPlan;
  for (const layer of LOCAL_LAYERS) {
    const file = path.join(dir, env, `${layer}.json`);
    if (!fs.existsSync(file)) {
      throw new PlanFileError(`${file} does not exist: run \`pnpm plan --env ${env}\` first`);
    }
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new PlanFileError(`${file} is not JSON: ${(error as Error).message}`);
    }
    const parsed = LayerPlan.safeParse(json);
    if (!parsed.success) {
      throw new PlanFileError(`${file} is not a layer plan: ${z.prettifyError(parsed.error)}`);
    }
    if (parsed.data.layer !== layer || parsed.data.stack !== env) {
      throw new PlanFileError(
        `${file} holds ${parsed.data.stack}/${parsed.data.layer}, expected ${env}/${layer}`,
      );
    }
    plans[layer] = parsed.data;
  }
  return plans;
}

/** Every provider-backed resource of the given type across the layers. */
export function resourcesOfType(plan: EnvironmentPlan, type: string): PlannedResource[] {
  return LOCAL_LAYERS.flatMap((layer) => plan[layer].resources.filter((r) => r.custom && r.type === type));
}
