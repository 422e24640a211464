/** Resource options shared by the components. */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for a resource that holds data: when `protectData` is set (prod by default), `pulumi destroy`
 * refuses to delete it and removing it from the program leaves it in the account.
 */
export function dataResourceOptions(protectData: boolean): pulumi.CustomResourceOptions {
  return protectData ? { protect: true, retainOnDelete: true } : {};
}

/**
 * `opts` with an alias to the component's former type token: the tokens follow the folders
 * (`tradai:<folder>:<Name>`), and an existing stack keeps the component and, through the engine's
 * inherited aliases, every child (packages/plan/test/urn-baseline.test.ts proves it for prod).
 */
export function formerType(
  type: string,
  opts?: pulumi.ComponentResourceOptions,
): pulumi.ComponentResourceOptions {
  return { ...opts, aliases: [...(opts?.aliases ?? []), { type }] };
}
