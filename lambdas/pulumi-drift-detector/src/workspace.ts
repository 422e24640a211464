/**
 * The seam between drift detection and Pulumi. {@link DriftWorkspace} is what the detector needs: a
 * refresh preview of one stack. {@link AutomationDriftWorkspace} implements it with the Automation API
 * and the Pulumi CLI installed in the image; tests substitute their own implementation.
 *
 * Why a refresh preview (`pulumi refresh --preview-only`) and not `pulumi preview --refresh`: drift is the
 * cloud differing from the recorded state, which a refresh preview computes from the state alone. A
 * preview with refresh would also run the layer programs, so the image would need every stack's sources
 * and node_modules, and the compute program builds Docker images, which a Lambda cannot do. Code that is
 * not yet deployed is what CI's `pulumi preview` on pull requests reports.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Automation from "@pulumi/pulumi/automation";
import type { StackTarget } from "./config";

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
}

export class AutomationDriftWorkspace implements DriftWorkspace {
  constructor(private readonly options: AutomationOptions) {}

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
      const workspace = await LocalWorkspace.create({
        workDir,
        pulumiHome,
        pulumiCommand,
        // A project file naming the layer's project; the program itself is never run by a refresh.
        projectSettings: {
          name: target.project,
          runtime: "nodejs",
          backend: { url: this.options.backendUrl },
        },
        envVars: {
          PULUMI_BACKEND_URL: this.options.backendUrl,
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
          HOME: scratch,
        },
      });
      const stack = await Stack.select(target.stack, workspace);
      const result = await stack.previewRefresh({
        color: "never",
        runProgram: false,
        ...(signal ? { signal } : {}),
      });
      return { ...result.changeSummary } as ChangeSummary;
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
