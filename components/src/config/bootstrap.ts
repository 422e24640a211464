/** Configuration of the root project `tradai-bootstrap` (`Pulumi.<env>.yaml` at the repository root). */

import type { Environment } from "@tradai/contracts";
import { z } from "zod";
import { commonConfigShape } from "./common";
import { int, json } from "./fields";

export function bootstrapConfigSchema(env: Environment) {
  return z
    .object({
      ...commonConfigShape,
      /** GitHub environments whose workflow runs may assume the deploy role. Default: the stack's environment. */
      githubEnvironments: json(z.array(z.string().min(1)).min(1)).optional(),
      /** Days noncurrent versions of state files are kept. Default 90. */
      stateVersionRetentionDays: int(1, 3650).default(90),
      /**
       * Whose code may assume the preview role: `pull-requests` (any pull request of the repository) or
       * `default-branch` (only workflows running the default branch). Prod must be `default-branch`: no
       * pull request's code may read prod. Default `default-branch` in prod, `pull-requests` elsewhere.
       */
      previewFrom: z
        .enum(["pull-requests", "default-branch"])
        .default(env === "prod" ? "default-branch" : "pull-requests"),
    })
    .strict()
    .superRefine((config, ctx) => {
      if (env === "prod" && config.previewFrom !== "default-branch") {
        ctx.addIssue({
          code: "custom",
          path: ["previewFrom"],
          message: "must be default-branch in prod: no pull request's code may read prod",
        });
      }
    });
}

export type BootstrapConfig = z.output<ReturnType<typeof bootstrapConfigSchema>>;
