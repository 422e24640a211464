/** Configuration of the root project `tradai-bootstrap` (`Pulumi.<env>.yaml` at the repository root). */

import type { Environment } from "@tradai/contracts";
import { z } from "zod";
import { commonConfigShape } from "./common";
import { int, json } from "./fields";

export function bootstrapConfigSchema(_env: Environment) {
  return z
    .object({
      ...commonConfigShape,
      /** GitHub environments whose workflow runs may assume the deploy role. Default: the stack's environment. */
      githubEnvironments: json(z.array(z.string().min(1)).min(1)).optional(),
      /** Days noncurrent versions of state files are kept. Default 90. */
      stateVersionRetentionDays: int(1, 3650).default(90),
    })
    .strict();
}

export type BootstrapConfig = z.output<ReturnType<typeof bootstrapConfigSchema>>;
