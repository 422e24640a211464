/**
 * The GitHub workflows, read as YAML: triggers per the spec's table (section 9, adapted to this
 * repository), layer order of the previews and deploys, pinned actions, minimal permissions, umask 022
 * before Pulumi, the CLI commands they run exist, and actionlint (when installed at .tools/bin/actionlint).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { parse } from "yaml";
import { IMAGE_REDEPLOY_SERVICES, LAYERS, REPO_ROOT } from "../../src/cli/platform";
import { createProgram } from "../../src/cli/program";
import { CapturedIo, testContext } from "../cli/helpers";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  "continue-on-error"?: boolean;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean | string };
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const WORKFLOWS_DIR = path.join(REPO_ROOT, ".github", "workflows");
const NAMES = ["ci", "deploy-infra", "deploy-lambdas", "docker-build", "publish-libs"] as const;
type Name = (typeof NAMES)[number];

function load(file: string): Workflow {
  return parse(fs.readFileSync(file, "utf8")) as Workflow;
}
const workflows = Object.fromEntries(
  NAMES.map((n) => [n, load(path.join(WORKFLOWS_DIR, `${n}.yml`))]),
) as Record<Name, Workflow>;
const allWorkflowFiles = fs.readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f));

/** Every `uses:` in the workflows and in the repository's composite actions. */
function allUses(): { file: string; uses: string }[] {
  const out: { file: string; uses: string }[] = [];
  for (const file of allWorkflowFiles) {
    for (const job of Object.values(load(path.join(WORKFLOWS_DIR, file)).jobs)) {
      for (const step of job.steps) if (step.uses) out.push({ file, uses: step.uses });
    }
  }
  const actionsDir = path.join(REPO_ROOT, ".github", "actions");
  for (const dir of fs.existsSync(actionsDir) ? fs.readdirSync(actionsDir) : []) {
    const action = parse(fs.readFileSync(path.join(actionsDir, dir, "action.yml"), "utf8")) as {
      runs: { steps?: Step[] };
    };
    for (const step of action.runs.steps ?? []) if (step.uses) out.push({ file: dir, uses: step.uses });
  }
  return out;
}

/** A GitHub expression as written in a workflow: `${{ <body> }}`. */
const expr = (body: string) => ["$", "{{ ", body, " }}"].join("");

const isPulumiAction = (s: Step) => s.uses?.startsWith("pulumi/actions@") ?? false;
/** A step that runs Pulumi: the Pulumi action with a command, or a script calling pulumi or the CLI. */
function runsPulumi(step: Step): boolean {
  if (isPulumiAction(step)) return step.with?.command !== undefined;
  return /\bpulumi\s|pnpm tradai (infra|lambda|service)\b|pulumi-ci\.sh/.test(step.run ?? "");
}

