/**
 * The offline plan's file format: `plan/<env>/<layer>.json`. Written by `pnpm plan`, read back by
 * `pnpm policy:check` and the PR summary.
 */
import type { Environment, Layer } from "@tradai/contracts";
import type { ImageBuild } from "./image-build";

/** A resource as the engine would see it during `pulumi preview`. */
export interface PlannedResource {
  /** The URN the mock monitor answered with (it keeps only the parent's last type); plan-internal key. */
  urn: string;
  /** The URN the engine would record in the stack's state (the parent's whole type chain). */
  stateUrn: string;
  /** The resource's `aliases` as state URNs (what the engine matches against existing state). */
  aliases: string[];
  /** Pulumi type token, e.g. `aws:dynamodb/table:Table`. */
  type: string;
  /** Logical name. */
  name: string;
  /** True for provider-backed resources, false for components and the stack. */
  custom: boolean;
  /** URN of the parent (the stack for top-level resources), or null for the stack itself. */
  parent: string | null;
  /** URNs from `dependsOn`. */
  dependsOn: string[];
  /** Input property name -> URNs it depends on. */
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  /** Provider reference (`<provider urn>::<id>`), or null for the default provider. */
  provider: string | null;
  /** Inputs as plain JSON; unknown values are the string "<computed>", secrets "<secret>". */
  inputs: Record<string, unknown>;
  /** docker-build images only: the context hash as docker-build computes it, and its compared inputs. */
  build?: ImageBuild;
}

export interface PolicyViolationRecord {
  policy: string;
  enforcement: "mandatory" | "advisory";
  urn: string;
  message: string;
}

export interface LayerPlan {
  project: string;
  stack: Environment;
  layer: Layer;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  policy?: { violations: PolicyViolationRecord[] };
}

/** The plan of any program, the layers' or the root project's `bootstrap`. */
export type ProgramPlan<L extends Layer | "bootstrap" = Layer | "bootstrap"> = Omit<LayerPlan, "layer"> & {
  layer: L;
};
