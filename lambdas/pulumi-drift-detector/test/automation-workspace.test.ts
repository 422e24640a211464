/**
 * The real Automation API adapter, driven against a stand-in `pulumi` executable (there is no Pulumi CLI
 * or cloud here) and the ECR emulator. The stand-in records how it was called and answers like the CLI: a
 * version, a stack selection, the stack's state (`stack export`), and a refresh preview whose summary it
 * writes to the engine event log. This checks what the adapter controls: the project file, the backend,
 * the secrets provider, the flags, the Pulumi home, the images it checks and the summary it returns.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ECRClient } from "@aws-sdk/client-ecr";
import { IMAGE_TYPE } from "@tradai/aws-clients/images";
import { ABSENT, exportedState, imageUrn, pushImage, REGISTRY } from "@tradai/aws-clients/testing";
import { useMoto } from "@tradai/testing";
import { AutomationDriftWorkspace } from "../src/workspace";

const FAKE_PULUMI = `#!/bin/sh
log="$FAKE_PULUMI_LOG"
printf '%s\\n' "ARGS $*" >> "$log"
case "$1" in
  version) echo "v3.200.0" ;;
  stack)
    if [ "$2" = "export" ]; then
      printf '%s\\n' "SECRETS_FROM_STATE $PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER" >> "$log"
      cat "$FAKE_PULUMI_STATE"
    else
      printf '%s\\n' "BACKEND $PULUMI_BACKEND_URL" "HOME $PULUMI_HOME" "PLUGINS $(readlink "$PULUMI_HOME/plugins")" \\
        "FALLBACK $PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER" >> "$log"
      cp Pulumi.yaml "$FAKE_PULUMI_LOG.project"
    fi ;;
  refresh)
    printf '%s\\n' "REFRESH_SECRETS_FROM_STATE $PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER" >> "$log"
    while [ $# -gt 0 ]; do
      if [ "$1" = "--event-log" ]; then events="$2"; fi
      shift
    done
    echo '{"sequence":0,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":2,"resourceChanges":{"same":12,"update":2,"delete":1},"PolicyPacks":{}}}' >> "$events"
    echo "Previewing refresh (dev)" ;;
esac
`;

describe("AutomationDriftWorkspace", () => {
  useMoto();
  let dir: string;
  let log: string;
  let state: string;
  let ecr: ECRClient;
  const saved: Record<string, string | undefined> = {};

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-cli-"));
    fs.mkdirSync(path.join(dir, "cli", "bin"), { recursive: true });
    fs.writeFileSync(path.join(dir, "cli", "bin", "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    fs.mkdirSync(path.join(dir, "plugins"));
    log = path.join(dir, "calls.log");
    state = path.join(dir, "state.json");
    for (const [key, value] of Object.entries({ FAKE_PULUMI_LOG: log, FAKE_PULUMI_STATE: state })) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    ecr = new ECRClient({});
  });
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    ecr.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refreshes the stack from state on the configured backend, images left to ECR's API, and sums both", async () => {
    const scratch = path.join(dir, "scratch");
    fs.mkdirSync(scratch);
    const present = await pushImage(ecr, "tradai-dev-lambda-sqs-consumer", "sha256:present");
    const live = imageUrn("images-lambda-sqs-consumer");
    const deleted = imageUrn("images-backend");
    const pendingDelete = imageUrn("images-old");
    const bucket = "urn:pulumi:dev::tradai-compute::aws:s3/bucket:Bucket::logs";
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
          // Deleted from ECR since the last `up` (a lifecycle rule, a hand): drift, whatever the token's age.
          {
            urn: deleted,
            type: IMAGE_TYPE,
            outputs: { digest: ABSENT, tags: [`${REGISTRY}/tradai-dev-backend:latest`] },
          },
          { urn: pendingDelete, type: IMAGE_TYPE, delete: true, outputs: { digest: ABSENT, tags: [] } },
        ]),
      ),
    );
    const workspace = new AutomationDriftWorkspace({
      backendUrl: "s3://tradai-test-pulumi-state",
      cliRoot: path.join(dir, "cli"),
      pluginsDir: path.join(dir, "plugins"),
      scratchDir: scratch,
    });

    const summary = await workspace.previewRefresh({
      layer: "compute",
      stack: "dev",
      project: "tradai-compute",
    });

    // The engine's counts (stand-in: same 12, update 2, delete 1) plus one image present, one gone.
    expect(summary).toEqual({ same: 13, update: 2, delete: 2 });
    const calls = fs.readFileSync(log, "utf8").split("\n");
    const refresh = calls.find((l) => l.startsWith("ARGS refresh")) ?? "";
    expect(refresh).toContain("--preview-only");
    expect(refresh).not.toContain("--expect-no-changes");
    // The image holds no program: the refresh reads the state (see src/workspace.ts for why that is enough).
    expect(refresh).toContain("--run-program=false");
    // Every image, also the one pending deletion, is left out of the refresh; nothing else is.
    const excluded = [...refresh.matchAll(/--exclude (\S+)/g)].map((m) => m[1]);
    expect(excluded.sort()).toEqual([deleted, live, pendingDelete].sort());
    expect(refresh).not.toContain(bucket);
    // The state is exported with its secrets encrypted, before the refresh.
    const exportCall = calls.findIndex((l) => l.startsWith("ARGS stack export"));
    expect(calls[exportCall]).toBe("ARGS stack export --stack dev");
    expect(exportCall).toBeLessThan(calls.indexOf(refresh));
    // No stack configuration file here: the secrets provider comes from the state (KMS, not a passphrase).
    expect(calls).toContain("FALLBACK true");
    expect(calls).toContain("SECRETS_FROM_STATE true");
    expect(calls).toContain("REFRESH_SECRETS_FROM_STATE true");
    expect(calls).toContain("BACKEND s3://tradai-test-pulumi-state");
    expect(calls).toContain(`HOME ${path.join(scratch, "pulumi-home")}`);
    expect(calls).toContain(`PLUGINS ${path.join(dir, "plugins")}`);
    expect(calls.some((l) => /^ARGS stack select .*dev/.test(l))).toBe(true);
    const project = fs.readFileSync(`${log}.project`, "utf8");
    expect(project).toMatch(/name: tradai-compute/);
    expect(project).toMatch(/url: s3:\/\/tradai-test-pulumi-state/);
    // The temporary project directory is removed; the Pulumi home stays for the next stack.
    expect(fs.readdirSync(scratch)).toEqual(["pulumi-home"]);
  });

  it("leaves nothing out of a stack without images, and fails the stack when the state cannot be read", async () => {
    const scratch = fs.mkdtempSync(path.join(dir, "scratch-"));
    const workspace = new AutomationDriftWorkspace({
      backendUrl: "s3://tradai-test-pulumi-state",
      cliRoot: path.join(dir, "cli"),
      scratchDir: scratch,
    });
    const target = { layer: "persistent", stack: "dev", project: "tradai-persistent" } as const;
    fs.writeFileSync(state, JSON.stringify(exportedState([{ urn: "urn:x", type: "aws:s3/bucket:Bucket" }])));
    fs.writeFileSync(log, "");
    expect(await workspace.previewRefresh(target)).toEqual({ same: 12, update: 2, delete: 1 });
    const refresh =
      fs
        .readFileSync(log, "utf8")
        .split("\n")
        .find((l) => l.startsWith("ARGS refresh")) ?? "";
    expect(refresh).toContain("--run-program=false");
    expect(refresh).not.toContain("--exclude");

    fs.writeFileSync(state, "not json");
    await expect(workspace.previewRefresh(target)).rejects.toThrow("pulumi stack export printed no JSON");
    fs.rmSync(state);
    await expect(workspace.previewRefresh(target)).rejects.toThrow(/^pulumi stack export failed: cat: /);
  });
});