/** The layers a job runs with the Pulumi action, in step order, with the command. */
function pulumiLayers(job: Job, command: string): string[] {
  return job.steps
    .filter((s) => isPulumiAction(s) && s.with?.command === command)
    .map((s) => String(s.with?.["work-dir"]).replace(/^stacks\//, ""));
}

describe("triggers (spec section 9, adapted)", () => {
  it("ci: push to main, version tags, pull requests, a weekly schedule", () => {
    const on = workflows.ci.on as {
      push: { branches: string[]; tags: string[] };
      pull_request: unknown;
      schedule: { cron: string }[];
    };
    expect(on.push.branches).toEqual(["main"]);
    expect(on.push.tags).toEqual(["v*"]);
    expect("pull_request" in workflows.ci.on).toBe(true);
    expect(on.pull_request).toBeNull(); // every pull request, no path filter
    expect(on.schedule).toHaveLength(1);
    // minute hour * * <one weekday>: once a week.
    expect(on.schedule[0]?.cron).toMatch(/^\d+ \d+ \* \* [0-6]$/);
  });

  it("deploy-infra: pull requests touching the infrastructure paths, manual dispatch per environment", () => {
    const on = workflows["deploy-infra"].on as {
      pull_request: { paths: string[] };
      workflow_dispatch: { inputs: { environment: { options: string[]; required: boolean } } };
    };
    expect(Object.keys(on).sort()).toEqual(["pull_request", "workflow_dispatch"]);
    expect(on.pull_request.paths.sort()).toEqual(
      [
        "stacks/**",
        "components/**",
        "policies/**",
        "Pulumi.yaml",
        "Pulumi.*.yaml",
        "lambdas/**",
        "services/**",
        "pnpm-lock.yaml",
      ].sort(),
    );
    expect(on.workflow_dispatch.inputs.environment).toMatchObject({
      required: true,
      options: ["dev", "staging", "prod"],
    });
  });

  it.each(["deploy-lambdas", "docker-build", "publish-libs"] as const)(
    "%s: after CI succeeds on a version tag, and manual dispatch",
    (name) => {
      const wf = workflows[name];
      expect(Object.keys(wf.on).sort()).toEqual(["workflow_dispatch", "workflow_run"]);
      expect(wf.on.workflow_run).toEqual({ workflows: [workflows.ci.name], types: ["completed"] });
      for (const job of Object.values(wf.jobs)) {
        const condition = (job.if ?? "").replace(/\s+/g, " ");
        expect(condition).toContain("github.event_name == 'workflow_dispatch'");
        expect(condition).toContain("github.event.workflow_run.conclusion == 'success'");
        expect(condition).toContain("github.event.workflow_run.event == 'push'");
        // CI's push trigger is main and v* tags: a head_branch starting with v is a version tag.
        expect(condition).toContain("startsWith(github.event.workflow_run.head_branch, 'v')");
        // The code deployed is the commit CI tested.
        expect(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref).toContain(
          "github.event.workflow_run.head_sha",
        );
      }
    },
  );
});

describe("deploy-infra", () => {
  const wf = workflows["deploy-infra"];
  const preview = wf.jobs.preview as Job;
  const deploy = wf.jobs.deploy as Job;
  const summary = wf.jobs.summary as Job;

  it("previews every layer in order persistent -> foundation -> compute -> edge with the policy pack", () => {
    expect(pulumiLayers(preview, "preview")).toEqual([...LAYERS]);
    for (const step of preview.steps.filter(isPulumiAction)) {
      expect(step.with?.policyPacks).toBe(`${expr("github.workspace")}/policies`);
      expect(step.with?.["stack-name"]).toBe(expr("matrix.env"));
      // Each layer's result is recorded even when one fails, so the summary shows all twelve.
      expect(step["continue-on-error"]).toBe(true);
    }
  });

  it("previews dev, staging and prod, each with its own read-only role and state bucket", () => {
    const include = preview.strategy?.matrix?.include ?? [];
    expect(include.map((e) => e.env)).toEqual(["dev", "staging", "prod"]);
    for (const entry of include) {
      const upper = entry.env?.toUpperCase();
      expect(entry.role).toBe(expr(`vars.AWS_PREVIEW_ROLE_ARN_${upper}`));
      expect(entry.bucket).toBe(expr(`vars.PULUMI_STATE_BUCKET_${upper}`));
    }
    const creds = preview.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(creds?.with?.["role-to-assume"]).toBe(expr("matrix.role"));
  });

  it("uses no access keys: AWS access is OIDC role assumption only", () => {
    const text = NAMES.map((n) => fs.readFileSync(path.join(WORKFLOWS_DIR, `${n}.yml`), "utf8")).join("\n");
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id/);
  });

  it("comments one summary from the previews, and a fork's pull request gets the offline plan", () => {
    expect(preview.if).toContain("!github.event.pull_request.head.repo.fork");
    expect(summary.needs).toBe("preview");
    expect(summary.if).toContain("always()");
    const render = summary.steps.find((s) => s.run?.includes("preview-summary-cli.ts"));
    expect(render?.run).toContain("--previews preview");
    const fork = wf.jobs["fork-plan"] as Job;
    expect(fork.if).toContain("github.event.pull_request.head.repo.fork");
    expect(fork.if).not.toContain("!github.event.pull_request.head.repo.fork");
    const forkRun = fork.steps.map((s) => s.run ?? "").join("\n");
    expect(forkRun).toContain("pnpm plan");
    expect(forkRun).toContain("--plan plan");
    // No Pulumi or AWS in the fork's job: it has no secrets.
    expect(fork.steps.some((s) => isPulumiAction(s) || s.uses?.startsWith("aws-actions/"))).toBe(false);
    for (const job of [summary, fork]) {
      const upsert = job.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
      expect(String(upsert?.with?.script)).toContain("./.github/scripts/upsert-comment.js");
    }
  });

  it("deploys a chosen environment, its layers in order, behind the GitHub environment, one at a time", () => {
    expect(deploy.if).toBe("github.event_name == 'workflow_dispatch'");
    expect(deploy.environment).toBe(expr("inputs.environment"));
    expect(deploy.concurrency).toEqual({
      group: `tradai-deploy-${expr("inputs.environment")}`,
      "cancel-in-progress": false,
    });
    expect(pulumiLayers(deploy, "up")).toEqual([...LAYERS]);
  });

  it("comments, for dev, what the change rebuilds: base and head planned offline, changes passed to the summary", () => {
    const prediction = summary.steps.findIndex((s) =>
      /pnpm plan --env dev --layer compute --out plan --base /.test(s.run ?? ""),
    );
    const render = summary.steps.findIndex((s) => s.id === "render");
    expect(prediction).toBeGreaterThan(-1);
    expect(prediction).toBeLessThan(render);
    expect(summary.steps[prediction]?.run).toMatch(
      /pnpm plan --env dev --layer compute --out "\$RUNNER_TEMP\/plan-base"/,
    );
    expect(summary.steps[render]?.run).toContain("--changes plan/dev/changes.json");
  });
});

describe("every workflow", () => {
  it.each(allWorkflowFiles)(
    "%s: runs no bundle pre-step (the compute program bundles from source)",
    (file) => {
      expect(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")).not.toMatch(
        /build:lambdas|lambdas\/build\.ts/,
      );
    },
  );

  it.each(allWorkflowFiles)("%s: sets top-level permissions to read the repository only", (file) => {
    expect(load(path.join(WORKFLOWS_DIR, file)).permissions).toEqual({ contents: "read" });
  });

  it.each(allWorkflowFiles)("%s: escalates per job only to id-token or pull-requests write", (file) => {
    const wf = load(path.join(WORKFLOWS_DIR, file));
    for (const job of Object.values(wf.jobs)) {
      const writes = Object.entries(job.permissions ?? {})
        .filter(([, level]) => level === "write")
        .map(([scope]) => scope);
      expect(writes.filter((s) => !["id-token", "pull-requests"].includes(s))).toEqual([]);
      // OIDC only where AWS is assumed; PR comments only where one is posted.
      const assumesRole = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(writes.includes("id-token")).toBe(assumesRole);
      const comments = job.steps.some((s) => s.uses?.startsWith("actions/github-script@"));
      expect(writes.includes("pull-requests")).toBe(comments);
    }
  });

  it("pins every action to a full version tag or a commit SHA", () => {
    const uses = allUses();
    expect(uses.length).toBeGreaterThan(20);
    const unpinned = uses.filter(
      ({ uses: u }) => !u.startsWith("./") && !/^[\w.-]+\/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(u),
    );
    expect(unpinned).toEqual([]);
  });

  it("pins the Pulumi CLI the Pulumi action installs to the SDK's version", () => {
    const sdk = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "scripts", "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/pulumi"];
    const steps = NAMES.flatMap((n) => Object.values(workflows[n].jobs).flatMap((j) => j.steps)).filter(
      isPulumiAction,
    );
    expect(steps.length).toBeGreaterThanOrEqual(11);
    for (const step of steps) expect(step.with?.["pulumi-version"]).toBe(sdk);
  });

  it.each(allWorkflowFiles)("%s: sets umask 022 before any step that runs Pulumi", (file) => {
    const wf = load(path.join(WORKFLOWS_DIR, file));
    for (const [name, job] of Object.entries(wf.jobs)) {
      const first = job.steps.findIndex(runsPulumi);
      if (first < 0) continue;
      const umask = job.steps.findIndex((s) => /^\s*umask 022\s*$/m.test(s.run ?? ""));
      expect({ job: name, umaskBeforePulumi: umask >= 0 && umask < first }).toEqual({
        job: name,
        umaskBeforePulumi: true,
      });
      // Script steps that run Pulumi themselves (and may write build context files) set it too.
      for (const step of job.steps.filter((s) => s.run && runsPulumi(s))) {
        if (/\bpulumi\s|build:lambdas/.test(step.run ?? "")) expect(step.run).toMatch(/^umask 022$/m);
      }
    }
  });
});

