/**
 * The Pulumi operations the CLI needs, behind an interface: the real implementation drives the Automation
 * API (`automation-runner.ts`), tests inject a recording fake. Orchestration code only sees this.
 */
import type { Environment, Layer } from "../platform";

/** Streams the engine's output lines (progress display, logs). */
export type OutputSink = (line: string) => void;

/** A Pulumi stack output as the engine reports it. */
export interface StackOutput {
  value: unknown;
  secret: boolean;
}

/** One resource of a stack's checkpoint (what `pulumi stack export` lists). */
export interface StateResource {
  urn: string;
  type: string;
  parent?: string;
}

/** Resource operation counts of a preview or update (`create`, `update`, `delete`, `same`, ...). */
export type ChangeSummary = Record<string, number>;

export interface UpOptions {
  /** URNs to update; everything else is left alone. */
  target?: string[];
  /** Also update resources that depend on the targets. */
  targetDependents?: boolean;
  onOutput?: OutputSink;
}

export interface PreviewOptions {
  /** Show property-level diffs (used by `recover` to show drift). */
  diff?: boolean;
  onOutput?: OutputSink;
}

export interface RefreshOptions {
  /** Drop pending creates an interrupted update left behind (the resources may not exist). */
  clearPendingCreates?: boolean;
  onOutput?: OutputSink;
}

/**
 * The docker-build images a stack's state records, looked up by digest in ECR with the caller's own
 * credentials instead of refreshed by Pulumi (see `automation-runner.ts` for why). URNs.
 */
export interface ImageVerdict {
  /** ECR still holds the digest the state records. */
  present: string[];
  /** The digest or its whole repository is gone: drift the refresh leaves in state, for `up` to repair. */
  missing: string[];
}

export interface RefreshResult {
  /** The engine's counts for every resource but the images. */
  changes: ChangeSummary;
  images: ImageVerdict;
}

export interface InitOptions {
  /** `awskms://...` (the default the CLI passes: bootstrap's key) or `passphrase`. */
  secretsProvider: string;
}

/** One layer's stack for one environment. */
export interface StackRunner {
  readonly layer: Layer;
  readonly env: Environment;
  /** Creates the stack in the backend; fails when it already exists. */
  init(options: InitOptions): Promise<void>;
  up(options?: UpOptions): Promise<ChangeSummary>;
  preview(options?: PreviewOptions): Promise<ChangeSummary>;
  /** Refreshes every resource but the images, which it checks in ECR instead. */
  refresh(options?: RefreshOptions): Promise<RefreshResult>;
  destroy(options?: { onOutput?: OutputSink }): Promise<ChangeSummary>;
  /** Releases the lock of an update that was interrupted. */
  cancel(): Promise<void>;
  outputs(): Promise<Record<string, StackOutput>>;
  /** The resources recorded in the stack's state. */
  resources(): Promise<StateResource[]>;
}

/** Opens (selects, creating the local workspace if needed) a layer's stack for an environment. */
export type StackRunnerFactory = (layer: Layer, env: Environment) => Promise<StackRunner>;

/** Plain values of a stack's outputs, with secrets masked unless asked for. */
export function plainOutputs(
  outputs: Record<string, StackOutput>,
  showSecrets = false,
): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(outputs)) {
    plain[key] = output.secret && !showSecrets ? "[secret]" : output.value;
  }
  return plain;
}
