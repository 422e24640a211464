/**
 * Runs a layer program under Pulumi mocks and captures what the engine would see: every registered or
 * read resource with its parent, dependencies, options and inputs, and the stack's outputs.
 *
 * The capture hooks the mock monitor's `registerResource`/`readResource` (an internal API of
 * @pulumi/pulumi, version pinned in package.json and guarded by a test) because `MockResourceArgs` carries
 * no parent or dependencies.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT, stackDir } from "@tradai/components/platform";
import { type Environment, LAYERS, type Layer, projectName } from "@tradai/contracts";
import { parse as parseYaml } from "yaml";
import { IMAGE_TYPE, imageBuild } from "./image-build";
import { type MockContext, PLAN_ACCOUNT_ID, planMocks } from "./mocks";
import type { PlannedResource, ProgramPlan } from "./plan-types";

/** Wire-format markers (see @pulumi/pulumi runtime/rpc). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const COMPUTED = "<computed>";
export const SECRET = "<secret>";

/** Converts wire-format inputs to plain JSON for the plan file. */
export function plainInputs(value: unknown, repoRoot: string): unknown {
  if (value === UNKNOWN) return COMPUTED;
  if (Array.isArray(value)) return value.map((v) => plainInputs(v, repoRoot));
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG_KEY]) {
    case SECRET_SIG:
      return SECRET;
    case RESOURCE_SIG:
      return obj.id !== undefined && obj.id !== "" ? obj.id : obj.urn;
    case OUTPUT_SIG:
      return obj.secret ? SECRET : "value" in obj ? plainInputs(obj.value, repoRoot) : COMPUTED;
    case ASSET_SIG:
    case ARCHIVE_SIG: {
      const kind = obj[SIG_KEY] === ASSET_SIG ? "asset" : "archive";
      if (typeof obj.path === "string") return { [kind]: path.relative(repoRoot, path.resolve(obj.path)) };
      if (obj.assets && typeof obj.assets === "object") {
        return {
          [kind]: Object.fromEntries(
            Object.entries(obj.assets).map(([k, v]) => [k, plainInputs(v, repoRoot)]),
          ),
        };
      }
      return { [kind]: typeof obj.text === "string" ? { text: obj.text } : (obj.uri ?? COMPUTED) };
    }
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, plainInputs(v, repoRoot)]));
}

/** Minimal view of the protobuf requests the mock monitor receives. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete?(): boolean | undefined;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAliasesList?(): AliasMessage[];
  getAliasurnsList?(): string[];
}
/** An alias as the SDK sends it when the monitor supports alias specs (the mock monitor does). */
interface AliasMessage {
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getProperties(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, cb: Callback): Promise<void>;
  readResource(req: ReadRequest, cb: Callback): Promise<void>;
}

/**
 * The URN the engine gives a resource: the parent's whole qualified type chain (without the root
 * stack's type) before the resource's own type. The mock monitor keeps only the parent's last type, so
 * a renamed grandparent would not show in its URNs; the state URN does.
 */
export function stateUrn(
  stack: string,
  project: string,
  type: string,
  name: string,
  parent?: string,
): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2] ?? "";
    if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Installs the capture on the current mock monitor; resources land in `sink` in registration order. */