describe("variables and secrets", () => {
  it("every variable and secret the workflows read is documented in docs/bootstrap.md", () => {
    const bootstrap = fs.readFileSync(path.join(REPO_ROOT, "docs", "bootstrap.md"), "utf8");
    const texts = allWorkflowFiles
      .map((f) => fs.readFileSync(path.join(WORKFLOWS_DIR, f), "utf8"))
      .join("\n");
    const names = new Set(
      [...texts.matchAll(/\b(?:vars|secrets)\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ""),
    );
    expect(names.size).toBeGreaterThan(8);
    const undocumented = [...names].filter((n) => !bootstrap.includes(`\`${n}\``));
    expect(undocumented).toEqual([]);
  });
});

describe("the CLI commands the workflows run", () => {
  const program = createProgram(() => testContext(), new CapturedIo());

  function resolve(words: string[]): Command | undefined {
    let command: Command = program;
    for (const word of words) {
      const sub = command.commands.find((c) => c.name() === word);
      if (!sub) return command === program ? undefined : command;
      command = sub;
    }
    return command;
  }

  it("exist in the tradai CLI", () => {
    const invocations = NAMES.flatMap((n) =>
      Object.values(workflows[n].jobs).flatMap((job) =>
        job.steps.flatMap((s) => [...(s.run ?? "").matchAll(/pnpm tradai ((?:[a-z][\w-]*\s?)+)/g)]),
      ),
    ).map((m) => (m[1] ?? "").trim().split(/\s+/));
    expect(invocations.length).toBeGreaterThan(5);
    for (const words of invocations) {
      const command = resolve(words.slice(0, 2));
      expect({ words: words.slice(0, 2), leaf: command?.commands.length === 0 }).toEqual({
        words: words.slice(0, 2),
        leaf: true,
      });
    }
  });

  it("docker-build redeploys the services the spec names after pushing their images", () => {
    const runs = workflows["docker-build"].jobs.build?.steps.map((s) => s.run ?? "").join("\n") ?? "";
    expect(runs).toContain("pnpm tradai service push --env");
    const loop = /for service in ([\w\s-]+); do\s+pnpm tradai ecs force-deploy "\$service"/.exec(runs);
    expect(loop?.[1]?.trim().split(/\s+/)).toEqual([...IMAGE_REDEPLOY_SERVICES]);
  });

  it("deploy-lambdas rolls every Lambda through `tradai lambda push`, publish-libs publishes all", () => {
    const lambdas = workflows["deploy-lambdas"].jobs.deploy?.steps.map((s) => s.run ?? "").join("\n");
    expect(lambdas).toContain('pnpm tradai lambda push --env "$TRADAI_ENV"');
    const libs = workflows["publish-libs"].jobs.publish?.steps.map((s) => s.run ?? "").join("\n");
    expect(libs).toContain('pnpm tradai libs codeartifact-login "$TRADAI_ENV"');
    expect(libs).toContain('pnpm tradai libs publish-all "$TRADAI_ENV"');
  });
});

// actionlint is installed by CI (`go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12` into
// .tools/bin); ACTIONLINT may name another binary.
const ACTIONLINT = process.env.ACTIONLINT ?? path.join(REPO_ROOT, ".tools", "bin", "actionlint");
const withActionlint = fs.existsSync(ACTIONLINT) ? it : it.skip;

describe("actionlint", () => {
  withActionlint("reports nothing on .github/workflows", () => {
    const result = spawnSync(ACTIONLINT, ["-no-color"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });

  withActionlint("would catch a broken workflow (the check is live)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-actionlint-"));
    const broken = path.join(dir, "probe.yml");
    fs.writeFileSync(
      broken,
      `on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${expr("github.nope")}\n`,
    );
    try {
      const result = spawnSync(ACTIONLINT, ["-no-color", broken], { cwd: REPO_ROOT, encoding: "utf8" });
      expect(result.status).toBe(1);
      expect(result.stdout).toContain("nope");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
