/**
 * The real `StackRunner`: Pulumi's Automation API over `stacks/<layer>` (a `LocalWorkspace` per stack
 * directory, stack name = environment). Needs the `pulumi` CLI on PATH and a logged-in backend
 * (`PULUMI_BACKEND_URL`, or `S3_PULUMI_BACKEND_URL` as the spec names it). Loaded lazily so that
 * `tradai --help` does not pay for the Pulumi SDK.
 */
import * as path from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";
import type * as Images from "@tradai/aws-clients/images";
import { z } from "zod";
import { CliError, messageOf } from "../errors";
import type { Environment, Layer } from "../platform";
import { REPO_ROOT, stackDir } from "../platform";
import { automationError } from "./automation-errors";
import { dockerBuilderProbe, withBuilderCheck } from "./image-builder";
import type {
  ChangeSummary,
  RefreshResult,
  StackOutput,
  StackRunner,
  StackRunnerFactory,
  StateResource,
} from "./stack-runner";

/** The policy pack every preview and update runs (spec 5.3: `--policy-pack policies`). */
export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policies");

/**
 * How the CLI refreshes a stack, and why.
 *
 * The layer program runs (`pulumi refresh --run-program`): every resource is read through the providers
 * the program configures now, not the provider configuration recorded in state.
 *
 * That does not renew the one expiring credential in state: each docker-build image's own `registries`
 * input, the ECR password of the last `up` (12 hours). The engine reads a resource with the inputs its
 * state holds, also when the program runs (pulumi/pulumi RefreshStep: `Inputs: s.old.Inputs`), and
 * docker-build prefers those credentials to any other (v0.0.22 client.go: "host, config, args"); with an
 * expired one it warns "unable to verify image tags, leaving state unchanged". So every image is left out
 * of the refresh (`exclude`) and its recorded digest is looked up with ECR's API and the operator's own
 * credentials instead (`@tradai/aws-clients/images`, the drift detector's check). A missing image is drift
 * the refresh cannot adopt: `refresh` and `recover` report it and fail (orchestrate.ts).
 */
export const REFRESH_RUNS_PROGRAM = true;

/**
 * The oldest Pulumi CLI the refresh accepts. Before pulumi/pulumi#22404 (fixing #22403, 2026-03-30) a
 * refresh with `--run-program` ignored `--exclude`, so the images would be read with the stale password
 * again; 3.276.0 is the version the workflows and the drift detector pin (docs/bootstrap.md: "3.276 or
 * newer").
 */
export const REFRESH_MIN_PULUMI = "3.276.0";

/** Whether `version` (`3.276.0`, `v3.277.1-alpha.5`) is at least `minimum`. */
export function atLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim()) ?? []).slice(1).map(Number);
  const [have, want] = [parts(version), parts(minimum)];
  if (have.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

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

/** The image check (and the ECR client under it), loaded by the refresh only. */
function loadImages(): typeof Images {
  return require("@tradai/aws-clients/images") as typeof Images;
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
      async refresh(opts = {}): Promise<RefreshResult> {
        const selected = await stack();
        const version = selected.workspace.pulumiVersion;
        if (!atLeast(version, REFRESH_MIN_PULUMI)) {
          throw new CliError(
            `the Pulumi CLI ${version} ignores --exclude when a refresh runs the program (pulumi/pulumi#22403), ` +
              "so it would read the images with the ECR password stored at the last up; nothing was refreshed",
            `install Pulumi CLI ${REFRESH_MIN_PULUMI} or newer (docs/bootstrap.md), then rerun`,
          );
        }
        // The images are checked before anything is written: a check that cannot run leaves the state as it was.
        const images = loadImages();
        const registry = new images.EcrImageRegistry();
        let recorded: ReturnType<typeof images.recordedImages>;
        let checked: Awaited<ReturnType<typeof images.checkImages>>;
        try {
          recorded = images.recordedImages(await selected.exportStack());
          checked = await images.checkImages(recorded.images, registry);
        } catch (error) {
          if (error instanceof auto.CommandError) throw error;
          throw new CliError(
            `cannot check the images of ${layer} (${stackName}) in ECR: ${messageOf(error)}; nothing was refreshed`,
            "the refresh looks every image's digest up with your credentials (ecr:DescribeImages on the " +
              "environment's repositories)",
          );
        } finally {
          registry.destroy();
        }
        const result = await selected.refresh({
          clearPendingCreates: opts.clearPendingCreates,
          runProgram: REFRESH_RUNS_PROGRAM,
          ...(recorded.urns.length > 0 ? { exclude: recorded.urns } : {}),
          onOutput: opts.onOutput,
        });
        return {
          changes: counts(result.summary.resourceChanges),
          images: { present: checked.same, missing: checked.delete },
        };
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