function captureInto(sink: PlannedResource[], repoRoot: string, programDir: string): void {
  const stack = pulumi.getStack();
  const project = pulumi.getProject();
  // Mock URN -> state URN, filled in registration order (a parent registers before its children).
  const stateUrns = new Map<string, string>();
  const toState = (mockUrn: string): string | undefined => (mockUrn ? stateUrns.get(mockUrn) : undefined);
  const record = (mockUrn: string, type: string, name: string, parent: string): string => {
    const urn = stateUrn(stack, project, type, name, toState(parent));
    stateUrns.set(mockUrn, urn);
    return urn;
  };
  const aliasesOf = (req: RegisterRequest): string[] => {
    const urns = [...(req.getAliasurnsList?.() ?? [])];
    for (const alias of req.getAliasesList?.() ?? []) {
      const spec = alias.getSpec();
      if (!spec) {
        if (alias.getUrn()) urns.push(alias.getUrn());
        continue;
      }
      const parent = spec.getNoparent() ? undefined : toState(spec.getParenturn() || req.getParent());
      urns.push(
        stateUrn(
          spec.getStack() || stack,
          spec.getProject() || project,
          spec.getType() || req.getType(),
          spec.getName() || req.getName(),
          parent,
        ),
      );
    }
    return urns;
  };
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
  if (
    !monitor ||
    typeof monitor.registerResource !== "function" ||
    typeof monitor.readResource !== "function"
  ) {
    throw new Error(
      "offline plan: the Pulumi mock monitor has changed shape; update packages/plan/src/runtime.ts",
    );
  }
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, res) => {
      if (!err && res) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value, key) => {
          const urns = value.getUrnsList();
          if (urns.length > 0) propertyDependencies[key] = urns;
        });
        const inputs = plainInputs(req.getObject()?.toJavaScript() ?? {}, repoRoot) as Record<
          string,
          unknown
        >;
        sink.push({
          urn: res.getUrn(),
          stateUrn: record(res.getUrn(), req.getType(), req.getName(), req.getParent()),
          aliases: aliasesOf(req),
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || null,
          dependsOn: req.getDependenciesList(),
          propertyDependencies,
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete?.() ?? false,
          provider: req.getProvider() || null,
          inputs,
          // Images: the context hash docker-build would compute, and the inputs its Diff compares.
          ...(req.getType() === IMAGE_TYPE ? { build: imageBuild(inputs, programDir) } : {}),
        });
      }
      cb(err, res);
    });
  monitor.readResource = (req, cb) =>
    read(req, (err, res) => {
      if (!err && res) {
        sink.push({
          urn: res.getUrn(),
          stateUrn: record(res.getUrn(), req.getType(), req.getName(), req.getParent()),
          aliases: [],
          type: req.getType(),
          name: req.getName(),
          custom: true,
          parent: req.getParent() || null,
          dependsOn: req.getDependenciesList(),
          propertyDependencies: {},
          protect: false,
          retainOnDelete: false,
          provider: req.getProvider() || null,
          inputs: plainInputs(req.getProperties()?.toJavaScript() ?? {}, repoRoot) as Record<string, unknown>,
        });
      }
      cb(err, res);
    });
}

/** A stack's config file as the runtime sees it: `{ "ns:key": "string value" }`. */
/** Where a program lives: the four layers in `stacks/<layer>`, the bootstrap program under the root project. */
export function programTarget(
  layer: Layer | "bootstrap",
  root?: string,
): { project: string; programDir: string; configDir: string } {
  if (layer === "bootstrap") {
    const repo = root ?? REPO_ROOT;
    return {
      project: "tradai-bootstrap",
      programDir: path.join(repo, "stacks", "bootstrap"),
      configDir: repo,
    };
  }
  return { project: projectName(layer), programDir: stackDir(layer, root), configDir: stackDir(layer, root) };
}

