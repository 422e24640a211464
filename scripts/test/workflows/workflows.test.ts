/**
 * The GitHub workflows, read as YAML: triggers per the spec's table (section 9, adapted to this
 * repository), layer order of the previews and deploys, actions pinned to commit SHAs, minimal
 * permissions, no persisted checkout token, umask 022 before Pulumi, and the CLI commands they run exist.
 * The linters (actionlint, zizmor) run in linters.test.ts.
 */
import * as fs from "node:fs";
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
  /** A reusable workflow called by this job (then it has no steps). */
  uses?: string;
  secrets?: Record<string, string> | "inherit";
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean | string };
  strategy?: { matrix?: { include?: Record<string, string>[] } };
  steps?: Step[];
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
/** A job's steps (none for a job that calls a reusable workflow). */
const stepsOf = (job: Job): Step[] => job.steps ?? [];

/** Every `uses:` in the workflows and in the repository's composite actions. */
function allUses(): { file: string; uses: string }[] {
  const out: { file: string; uses: string }[] = [];
  for (const file of allWorkflowFiles) {
    for (const job of Object.values(load(path.join(WORKFLOWS_DIR, file)).jobs)) {
      for (const step of stepsOf(job)) if (step.uses) out.push({ file, uses: step.uses });
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
  return stepsOf(job)
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

  it("deploy-infra: pull requests and pushes to main touching the infrastructure paths, manual dispatch", () => {
    const on = workflows["deploy-infra"].on as {
      pull_request: { paths: string[] };
      push: { branches: string[]; paths: string[] };
      workflow_dispatch: { inputs: { environment: { options: string[]; required: boolean } } };
    };
    expect(Object.keys(on).sort()).toEqual(["pull_request", "push", "workflow_dispatch"]);
    const infraPaths = [
      "stacks/**",
      "components/**",
      "policies/**",
      "Pulumi.yaml",
      "Pulumi.*.yaml",
      "lambdas/**",
      "services/**",
      "pnpm-lock.yaml",
    ].sort();
    expect(on.pull_request.paths.sort()).toEqual(infraPaths);
    // The push runs prod's preview after a merge (its role trusts only main).
    expect(on.push.branches).toEqual(["main"]);
    expect(on.push.paths.sort()).toEqual(infraPaths);
    expect(on.workflow_dispatch.inputs.environment).toMatchObject({
      required: true,
      options: ["dev", "staging", "prod"],
    });
  });

  it.each(["deploy-lambdas", "docker-build", "publish-libs"] as const)(
    "%s: called by ci.yml on a version tag once CI's jobs pass, and manual dispatch (no workflow_run)",
    (name) => {
      const wf = workflows[name];
      expect(Object.keys(wf.on).sort()).toEqual(["workflow_call", "workflow_dispatch"]);
      const caller = Object.values(workflows.ci.jobs).find(
        (j) => j.uses === `./.github/workflows/${name}.yml`,
      );
      expect(caller).toBeDefined();
      expect([caller?.needs].flat().sort()).toEqual(["check", "plan", "security"]);
      expect(caller?.if).toBe("github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')");
      // Only what the release needs: OIDC, and the one secret by name (never `secrets: inherit`).
      expect(caller?.permissions).toEqual({ contents: "read", "id-token": "write" });
      expect(caller?.secrets).toEqual({ PULUMI_CONFIG_PASSPHRASE: expr("secrets.PULUMI_CONFIG_PASSPHRASE") });
      for (const job of Object.values(wf.jobs)) {
        // Called or dispatched, the job runs: no condition on another workflow's result.
        expect(job.if).toBeUndefined();
        // The code deployed is the commit CI tested: the caller's github.sha, checkout's default.
        expect(stepsOf(job).find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref).toBeUndefined();
      }
    },
  );

  it("no workflow is triggered by another workflow's run", () => {
    for (const file of allWorkflowFiles) {
      expect({ file, workflowRun: "workflow_run" in load(path.join(WORKFLOWS_DIR, file)).on }).toEqual({
        file,
        workflowRun: false,
      });
    }
  });
});

describe("deploy-infra", () => {
  const wf = workflows["deploy-infra"];
  const preview = wf.jobs.preview as Job;
  const deploy = wf.jobs.deploy as Job;
  const summary = wf.jobs.summary as Job;

  it("previews every layer in order persistent -> foundation -> compute -> edge with the policy pack", () => {
    expect(pulumiLayers(preview, "preview")).toEqual([...LAYERS]);
    for (const step of stepsOf(preview).filter(isPulumiAction)) {
      expect(step.with?.policyPacks).toBe(`${expr("github.workspace")}/policies`);
      expect(step.with?.["stack-name"]).toBe(expr("matrix.env"));
      // Each layer's result is recorded even when one fails, so the summary shows all twelve.
      expect(step["continue-on-error"]).toBe(true);
    }
  });

  it("previews dev and staging on pull requests, prod from main, each with its own role and state bucket", () => {
    const prodJob = wf.jobs["preview-prod"] as Job;
    const entries = [
      ...(preview.strategy?.matrix?.include ?? []),
      ...(prodJob.strategy?.matrix?.include ?? []),
    ];
    expect((preview.strategy?.matrix?.include ?? []).map((e) => e.env)).toEqual(["dev", "staging"]);
    expect(preview.if).toContain("github.event_name == 'pull_request'");
    // No pull request's code gets prod's preview role: that job runs on the push to main only.
    expect((prodJob.strategy?.matrix?.include ?? []).map((e) => e.env)).toEqual(["prod"]);
    expect(prodJob.if).toBe("github.event_name == 'push'");
    expect(prodJob.steps).toEqual(preview.steps);
    expect(prodJob.permissions).toEqual(preview.permissions);
    for (const entry of entries) {
      const upper = entry.env?.toUpperCase();
      expect(entry.role).toBe(expr(`vars.AWS_PREVIEW_ROLE_ARN_${upper}`));
      expect(entry.bucket).toBe(expr(`vars.PULUMI_STATE_BUCKET_${upper}`));
    }
    const creds = stepsOf(preview).find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
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
    const render = stepsOf(summary).find((s) => s.run?.includes("preview-summary-cli.ts"));
    expect(render?.run).toContain("--previews preview");
    const fork = wf.jobs["fork-plan"] as Job;
    expect(fork.if).toContain("github.event.pull_request.head.repo.fork");
    expect(fork.if).not.toContain("!github.event.pull_request.head.repo.fork");
    const forkRun = stepsOf(fork)
      .map((s) => s.run ?? "")
      .join("\n");
    expect(forkRun).toContain("pnpm plan");
    expect(forkRun).toContain("--plan plan");
    // No Pulumi or AWS in the fork's job: it has no secrets.
    expect(stepsOf(fork).some((s) => isPulumiAction(s) || s.uses?.startsWith("aws-actions/"))).toBe(false);
    for (const job of [summary, fork]) {
      const upsert = stepsOf(job).find((s) => s.uses?.startsWith("actions/github-script@"));
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
    const prediction = stepsOf(summary).findIndex((s) =>
      /pnpm plan --env dev --layer compute --out plan --base /.test(s.run ?? ""),
    );
    const render = stepsOf(summary).findIndex((s) => s.id === "render");
    expect(prediction).toBeGreaterThan(-1);
    expect(prediction).toBeLessThan(render);
    expect(stepsOf(summary)[prediction]?.run).toMatch(
      /pnpm plan --env dev --layer compute --out "\$RUNNER_TEMP\/plan-base"/,
    );
    expect(stepsOf(summary)[render]?.run).toContain("--changes plan/dev/changes.json");
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
      // A job calling a release workflow grants what that workflow's jobs assume.
      const called = job.uses ? load(path.join(REPO_ROOT, job.uses)) : undefined;
      const steps = called ? Object.values(called.jobs).flatMap(stepsOf) : stepsOf(job);
      const assumesRole = steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(writes.includes("id-token")).toBe(assumesRole);
      const comments = steps.some((s) => s.uses?.startsWith("actions/github-script@"));
      expect(writes.includes("pull-requests")).toBe(comments);
    }
  });

  it("pins every third-party action to a full commit SHA, its tag in a trailing comment", () => {
    const uses = allUses();
    expect(uses.length).toBeGreaterThan(20);
    const unpinned = uses.filter(
      ({ uses: u }) => !u.startsWith("./") && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u),
    );
    expect(unpinned).toEqual([]);
    // The tag comment is what Dependabot and a reviewer read: `uses: owner/repo@<sha> # vX.Y.Z`.
    const files = [
      ...allWorkflowFiles.map((f) => path.join(WORKFLOWS_DIR, f)),
      path.join(REPO_ROOT, ".github", "actions", "setup", "action.yml"),
    ];
    for (const file of files) {
      for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const pinned = /uses:\s*([\w.-]+\/[\w./-]+@[0-9a-f]{40})(.*)$/.exec(line);
        if (pinned)
          expect({ uses: pinned[1], comment: pinned[2]?.trim() }).toEqual({
            uses: pinned[1],
            comment: expect.stringMatching(/^# v\d+\.\d+\.\d+$/),
          });
      }
    }
  });

  it("pins one action at one tag to one SHA everywhere", () => {
    // One action at one tag has one SHA everywhere; a typo'd SHA would point at another commit.
    const seen = new Map<string, string>();
    for (const file of allWorkflowFiles
      .map((f) => path.join(WORKFLOWS_DIR, f))
      .concat(path.join(REPO_ROOT, ".github", "actions", "setup", "action.yml"))) {
      for (const m of fs
        .readFileSync(file, "utf8")
        .matchAll(/uses:\s*([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)/g)) {
        const key = `${m[1]}@${m[3]}`;
        expect({ key, sha: m[2] }).toEqual({ key, sha: seen.get(key) ?? m[2] });
        seen.set(key, m[2] ?? "");
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(9);
  });

  it("never leaves the job's token in .git/config: every checkout sets persist-credentials: false", () => {
    const checkouts = NAMES.flatMap((n) => Object.values(workflows[n].jobs).flatMap(stepsOf)).filter((s) =>
      s.uses?.startsWith("actions/checkout@"),
    );
    expect(checkouts.length).toBeGreaterThanOrEqual(9);
    for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
  });

  it("pins the Pulumi CLI the Pulumi action installs to the SDK's version", () => {
    const sdk = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "scripts", "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/pulumi"];
    const steps = NAMES.flatMap((n) => Object.values(workflows[n].jobs).flatMap(stepsOf)).filter(
      isPulumiAction,
    );
    expect(steps.length).toBeGreaterThanOrEqual(11);
    for (const step of steps) expect(step.with?.["pulumi-version"]).toBe(sdk);
  });

  it.each(allWorkflowFiles)("%s: sets umask 022 before any step that runs Pulumi", (file) => {
    const wf = load(path.join(WORKFLOWS_DIR, file));
    for (const [name, job] of Object.entries(wf.jobs)) {
      const steps = stepsOf(job);
      const first = steps.findIndex(runsPulumi);
      if (first < 0) continue;
      const umask = steps.findIndex((s) => /^\s*umask 022\s*$/m.test(s.run ?? ""));
      expect({ job: name, umaskBeforePulumi: umask >= 0 && umask < first }).toEqual({
        job: name,
        umaskBeforePulumi: true,
      });
      // Script steps that run Pulumi themselves (and may write build context files) set it too.
      for (const step of steps.filter((s) => s.run && runsPulumi(s))) {
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
        stepsOf(job).flatMap((s) => [...(s.run ?? "").matchAll(/pnpm tradai ((?:[a-z][\w-]*\s?)+)/g)]),
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
    const build = workflows["docker-build"].jobs.build;
    const runs = (build ? stepsOf(build) : []).map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("pnpm tradai service push --env");
    const loop = /for service in ([\w\s-]+); do\s+pnpm tradai ecs force-deploy "\$service"/.exec(runs);
    expect(loop?.[1]?.trim().split(/\s+/)).toEqual([...IMAGE_REDEPLOY_SERVICES]);
  });

  it("deploy-lambdas rolls every Lambda through `tradai lambda push`, publish-libs publishes all", () => {
    const runsOf = (job: Job | undefined) => (job ? stepsOf(job) : []).map((s) => s.run ?? "").join("\n");
    const lambdas = runsOf(workflows["deploy-lambdas"].jobs.deploy);
    expect(lambdas).toContain('pnpm tradai lambda push --env "$TRADAI_ENV"');
    const libs = runsOf(workflows["publish-libs"].jobs.publish);
    expect(libs).toContain('pnpm tradai libs codeartifact-login "$TRADAI_ENV"');
    expect(libs).toContain('pnpm tradai libs publish-all "$TRADAI_ENV"');
  });
});
