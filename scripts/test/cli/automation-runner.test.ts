/**
 * The real Automation API runner, driven against a stand-in `pulumi` on PATH (there is no Pulumi CLI or
 * cloud here). The stand-in records its arguments and answers like the CLI, so this checks the flags each
 * CLI operation hands to Pulumi.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { automationRunnerFactory } from "../../src/cli/infra/automation-runner";
import { recover, refresh } from "../../src/cli/infra/orchestrate";
import type { StackRunner } from "../../src/cli/infra/stack-runner";
import { testContext } from "./helpers";

const FAKE_PULUMI = `#!/bin/sh
printf '%s\\n' "ARGS $*" >> "$FAKE_PULUMI_LOG"
case "$1" in
  version) echo "v3.200.0" ;;
  stack)
    if [ "$2" = "history" ]; then
      echo '[{"kind":"refresh","startTime":"2026-01-01T00:00:00Z","message":"","environment":{},"config":{},"result":"succeeded","resourceChanges":{"same":3}}]'
    fi ;;
  refresh|preview)
    while [ $# -gt 0 ]; do
      if [ "$1" = "--event-log" ]; then events="$2"; fi
      shift
    done
    if [ -n "$events" ]; then
      echo '{"sequence":0,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{"same":3},"PolicyPacks":{}}}' >> "$events"
    fi
    echo '{}' ;;
  cancel) ;;
esac
`;

describe("automation runner", () => {
  let dir: string;
  let log: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-cli-"));
    fs.writeFileSync(path.join(dir, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    log = path.join(dir, "calls.log");
    for (const key of ["PATH", "FAKE_PULUMI_LOG", "PULUMI_HOME"]) saved[key] = process.env[key];
    process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    process.env.FAKE_PULUMI_LOG = log;
    process.env.PULUMI_HOME = path.join(dir, "home");
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => fs.rmSync(log, { force: true }));

  const calls = (command: string) =>
    fs
      .readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.startsWith(`ARGS ${command} `));
  const factory = automationRunnerFactory({});

  it("refresh runs the program, so resources are read through the providers it configures", async () => {
    const runner: StackRunner = await factory("compute", "dev");
    expect(await runner.refresh()).toEqual({ same: 3 });
    const [args] = calls("refresh");
    expect(args).toContain("--run-program=true");
    expect(args).not.toContain("--run-program=false");
  });

  it("stack-init creates the stack on the secrets provider it is given", async () => {
    const runner = await factory("edge", "dev");
    await runner.init({ secretsProvider: "awskms://alias/tradai-pulumi-secrets?region=eu-central-1" });
    const [init] = fs
      .readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("ARGS stack init"));
    expect(init).toContain("--secrets-provider awskms://alias/tradai-pulumi-secrets?region=eu-central-1");
  });

  it("tradai infra refresh and recover both refresh with the program run", async () => {
    const ctx = { ...testContext(), stacks: factory };
    await refresh(ctx, "compute", "staging");
    await recover(ctx, "edge", "dev");
    const refreshes = calls("refresh");
    expect(refreshes).toHaveLength(2);
    for (const args of refreshes) expect(args).toContain("--run-program=true");
    // recover also drops the pending creates an interrupted update left.
    expect(refreshes[1]).toContain("--clear-pending-creates");
  });
});