export function readStackConfig(
  layer: Layer | "bootstrap",
  env: Environment,
  root?: string,
): Record<string, string> {
  const file = path.join(programTarget(layer, root).configDir, `Pulumi.${env}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    if (value !== null && typeof value === "object" && "secure" in value) {
      out[key] = "<secret>";
    } else {
      out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return out;
}

export interface RunLayerOptions<L extends Layer | "bootstrap" = Layer | "bootstrap"> {
  layer: L;
  env: Environment;
  /** Outputs of the layers before this one (the StackReferences answer with them). */
  upstream?: Partial<Record<Layer, Record<string, unknown>>>;
  /** The stack's own outputs from a previous deployment, if a program reads them. @default {} */
  previous?: Record<string, unknown>;
  /** Config overrides (`ns:key` -> string), applied over `Pulumi.<env>.yaml`. */
  config?: Record<string, string>;
  /** Organization name used for stack references. @default "organization" (the DIY backend's) */
  organization?: string;
  root?: string;
}

export type Program = () => Promise<Record<string, unknown> | undefined>;

function loadProgram(layer: Layer | "bootstrap", root?: string): Program {
  const file = path.join(programTarget(layer, root).programDir, "index.ts");
  // Programs are functions (not module side effects), so loading them again is harmless.
  const mod = require(file) as { default?: unknown } | Program;
  const fn = typeof mod === "function" ? mod : mod.default;
  if (typeof fn !== "function") throw new Error(`${file} must export a default function (the layer program)`);
  return fn as Program;
}

let running = false;

export interface RunProgramOptions {
  project: string;
  env: Environment;
  /** Full runtime config, `ns:key` -> string. */
  config: Record<string, string>;
  /** Answers StackReference reads by fully qualified stack name. */
  stackOutputs?: (stackName: string) => Record<string, unknown> | undefined;
  /** @default "organization" */
  organization?: string;
  /** Repository root, to print asset paths relative to it. @default the checkout */
  repoRoot?: string;
  /** The program's directory (docker-build resolves build contexts against it). @default process.cwd() */
  programDir?: string;
}

/**
 * Runs a program function under mocks, as the engine would run it as stack `env` of `project`, and
 * returns every resource it registered or read plus its outputs. Runs are serialised: the Pulumi runtime
 * is process-global.
 */
export async function runProgram(
  program: Program,
  options: RunProgramOptions,
): Promise<{ resources: PlannedResource[]; outputs: Record<string, unknown> }> {
  if (running) throw new Error("runProgram: one program at a time (the Pulumi runtime is process-global)");
  running = true;
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const resources: PlannedResource[] = [];
  const context: MockContext = {
    region: options.config["aws:region"] ?? "eu-central-1",
    accountId: PLAN_ACCOUNT_ID,
    stackOutputs: options.stackOutputs ?? (() => undefined),
    programDir: options.programDir ?? process.cwd(),
  };
  try {
    await pulumi.runtime.setMocks(
      planMocks(context),
      options.project,
      options.env,
      false,
      options.organization ?? "organization",
    );
    pulumi.runtime.setAllConfig(options.config, []);
    captureInto(resources, repoRoot, context.programDir ?? process.cwd());
    let exported: Record<string, unknown> | undefined;
    let failure: unknown;
    // The program's error is kept and rethrown here: thrown inside the stack's init it would surface
    // as an unhandled rejection from the Pulumi runtime instead of a failed plan.
    await pulumi.runtime.runInPulumiStack(async () => {
      try {
        exported = await program();
      } catch (error) {
        failure = error;
      }
      return exported;
    });
    if (failure !== undefined) {
      // Let the registrations already under way finish: left pending they would land in the next run.
      await waitForRegistrations().catch(() => undefined);
      throw failure;
    }
    const outputs = exported === undefined ? {} : await resolveOutput(exported);
    await waitForRegistrations();
    return { resources, outputs: plainInputs(outputs, repoRoot) as Record<string, unknown> };
  } finally {
    running = false;
  }
}

/** Runs one layer (or the bootstrap program) for one environment under mocks and returns its plan. */
export async function runLayer<L extends Layer | "bootstrap">(
  options: RunLayerOptions<L>,
): Promise<ProgramPlan<L>> {
  const organization = options.organization ?? "organization";
  const target = programTarget(options.layer, options.root);
  const { resources, outputs } = await runProgram(loadProgram(options.layer, options.root), {
    project: target.project,
    env: options.env,
    config: { ...readStackConfig(options.layer, options.env, options.root), ...options.config },
    organization,
    repoRoot: path.resolve(target.programDir, "..", ".."),
    programDir: target.programDir,
    stackOutputs: (name) => {
      const layer = LAYERS.find((l) => name === `${organization}/${projectName(l)}/${options.env}`);
      // A program reading its own stack (compute's release record) gets its previous outputs: none yet.
      if (layer && layer === options.layer) return options.previous ?? {};
      return layer ? options.upstream?.[layer] : undefined;
    },
  });
  return { project: target.project, stack: options.env, layer: options.layer, resources, outputs };
}

/** The plain value of an Output (every value is known under mocks, so `apply` runs). */
function resolveOutput<T>(value: T): Promise<pulumi.Unwrap<T>> {
  return new Promise((resolve) => {
    pulumi.output(value).apply((plain) => {
      resolve(plain as pulumi.Unwrap<T>);
      return plain;
    });
  });
}

/** Waits until every outstanding resource registration has been answered. */
async function waitForRegistrations(): Promise<void> {
  const settings = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (typeof settings.waitForRPCs !== "function") {
    throw new Error("offline plan: @pulumi/pulumi no longer exposes waitForRPCs; update runtime.ts");
  }
  await settings.waitForRPCs();
}
