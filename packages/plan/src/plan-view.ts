/**
 * Queries over planned resources, for tests and reviewers: find resources by type and name, follow
 * parents and dependencies.
 */
import { type Environment, LAYERS, type Layer } from "@tradai/contracts";
import { cachedPlan, cachePlan } from "./plan-cache";
import type { LayerPlan, PlannedResource } from "./plan-types";
import { runLayer } from "./runtime";

export class PlanView {
  private readonly byUrn: Map<string, PlannedResource>;

  constructor(readonly plan: LayerPlan) {
    this.byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  }

  get resources(): PlannedResource[] {
    return this.plan.resources;
  }

  get outputs(): Record<string, unknown> {
    return this.plan.outputs;
  }

  /** Every resource of a type. */
  ofType(type: string): PlannedResource[] {
    return this.plan.resources.filter((r) => r.type === type);
  }

  /** The one resource of `type` named `name`; throws listing the names that exist otherwise. */
  one(type: string, name: string): PlannedResource {
    const found = this.ofType(type).filter((r) => r.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(
        `expected one ${type} named "${name}", found ${found.length}; names: ${names.join(", ")}`,
      );
    }
    return found[0] as PlannedResource;
  }

  get(urn: string): PlannedResource | undefined {
    return this.byUrn.get(urn);
  }

  /** The resource's parent chain, nearest first. */
  ancestors(resource: PlannedResource): PlannedResource[] {
    const out: PlannedResource[] = [];
    let current = resource.parent ? this.byUrn.get(resource.parent) : undefined;
    while (current) {
      out.push(current);
      current = current.parent ? this.byUrn.get(current.parent) : undefined;
    }
    return out;
  }

  /** Direct children of a resource. */
  children(resource: PlannedResource): PlannedResource[] {
    return this.plan.resources.filter((r) => r.parent === resource.urn);
  }

  /** URNs `resource` depends on, through `dependsOn` or any input. */
  dependencies(resource: PlannedResource): Set<string> {
    return new Set([...resource.dependsOn, ...Object.values(resource.propertyDependencies).flat()]);
  }

  /** True when `resource` depends on `target` directly or through a component containing it. */
  dependsOn(resource: PlannedResource, target: PlannedResource): boolean {
    const deps = this.dependencies(resource);
    return deps.has(target.urn) || this.ancestors(target).some((a) => deps.has(a.urn));
  }
}

export interface PlanLayersOptions {
  /** Extra config per layer (`ns:key` -> string) over `Pulumi.<env>.yaml`. */
  config?: Partial<Record<Layer, Record<string, string>>>;
}

/**
 * Runs every layer up to and including `upTo` for `env`, feeding outputs forward, and returns the views.
 * Without config overrides, plans already made in the plan cache (./plan-cache.ts) are reused.
 */
export async function planLayers(
  env: Environment,
  upTo: Layer,
  options: PlanLayersOptions = {},
): Promise<Partial<Record<Layer, PlanView>>> {
  const cacheable = Object.keys(options.config ?? {}).length === 0;
  const upstream: Partial<Record<Layer, Record<string, unknown>>> = {};
  const views: Partial<Record<Layer, PlanView>> = {};
  for (const layer of LAYERS.slice(0, LAYERS.indexOf(upTo) + 1)) {
    let plan = cacheable ? cachedPlan(env, layer) : undefined;
    if (!plan) {
      plan = await runLayer({ layer, env, upstream, config: options.config?.[layer] });
      if (cacheable) cachePlan(env, layer, plan);
    }
    upstream[layer] = plan.outputs;
    views[layer] = new PlanView(plan);
  }
  return views;
}

/** Runs layers up to `layer` and returns that layer's view. */
export async function planLayer(
  env: Environment,
  layer: Layer,
  options: PlanLayersOptions = {},
): Promise<PlanView> {
  const views = await planLayers(env, layer, options);
  return views[layer] as PlanView;
}
