/**
 * The real Automation API runner, driven against a stand-in `pulumi` on PATH (there is no Pulumi CLI or
 * cloud here) and the ECR emulator. The stand-in records its arguments and answers like the CLI (a version,
 * a stack selection, the stack's state, a refresh summary), so this checks the flags each CLI operation
 * hands to Pulumi, and that a refresh leaves the images to ECR's API with the caller's credentials.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ECRClient } from "@aws-sdk/client-ecr";
import { IMAGE_TYPE } from "@tradai/aws-clients/images";
import { ABSENT, exportedState, imageUrn, pushImage, REGISTRY } from "@tradai/aws-clients/testing";
import { useMoto } from "@tradai/testing";
import { CliError } from "../../src/cli/errors";
import {
  atLeast,
  automationRunnerFactory,
  REFRESH_MIN_PULUMI,
  REFRESH_RUNS_PROGRAM,
} from "../../src/cli/infra/automation-runner";
import { recover, refresh } from "../../src/cli/infra/orchestrate";
import type { StackRunner } from "../../src/cli/infra/stack-runner";
import { runCli } from "../../src/cli/program";
import { testContext } from "./helpers";

const FAKE_PULUMI = `#!/bin/sh
printf '%s\\n' "ARGS $*" >> "$FAKE_PULUMI_LOG"
case "$1" in
  version) echo "\${FAKE_PULUMI_VERSION:-v3.276.0}" ;;
  stack)
    if [ "$2" = "history" ]; then
      echo '[{"kind":"refresh","startTime":"2026-01-01T00:00:00Z","message":"","environment":{},"config":{},"result":"succeeded","resourceChanges":{"same":3}}]'
    elif [ "$2" = "export" ]; then
      cat "$FAKE_PULUMI_STATE"
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
  useMoto();
  let dir: string;
  let log: string;
  let state: string;
  let ecr: ECRClient;
  let present: string;
  const saved: Record<string, string | undefined> = {};
  const live = imageUrn("images-lambda-sqs-consumer");
  const deleted = imageUrn("images-backend");
  const pendingDelete = imageUrn("images-old");
  const bucket = "urn:pulumi:dev::tradai-compute::aws:s3/bucket:Bucket::logs";

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-cli-"));
    fs.writeFileSync(path.join(dir, "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    log = path.join(dir, "calls.log");
    state = path.join(dir, "state.json");
    for (const key of ["PATH", "FAKE_PULUMI_LOG", "FAKE_PULUMI_STATE", "FAKE_PULUMI_VERSION", "PULUMI_HOME"])
      saved[key] = process.env[key];
    process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ""}`;
    process.env.FAKE_PULUMI_LOG = log;
    process.env.FAKE_PULUMI_STATE = state;
    process.env.PULUMI_HOME = path.join(dir, "home");
    ecr = new ECRClient({});
    present = await pushImage(ecr, "tradai-dev-lambda-sqs-consumer", "sha256:present");
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    ecr.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fs.rmSync(log, { force: true });
    delete process.env.FAKE_PULUMI_VERSION;
    writeState(false);
  });

  /** The compute state: a bucket, an image ECR holds, one pending deletion, and (`gone`) one ECR lost. */
  const writeState = (gone: boolean) =>
    fs.writeFileSync(
      state,
      JSON.stringify(
        exportedState([
          { urn: bucket, type: "aws:s3/bucket:Bucket" },
          {
            urn: live,
            type: IMAGE_TYPE,
            outputs: { digest: present, tags: [`${REGISTRY}/tradai-dev-lambda-sqs-consumer:latest`] },
          },
          ...(gone
            ? [
                {
                  urn: deleted,
                  type: IMAGE_TYPE,
                  outputs: { digest: ABSENT, tags: [`${REGISTRY}/tradai-dev-backend:latest`] },
                },
              ]
            : []),
          { urn: pendingDelete, type: IMAGE_TYPE, delete: true, outputs: { digest: ABSENT, tags: [] } },
        ]),
      ),
    );
  const lines = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n") : []);
  const calls = (command: string) => lines().filter((line) => line.startsWith(`ARGS ${command} `));
  const excluded = (args: string) => [...args.matchAll(/--exclude (\S+)/g)].map((m) => m[1]).sort();
  const factory = automationRunnerFactory({});

  it("refresh runs the program, leaves exactly the images out, and reports them from ECR's API", async () => {
    writeState(true);
    const runner: StackRunner = await factory("compute", "dev");
    expect(await runner.refresh()).toEqual({
      changes: { same: 3 },
      images: { present: [live], missing: [deleted] },
    });
    expect(REFRESH_RUNS_PROGRAM).toBe(true);
    const [args = ""] = calls("refresh");
    expect(args).toContain("--run-program=true");
    // Every image in state (also the one pending deletion) is left out of the refresh; nothing else is.
    expect(excluded(args)).toEqual([deleted, live, pendingDelete].sort());
    expect(args).not.toContain(bucket);
    // The state is read before the refresh writes anything.
    const all = lines();
    expect(all.findIndex((l) => l.startsWith("ARGS stack export"))).toBeLessThan(all.indexOf(args));
  });

  it("leaves nothing out of a stack without images", async () => {
    fs.writeFileSync(state, JSON.stringify(exportedState([{ urn: bucket, type: "aws:s3/bucket:Bucket" }])));
    const runner = await factory("edge", "dev");
    expect(await runner.refresh()).toEqual({ changes: { same: 3 }, images: { present: [], missing: [] } });
    const [args = ""] = calls("refresh");
    expect(args).toContain("--run-program=true");
    expect(args).not.toContain("--exclude");
  });

  it("stack-init creates the stack on the secrets provider it is given", async () => {
    const runner = await factory("edge", "dev");
    await runner.init({ secretsProvider: "awskms://alias/tradai-pulumi-secrets?region=eu-central-1" });
    const [init] = lines().filter((line) => line.startsWith("ARGS stack init"));
    expect(init).toContain("--secrets-provider awskms://alias/tradai-pulumi-secrets?region=eu-central-1");
  });

  it("tradai infra refresh and recover both run the program with the images left to ECR", async () => {
    const ctx = { ...testContext(), stacks: factory };
    expect(await refresh(ctx, "compute", "staging")).toEqual({
      changes: { same: 3 },
      images: { present: [live], missing: [] },
    });
    const recovered = await recover(ctx, "compute", "dev");
    expect(recovered.images).toEqual({ present: [live], missing: [] });
    const refreshes = calls("refresh");
    expect(refreshes).toHaveLength(2);
    for (const args of refreshes) {
      expect(args).toContain("--run-program=true");
      expect(excluded(args)).toEqual([live, pendingDelete].sort());
    }
    // recover also drops the pending creates an interrupted update left.
    expect(refreshes[1]).toContain("--clear-pending-creates");
    expect(ctx.io.stderr.join("\n")).toContain("images in ECR: 1 of 1");
  });

  it("tradai infra refresh and recover fail on an image gone from ECR, naming it and the repair", async () => {
    writeState(true);
    const ctx = { ...testContext(), stacks: factory };
    const error = await refresh(ctx, "compute", "dev").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      "1 image(s) recorded in the state of compute (dev) are gone from ECR: images-backend",
    );
    expect((error as CliError).hint).toContain(`--target-replace '${deleted}'`);
    expect((error as CliError).hint).toContain("pnpm tradai images check dev");
    expect(calls("refresh")).toHaveLength(1);

    // recover does all its steps and shows the result, then exits non-zero for the missing image.
    const io = ctx.io;
    expect(await runCli(["infra", "recover", "compute", "dev", "--json"], () => ctx, io)).toBe(1);
    const result = JSON.parse(io.stdout.join("\n")) as { images: unknown };
    expect(result.images).toEqual({ present: [live], missing: [deleted] });
    expect(io.stderr.join("\n")).toContain("are gone from ECR: images-backend");
    expect(calls("preview")).toHaveLength(1);
  });

  it("refreshes nothing when the images cannot be checked", async () => {
    const runner = await factory("compute", "dev");
    // An image pushed outside ECR: refused by name.
    fs.writeFileSync(
      state,
      JSON.stringify(
        exportedState([
          { urn: live, type: IMAGE_TYPE, outputs: { digest: present, tags: ["docker.io/library/x:1"] } },
        ]),
      ),
    );
    await expect(runner.refresh()).rejects.toThrow(
      `cannot check the images of compute (dev) in ECR: ${live}: cannot check an image pushed outside ECR`,
    );
    // ECR gives no answer (unreachable): not "missing", and not refreshed.
    writeState(false);
    const endpoint = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:9";
    try {
      await expect(runner.refresh()).rejects.toThrow(
        /cannot check the images of compute \(dev\) in ECR: .*nothing was refreshed/,
      );
    } finally {
      process.env.AWS_ENDPOINT_URL = endpoint;
    }
    expect(calls("refresh")).toEqual([]);
  });

  it("refuses a Pulumi CLI that would ignore the excludes, before reading anything", async () => {
    process.env.FAKE_PULUMI_VERSION = "v3.275.9";
    const runner = await factory("compute", "dev");
    await expect(runner.refresh()).rejects.toThrow(
      "the Pulumi CLI 3.275.9 ignores --exclude when a refresh runs the program",
    );
    expect(calls("refresh")).toEqual([]);
    expect(calls("stack export")).toEqual([]);
    expect(atLeast("v3.277.1-alpha.5", REFRESH_MIN_PULUMI)).toBe(true);
    expect(atLeast("3.276.0", REFRESH_MIN_PULUMI)).toBe(true);
    expect(atLeast("3.99.0", REFRESH_MIN_PULUMI)).toBe(false);
    expect(atLeast("dev", REFRESH_MIN_PULUMI)).toBe(false);
  });
});
