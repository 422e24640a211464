/**
 * The seam between drift detection and Pulumi. {@link DriftWorkspace} is what the detector needs: a
 * refresh preview of one stack. {@link AutomationDriftWorkspace} implements it with the Automation API
 * and the Pulumi CLI installed in the image; tests substitute their own implementation.
 *
 * Why a refresh preview (`pulumi refresh --preview-only`) and not `pulumi preview --refresh`: drift is the
 * cloud differing from the recorded state. Code that is not yet deployed is what CI's `pulumi preview`
 * on pull requests reports.
 *
 * Why the refresh does not run the layer programs (`runProgram: false`, {@link REFRESH_RUNS_PROGRAM}):
 * running a program would only give the refresh the providers the program configures, and no provider of
 * the layers holds an expiring credential (the aws provider takes the function's role from the
 * environment). The one expiring credential in state is the ECR password in every docker-build image's
 * own `registries` input, and the engine reads a resource with the inputs recorded in state whether or
 * not the program runs (pulumi/pulumi `RefreshStep.Apply`: `Inputs: s.old.Inputs`). So the images are
 * left out of the refresh (`exclude`) and checked against ECR's API with the function's own credentials
 * instead (`@tradai/aws-clients/images`, shared with `tradai infra refresh|recover`). Running the programs here would also need every layer's sources, the Lambda and
 * service sources the compute program bundles, and esbuild in the image, for nothing.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";
import {
  checkImages,
  EcrImageRegistry,
  type ImageRegistry,
  recordedImages,
} from "@tradai/aws-clients/images";
import { logger } from "@tradai/lambda-common";
import type { StackTarget } from "./config";

/** The refresh reads from state (see the module comment for why not with the program run). */
export const REFRESH_RUNS_PROGRAM = false;

/**
 * The stack configuration files are not here (only the state is), so the secrets provider the stack
 * was created with (bootstrap's KMS key: `tradai infra stack-init`) is taken from the state; otherwise
 * the CLI would fall back to the passphrase provider and ask for a passphrase the function does not have.
 */
export const SECRETS_FROM_STATE = { PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" } as const;

/**
 * The Automation API, loaded on first use: it is most of the bundle, and module init (cold start, the
 * tests with a fake workspace) should not pay for it. `require`, because a dynamic `import()` of this
 * subpath does not resolve under node16 module resolution (the package has no `exports` map).
 */
function automation(): typeof Automation {
  return require("@pulumi/pulumi/automation") as typeof Automation;
}

/** Counts per engine operation, e.g. `{ same: 120, update: 2, delete: 1 }`. */
export type ChangeSummary = Record<string, number>;

export interface DriftWorkspace {
  /** Compares `target`'s recorded state with the cloud without changing either. */
  previewRefresh(target: StackTarget, signal?: AbortSignal): Promise<ChangeSummary>;
}

export interface AutomationOptions {
  backendUrl: string;
  /** `<root>/bin/pulumi`; unset means `pulumi` on PATH. */
  cliRoot?: string;
  /** Plugins baked into the image; linked into the Pulumi home (the image itself is read-only). */
  pluginsDir?: string;
  /** Writable base directory (Lambda: only /tmp is writable). */
  scratchDir?: string;
  /** Where the images recorded in state are looked up. @default ECR with the function's credentials */
  registry?: ImageRegistry;
}

export class AutomationDriftWorkspace implements DriftWorkspace {
  private readonly registry: ImageRegistry;

  constructor(private readonly options: AutomationOptions) {
    this.registry = options.registry ?? new EcrImageRegistry();
  }

  async previewRefresh(target: StackTarget, signal?: AbortSignal): Promise<ChangeSummary> {
    const { LocalWorkspace, PulumiCommand, Stack } = automation();
    const scratch = this.options.scratchDir ?? os.tmpdir();
    const pulumiHome = this.pulumiHome(scratch);
    const workDir = fs.mkdtempSync(path.join(scratch, `drift-${target.project}-${target.stack}-`));
    try {
      const pulumiCommand = await PulumiCommand.get({
        ...(this.options.cliRoot ? { root: this.options.cliRoot } : {}),
        skipVersionCheck: false,
      });
      const envVars = {
        PULUMI_BACKEND_URL: this.options.backendUrl,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        ...SECRETS_FROM_STATE,
        HOME: scratch,
      };
      const workspace = await LocalWorkspace.create({
        workDir,
        pulumiHome,
        pulumiCommand,
        // A project file naming the layer's project; the refresh reads the state, never the program.
        projectSettings: {
          name: target.project,
          runtime: "nodejs",
          backend: { url: this.options.backendUrl },
        },
        envVars,
      });
      const stack = await Stack.select(target.stack, workspace);
      const { urns, images } = recordedImages(
        await exportState(pulumiCommand.command, target.stack, workDir, {
          env: { ...envVars, PULUMI_HOME: pulumiHome },
          ...(signal ? { signal } : {}),
        }),
      );
      const result = await stack.previewRefresh({
        color: "never",
        runProgram: REFRESH_RUNS_PROGRAM,
        ...(urns.length > 0 ? { exclude: urns } : {}),
        ...(signal ? { signal } : {}),
      });
      const summary: ChangeSummary = { ...result.changeSummary };
      const checked = await checkImages(images, this.registry, signal);
      for (const op of ["same", "delete"] as const) {
        if (checked[op].length > 0) summary[op] = (summary[op] ?? 0) + checked[op].length;
      }
      if (checked.delete.length > 0)
        logger.warn("images missing from ECR", { ...target, urns: checked.delete });
      return summary;
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }

  /** A writable Pulumi home whose `plugins` is the image's pre-installed plugin directory. */
  private pulumiHome(scratch: string): string {
    const home = path.join(scratch, "pulumi-home");
    fs.mkdirSync(home, { recursive: true });
    const plugins = path.join(home, "plugins");
    if (this.options.pluginsDir && !fs.existsSync(plugins)) fs.symlinkSync(this.options.pluginsDir, plugins);
    return home;
  }
}

/**
 * The stack's state as `pulumi stack export` prints it, secrets left encrypted (the Automation API's
 * `exportStack` asks for them in clear text, which nothing here needs).
 */
function exportState(
  cli: string,
  stackName: string,
  cwd: string,
  options: { env: Record<string, string>; signal?: AbortSignal },
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      cli,
      ["stack", "export", "--stack", stackName],
      {
        cwd,
        env: { ...process.env, ...options.env },
        maxBuffer: 256 * 1024 * 1024,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`pulumi stack export failed: ${stderr.trim() || error.message}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error("pulumi stack export printed no JSON"));
        }
      },
    );
  });
}
