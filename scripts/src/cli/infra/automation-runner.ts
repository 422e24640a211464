/**
 * The real `StackRunner`: Pulumi's Automation API over `stacks/<layer>` (a `LocalWorkspace` per stack
 * directory, stack name = environment). Needs the `pulumi` CLI on PATH and a logged-in backend
 * (`PULUMI_BACKEND_URL`, or `S3_PULUMI_BACKEND_URL` as the spec names it). Loaded lazily so that
 * `tradai --help` does not pay for the Pulumi SDK.
 */
import * as path from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";
import { z } from "zod";
import { CliError } from "../errors";
import type { Environment, Layer } from "../platform";
import { REPO_ROOT, stackDir } from "../platform";
import { automationError } from "./automation-errors";
import { dockerBuilderProbe, withBuilderCheck } from "./image-builder";
import type {
  ChangeSummary,
  StackOutput,
  StackRunner,
  StackRunnerFactory,
  StateResource,
} from "./stack-runner";

/** The policy pack every preview and update runs (spec 5.3: `--policy-pack policies`). */
export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policies");

/** Every refresh runs the layer program (`pulumi refresh --run-program`); see `refresh` below. */
export const REFRESH_RUNS_PROGRAM = true;

const checkpoint = z.object({
  resources: z
    .array(z.object({ urn: z.string(), type: z.string(), parent: z.string().optional() }))
    .default([]),
});

/**
 * The Automation API module, loaded on first use. `require` rather than `import()`: the SDK has no
 * `exports` map, so only CommonJS resolution finds `automation/index.js`.
 */
function loadAutomation(): typeof Automation {
  return require("@pulumi/pulumi/automation") as typeof Automation;
}

/**
 * Environment the Pulumi CLI is started with: the spec's backend variable is accepted as an alias, and
 * buildx attaches no provenance attestation (it would turn a Lambda image into an index Lambda refuses).
 */
export function pulumiEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = { BUILDX_NO_DEFAULT_ATTESTATIONS: "1" };
  const backend = env.PULUMI_BACKEND_URL ?? env.S3_PULUMI_BACKEND_URL;
  if (backend) vars.PULUMI_BACKEND_URL = backend;
  return vars;
}

function counts(changes: Record<string, number | undefined> | undefined): ChangeSummary {
  const summary: ChangeSummary = {};
  for (const [op, n] of Object.entries(changes ?? {})) if (n) summary[op] = n;
  return summary;
}

/** Builds the Automation API runner factory for a repository checkout. */
export function automationRunnerFactory(env: NodeJS.ProcessEnv = process.env): StackRunnerFactory {
  return async (layer: Layer, stackName: Environment): Promise<StackRunner> => {
    const auto = loadAutomation();
    const args = { stackName, workDir: stackDir(layer) };
    const options = { envVars: pulumiEnv(env) };
    let selected: Awaited<ReturnType<typeof auto.LocalWorkspace.selectStack>> | undefined;
    const stack = async () => {
      if (!selected) {
        try {
          selected = await auto.LocalWorkspace.selectStack(args, options);
        } catch (error) {
          if (error instanceof auto.StackNotFoundError) {
            throw new CliError(
              `stack ${stackName} of layer ${layer} does not exist in the backend`,
              `create it with: pnpm tradai infra stack-init ${layer} ${stackName}`,
            );
          }
          throw error;
        }
      }
      return selected;
    };
    const runner: StackRunner = {
      layer,
      env: stackName,
      async init(opts) {
        try {
          selected = await auto.LocalWorkspace.createStack(args, {
            ...options,
            secretsProvider: opts.secretsProvider,
          });
        } catch (error) {
          if (error instanceof auto.StackAlreadyExistsError) {
            throw new CliError(
              `stack ${stackName} of layer ${layer} already exists`,
              `deploy it with: pnpm tradai infra up ${layer} ${stackName}`,
            );
          }
          throw error;
        }
      },
      async up(opts = {}) {
        const result = await (await stack()).up({
          policyPacks: [POLICY_PACK_DIR],
          target: opts.target,
          targetDependents: opts.targetDependents,
          onOutput: opts.onOutput,
        });
        return counts(result.summary.resourceChanges);
      },
      async preview(opts = {}) {
        const result = await (await stack()).preview({
          policyPacks: [POLICY_PACK_DIR],
          diff: opts.diff,
          onOutput: opts.onOutput,
        });
        return counts(result.changeSummary);
      },
      async refresh(opts = {}) {
        const result = await (await stack()).refresh({
          clearPendingCreates: opts.clearPendingCreates,
          // Run the program so every resource is read through the providers the program configures now,
          // not those recorded in state. It does not renew the docker-build images' own ECR password: the
          // engine reads a resource with the inputs its state holds (pulumi RefreshStep: s.old.Inputs), and
          // docker-build prefers those; 12 hours after an `up` it cannot verify an image, warns and leaves
          // it unchanged. `tradai images check` verifies the images with the caller's credentials.
          runProgram: REFRESH_RUNS_PROGRAM,
          onOutput: opts.onOutput,
        });
        return counts(result.summary.resourceChanges);
      },
      async destroy(opts = {}) {
        const result = await (await stack()).destroy({ onOutput: opts.onOutput });
        return counts(result.summary.resourceChanges);
      },
      async cancel() {
        await (await stack()).cancel();
      },
      async outputs() {
        const raw = await (await stack()).outputs();
        const outputs: Record<string, StackOutput> = {};
        for (const [key, value] of Object.entries(raw)) {
          const output = value as Automation.OutputValue;
          outputs[key] = { value: output.value as unknown, secret: output.secret };
        }
        return outputs;
      },
      async resources(): Promise<StateResource[]> {
        const state = await (await stack()).exportStack();
        return checkpoint.parse(state.deployment ?? {}).resources;
      },
    };
    // The compute program bundles the Lambdas itself; only the image builder needs a look first.
    return withBuilderCheck(withOperatorErrors(runner), dockerBuilderProbe);
  };
}

/** Every operation of `runner` with Automation API errors translated for the operator. */
function withOperatorErrors(runner: StackRunner): StackRunner {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (error) {
        throw automationError(error, runner.layer, runner.env);
      }
    };
  return {
    layer: runner.layer,
    env: runner.env,
    init: wrap(runner.init),
    up: wrap(runner.up),
    preview: wrap(runner.preview),
    refresh: wrap(runner.refresh),
    destroy: wrap(runner.destroy),
    cancel: wrap(runner.cancel),
    outputs: wrap(runner.outputs),
    resources: wrap(runner.resources),
  };
}
