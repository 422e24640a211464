/** Test doubles for the CLI: a recording stack runner factory, a capturing context. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CodeArtifactApi } from "../../src/cli/aws/codeartifact";
import type { CliContext, Exec, ExecOptions } from "../../src/cli/context";
import type {
  ChangeSummary,
  ImageVerdict,
  StackOutput,
  StackRunner,
  StackRunnerFactory,
  StateResource,
} from "../../src/cli/infra/stack-runner";
import type { Io } from "../../src/cli/io";
import type { Environment, Layer } from "../../src/cli/platform";
import { REPO_ROOT } from "../../src/cli/platform";
import { plainProgress } from "../../src/cli/progress";

type Op = "init" | "up" | "preview" | "refresh" | "destroy" | "cancel" | "outputs" | "resources";

export interface RecordedCall {
  op: Op;
  layer: Layer;
  env: Environment;
  options?: unknown;
}

/** A stack runner factory that records every operation and answers from canned data. */
export class FakeStacks {
  readonly calls: RecordedCall[] = [];
  /** `op layer` pairs that throw. */
  readonly failures = new Map<string, string>();
  readonly outputs = new Map<Layer, Record<string, StackOutput>>();
  readonly resources = new Map<Layer, StateResource[]>();
  changes: ChangeSummary = { create: 1, same: 3 };
  /** What every refresh reports of the images (URNs). */
  images: ImageVerdict = { present: [], missing: [] };

  /** Operations in order, as `op layer env` strings. */
  get log(): string[] {
    return this.calls.map((c) => `${c.op} ${c.layer} ${c.env}`);
  }

  fail(op: Op, layer: Layer, message = `${op} of ${layer} failed`): this {
    this.failures.set(`${op} ${layer}`, message);
    return this;
  }

  readonly factory: StackRunnerFactory = async (layer, env) => {
    const record = async <T>(op: Op, options: unknown, result: () => T): Promise<T> => {
      this.calls.push({ op, layer, env, ...(options === undefined ? {} : { options }) });
      const failure = this.failures.get(`${op} ${layer}`);
      if (failure) throw new Error(failure);
      return result();
    };
    const strip = (o: object | undefined) => {
      if (!o) return undefined;
      const { onOutput: _ignored, ...rest } = o as { onOutput?: unknown };
      return Object.keys(rest).length ? rest : undefined;
    };
    const runner: StackRunner = {
      layer,
      env,
      init: (o) => record("init", o, () => undefined),
      up: (o) => record("up", strip(o), () => this.changes),
      preview: (o) =>
        record("preview", strip(o), () => {
          o?.onOutput?.(`~ preview of ${layer} (${env})\n`);
          return this.changes;
        }),
      refresh: (o) => record("refresh", strip(o), () => ({ changes: this.changes, images: this.images })),
      destroy: (o) => record("destroy", strip(o), () => ({ delete: 5 })),
      cancel: () => record("cancel", undefined, () => undefined),
      outputs: () =>
        record("outputs", undefined, () => {
          const outputs = this.outputs.get(layer);
          if (!outputs) throw new Error(`stack ${env} of ${layer} has no outputs (not deployed)`);
          return outputs;
        }),
      resources: () => record("resources", undefined, () => this.resources.get(layer) ?? []),
    };
    return runner;
  };
}

/** Captured output lines. */
export class CapturedIo implements Io {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  out(text: string): void {
    this.stdout.push(text);
  }
  err(text: string): void {
    this.stderr.push(text);
  }
  get text(): string {
    return [...this.stdout, ...this.stderr].join("\n");
  }
}

export interface ExecCall {
  command: string;
  args: string[];
  options?: ExecOptions;
}

/** Records child processes instead of running them; `exitCodes` answers by command name. */
export function recordingExec(exitCodes: Record<string, number> = {}): { exec: Exec; calls: ExecCall[] } {
  const calls: ExecCall[] = [];
  const exec: Exec = async (command, args, options) => {
    calls.push({ command, args, ...(options ? { options } : {}) });
    return exitCodes[command] ?? 0;
  };
  return { exec, calls };
}

/** A CodeArtifact API double (the emulator has no CodeArtifact). */
export class FakeCodeArtifact implements CodeArtifactApi {
  readonly calls: string[] = [];
  readonly versions = new Map<string, string[]>();
  expiresAt = new Date("2030-01-01T12:00:00.000Z");

  async authorizationToken(domain: string, owner: string | undefined, seconds: number) {
    this.calls.push(`token ${domain} ${owner ?? "-"} ${seconds}`);
    return { token: `token-for-${domain}`, expiresAt: this.expiresAt };
  }
  async npmEndpoint(domain: string, owner: string | undefined, repository: string) {
    this.calls.push(`endpoint ${domain} ${owner ?? "-"} ${repository}`);
    return `https://${domain}-${owner ?? "111111111111"}.d.codeartifact.eu-central-1.amazonaws.com/npm/${repository}/`;
  }
  async npmVersions(
    domain: string,
    _owner: string | undefined,
    repository: string,
    scope: string,
    name: string,
  ) {
    this.calls.push(`versions ${domain} ${repository} @${scope}/${name}`);
    return this.versions.get(`@${scope}/${name}`) ?? [];
  }
}

export interface TestContext extends CliContext {
  io: CapturedIo;
  fake: FakeStacks;
  execCalls: ExecCall[];
  prompts: string[];
  codeArtifactFake: FakeCodeArtifact;
}

/** A context whose every outside effect is recorded. `answer` is what the prompt returns. */
export function testContext(
  options: {
    interactive?: boolean;
    answer?: string;
    env?: NodeJS.ProcessEnv;
    root?: string;
    exitCodes?: Record<string, number>;
  } = {},
): TestContext {
  const io = new CapturedIo();
  const fake = new FakeStacks();
  const prompts: string[] = [];
  const { exec, calls } = recordingExec(options.exitCodes);
  const codeArtifactFake = new FakeCodeArtifact();
  return {
    io,
    fake,
    execCalls: calls,
    prompts,
    codeArtifactFake,
    env: options.env ?? { ...process.env },
    root: options.root ?? REPO_ROOT,
    interactive: options.interactive ?? false,
    progress: plainProgress(io),
    prompt: async (message) => {
      prompts.push(message);
      return options.answer;
    },
    exec,
    stacks: fake.factory,
    codeArtifact: () => codeArtifactFake,
    now: () => new Date("2030-01-01T00:00:00.000Z"),
  };
}

/** A temporary directory removed by the caller (`fs.rmSync(dir, { recursive: true })`). */
export function tempDir(prefix = "tradai-cli-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A repository root with `stacks/persistent/Pulumi.<env>.yaml` holding `tradai:accountId`. */
export function rootWithAccount(env: Environment, accountId: string): string {
  const root = tempDir();
  fs.mkdirSync(path.join(root, "stacks", "persistent"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "stacks", "persistent", `Pulumi.${env}.yaml`),
    `config:\n  aws:region: eu-central-1\n  tradai:accountId: "${accountId}"\n`,
  );
  return root;
}
