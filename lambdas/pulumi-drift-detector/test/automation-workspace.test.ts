/**
 * The real Automation API adapter, driven against a stand-in `pulumi` executable (there is no Pulumi CLI
 * or cloud here). The stand-in records how it was called and answers like the CLI: a version, a stack
 * selection, and a refresh preview whose summary it writes to the engine event log. This checks what the
 * adapter controls: the project file, the backend, the flags, the Pulumi home and the summary it returns.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AutomationDriftWorkspace } from "../src/workspace";

const FAKE_PULUMI = `#!/bin/sh
log="$FAKE_PULUMI_LOG"
printf '%s\\n' "ARGS $*" >> "$log"
case "$1" in
  version) echo "v3.200.0" ;;
  stack) printf '%s\\n' "BACKEND $PULUMI_BACKEND_URL" "HOME $PULUMI_HOME" "PLUGINS $(readlink "$PULUMI_HOME/plugins")" >> "$log"
         cp Pulumi.yaml "$FAKE_PULUMI_LOG.project" ;;
  refresh)
    while [ $# -gt 0 ]; do
      if [ "$1" = "--event-log" ]; then events="$2"; fi
      shift
    done
    echo '{"sequence":0,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":2,"resourceChanges":{"same":12,"update":2,"delete":1},"PolicyPacks":{}}}' >> "$events"
    echo "Previewing refresh (dev)" ;;
esac
`;

describe("AutomationDriftWorkspace", () => {
  let dir: string;
  let log: string;
  let saved: string | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-cli-"));
    fs.mkdirSync(path.join(dir, "cli", "bin"), { recursive: true });
    fs.writeFileSync(path.join(dir, "cli", "bin", "pulumi"), FAKE_PULUMI, { mode: 0o755 });
    fs.mkdirSync(path.join(dir, "plugins"));
    log = path.join(dir, "calls.log");
    saved = process.env.FAKE_PULUMI_LOG;
    process.env.FAKE_PULUMI_LOG = log;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.FAKE_PULUMI_LOG;
    else process.env.FAKE_PULUMI_LOG = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("selects the layer's stack on the configured backend and returns the refresh preview's change counts", async () => {
    const scratch = path.join(dir, "scratch");
    fs.mkdirSync(scratch);
    const workspace = new AutomationDriftWorkspace({
      backendUrl: "s3://tradai-test-pulumi-state",
      cliRoot: path.join(dir, "cli"),
      pluginsDir: path.join(dir, "plugins"),
      scratchDir: scratch,
    });

    const summary = await workspace.previewRefresh({
      layer: "foundation",
      stack: "dev",
      project: "tradai-foundation",
    });

    expect(summary).toEqual({ same: 12, update: 2, delete: 1 });
    const calls = fs.readFileSync(log, "utf8").split("\n");
    const refresh = calls.find((l) => l.startsWith("ARGS refresh"));
    expect(refresh).toContain("--preview-only");
    expect(refresh).toContain("--run-program=false");
    expect(refresh).not.toContain("--expect-no-changes");
    expect(calls).toContain("BACKEND s3://tradai-test-pulumi-state");
    expect(calls).toContain(`HOME ${path.join(scratch, "pulumi-home")}`);
    expect(calls).toContain(`PLUGINS ${path.join(dir, "plugins")}`);
    expect(calls.some((l) => /^ARGS stack select .*dev/.test(l))).toBe(true);
    const project = fs.readFileSync(`${log}.project`, "utf8");
    expect(project).toMatch(/name: tradai-foundation/);
    expect(project).toMatch(/url: s3:\/\/tradai-test-pulumi-state/);
    // The temporary project directory is removed; the Pulumi home stays for the next stack.
    expect(fs.readdirSync(scratch)).toEqual(["pulumi-home"]);
  });
});
