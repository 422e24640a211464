/** Environment of pulumi-drift-detector (docs/runtime-contracts.md). */
import { LAYERS } from "@tradai/contracts";
import { jsonString, loadEnv, requiredString } from "@tradai/lambda-common";
import * as z from "zod";

export const StackTarget = z
  .object({
    layer: z.enum(LAYERS),
    /** Stack name within the layer's project: `dev`, `staging`, `prod`. */
    stack: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "expected a stack name like dev"),
    /** Pulumi project; defaults to the layer's `tradai-<layer>`. */
    project: z.string().min(1).optional(),
  })
  .transform((t) => ({ ...t, project: t.project ?? `tradai-${t.layer}` }));
export type StackTarget = z.output<typeof StackTarget>;

export const Env = z.object({
  /** The state backend the layers deploy with, e.g. `s3://tradai-pulumi-state-123456789012`. */
  PULUMI_BACKEND_URL: requiredString(),
  /** JSON array of `{ "layer", "stack" }` to check. */
  PULUMI_STACKS: jsonString(z.array(StackTarget).min(1, "expected at least one stack")),
  ALERTS_TOPIC_ARN: requiredString(),
  ENVIRONMENT: z.string().optional(),
  /** Where the image installed the Pulumi CLI (`<root>/bin/pulumi`). Unset: `pulumi` from PATH. */
  PULUMI_CLI_ROOT: z.string().min(1).optional(),
  /** Provider plugins installed at build time, linked into the writable Pulumi home at run time. */
  PULUMI_PLUGINS_DIR: z.string().min(1).optional(),
});
export type Config = z.infer<typeof Env>;

export const config = (): Config => loadEnv(Env);
