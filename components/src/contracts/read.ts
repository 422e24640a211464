/** Reading another layer's outputs: one StackReference, validated against that layer's contract. */
import * as pulumi from "@pulumi/pulumi";
import { LAYER_OUTPUT_SCHEMAS, type Layer, type LayerOutputs, projectName } from "@tradai/contracts";

/**
 * What a layer program returns: its contract with any value allowed to be an Output. Pulumi resolves
 * them into the stack outputs.
 */
export type Exports<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Raised when a referenced stack's outputs do not match its layer's contract. */
export class ContractError extends Error {
  constructor(layer: Layer, stackName: string, problems: string[]) {
    super(
      `Stack "${stackName}" does not export the ${layer} contract (deploy ${projectName(layer)} first, ` +
        `or fix its outputs):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ContractError";
  }
}

/** Validates raw outputs of a `layer` stack against its contract. */
export function parseLayerOutputs<L extends Layer>(
  layer: L,
  stackName: string,
  outputs: unknown,
): LayerOutputs[L] {
  const result = LAYER_OUTPUT_SCHEMAS[layer].safeParse(outputs);
  if (!result.success) {
    throw new ContractError(
      layer,
      stackName,
      result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return result.data as LayerOutputs[L];
}

/**
 * The outputs of `layer`'s stack, typed by its contract. One StackReference per layer and program.
 *
 * @param stackName fully qualified stack name (see `referencedStackName`).
 */
export function readLayer<L extends Layer>(
  layer: L,
  stackName: string,
  opts?: pulumi.CustomResourceOptions,
): pulumi.Output<LayerOutputs[L]> {
  const ref = new pulumi.StackReference(`${layer}-outputs`, { name: stackName }, opts);
  return ref.outputs.apply((outputs) => parseLayerOutputs(layer, stackName, outputs));
}
