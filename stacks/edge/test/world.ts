/**
 * Plans the edge layer for one environment with what it reads: the real planned layers when their
 * programs exist, the contract-checked fixtures otherwise. Also collects, per CloudWatch dimension, the
 * values that name something that exists in the plan, for the dashboard and alarm checks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stackDir } from "@tradai/components";
import {
  type ComputeOutputs,
  computeOutputsSchema,
  type Environment,
  type FoundationOutputs,
  foundationOutputsSchema,
  type Layer,
} from "@tradai/contracts";
import { PlanView, planLayer, planLayers, runLayer } from "@tradai/plan";
import { computeFixture, foundationFixture } from "./fixtures";

export interface World {
  env: Environment;
  edge: PlanView;
  /** Planned views of the earlier layers that have programs. */
  upstream: Partial<Record<Layer, PlanView>>;
  foundation: FoundationOutputs;
  compute: ComputeOutputs;
  /** True when foundation and compute came from fixtures rather than their programs. */
  fixtures: boolean;
}

export const hasProgram = (layer: Layer) => fs.existsSync(path.join(stackDir(layer), "index.ts"));

interface Upstream {
  views: Partial<Record<Layer, PlanView>>;
  outputs: Partial<Record<Layer, Record<string, unknown>>>;
  fixtures: boolean;
}

/** Earlier layers are planned once per environment and test file: they do not depend on edge config. */
const upstreamCache = new Map<Environment, Upstream>();

async function upstreamOf(env: Environment): Promise<Upstream> {
  const cached = upstreamCache.get(env);
  if (cached) return cached;
  let upstream: Upstream;
  if (hasProgram("foundation") && hasProgram("compute")) {
    const views = await planLayers(env, "compute");
    const outputs = Object.fromEntries(Object.entries(views).map(([layer, view]) => [layer, view.outputs]));
    upstream = { views, outputs, fixtures: false };
  } else {
    const persistent = await planLayer(env, "persistent");
    upstream = {
      views: { persistent },
      outputs: {
        persistent: persistent.outputs,
        foundation: foundationFixture(env) as unknown as Record<string, unknown>,
        compute: computeFixture(env) as unknown as Record<string, unknown>,
      },
      fixtures: true,
    };
  }
  upstreamCache.set(env, upstream);
  return upstream;
}

/**
 * Plans edge for `env` with `config` overrides (`tradai:key` -> string), optionally replacing the compute
 * outputs it reads.
 */
export async function planEdge(
  env: Environment,
  config: Record<string, string> = {},
  overrides: { compute?: ComputeOutputs } = {},
): Promise<World> {
  const upstream = await upstreamOf(env);
  // Both contracts are checked here, so fixtures cannot drift from the schemas.
  const foundation = foundationOutputsSchema.parse(upstream.outputs.foundation);
  const compute = computeOutputsSchema.parse(overrides.compute ?? upstream.outputs.compute);
  const plan = await runLayer({
    layer: "edge",
    env,
    config,
    upstream: { ...upstream.outputs, compute: compute as unknown as Record<string, unknown> },
  });
  return {
    env,
    edge: new PlanView(plan),
    upstream: upstream.views,
    foundation,
    compute,
    fixtures: upstream.fixtures,
  };
}

const inputName = (view: PlanView | undefined, type: string, key = "name") =>
  (view?.ofType(type) ?? []).map((r) => r.inputs[key]).filter((v): v is string => typeof v === "string");

/**
 * CloudWatch dimension -> values that name a resource of the plan. Names of foundation and compute
 * resources come from their planned resources when those layers ran, else from the fixtures.
 */
export function existingDimensionValues(w: World, region: string): Record<string, Set<string>> {
  const { foundation: f, compute: c } = w;
  const fromPlan = !w.fixtures;
  const set = (values: string[]) => new Set(values);
  return {
    FunctionName: set(
      fromPlan
        ? inputName(w.upstream.compute, "aws:lambda/function:Function")
        : Object.values(c.functions).map((fn) => fn.name),
    ),
    QueueName: set(
      fromPlan
        ? inputName(w.upstream.foundation, "aws:sqs/queue:Queue")
        : Object.values(f.queues).flatMap((q) => [q.name, q.dlqName]),
    ),
    ClusterName: set(fromPlan ? inputName(w.upstream.compute, "aws:ecs/cluster:Cluster") : [c.cluster.name]),
    ServiceName: set(
      fromPlan
        ? inputName(w.upstream.compute, "aws:ecs/service:Service")
        : Object.values(c.services).map((s) => s.name),
    ),
    DBInstanceIdentifier: set(
      fromPlan
        ? inputName(w.upstream.foundation, "aws:rds/instance:Instance", "identifier")
        : [f.database.instanceId],
    ),
    // Suffixes are computed by AWS; the contract carries the planned load balancer's.
    LoadBalancer: set([c.alb.arnSuffix]),
    TargetGroup: set(Object.values(c.alb.targetGroups).map((tg) => tg.arnSuffix)),
    ApiName: set(inputName(w.edge, "aws:apigateway/restApi:RestApi")),
    Stage: set(inputName(w.edge, "aws:apigateway/stage:Stage", "stageName")),
    WebACL: set(inputName(w.edge, "aws:wafv2/webAcl:WebAcl")),
    Region: set([region]),
    Rule: set(["ALL"]),
  };
}
