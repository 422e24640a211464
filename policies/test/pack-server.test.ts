/**
 * The pack as `pulumi preview --policy-pack policies` starts it: Pulumi's own policy-pack runner
 * (ts-node with type checking) loads index.ts, which serves the analyzer over gRPC; this test talks
 * to it the way the engine does and checks what it says about a prod and a dev table.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { tradaiPolicies } from "../src/policies";
import { FULL_TAGS, urnOf } from "./plan-builder";

const PACK_DIR = path.join(__dirname, "..");
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
const { Struct } = pulumiRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): never };
};
const { Empty } = pulumiRequire("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => never };

let pack: ChildProcess | undefined;
let client: AnalyzerClient;

/** Starts the pack with Pulumi's runner and resolves with the port it prints. */
function startPack(): Promise<number> {
  const runner = pulumiRequire.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  // The engine address is only used for logging; nothing listens there.
  const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
    cwd: PACK_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  pack = child;
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /^(\d+)\n/.exec(stdout)?.[1];
      if (port) resolve(Number(port));
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr || stdout}`)));
  });
}

beforeAll(async () => {
  const port = await startPack();
  const credentials = grpc.credentials.createInsecure() as ConstructorParameters<typeof AnalyzerClient>[1];
  client = new AnalyzerClient(`127.0.0.1:${port}`, credentials);
}, 60_000);

afterAll(() => {
  client?.close();
  if (pack?.pid !== undefined && pack.exitCode === null) process.kill(pack.pid);
});

function analyzeTable(stack: string): Promise<proto.AnalyzeResponse> {
  const request = new proto.AnalyzeRequest();
  request.setType("aws:dynamodb/table:Table");
  request.setName("jobs");
  request.setUrn(urnOf(stack, "aws:dynamodb/table:Table", "jobs"));
  request.setProperties(Struct.fromJavaScript({ deletionProtectionEnabled: false, tags: FULL_TAGS }));
  request.setOptions(new proto.AnalyzerResourceOptions().setProtect(true));
  return new Promise((resolve, reject) =>
    client.analyze(request, (error, response) => (error ? reject(error) : resolve(response))),
  );
}

describe("the policy pack served by Pulumi's runner", () => {
  it("announces every policy of tradaiPolicies under the pack's name", async () => {
    const info = await new Promise<proto.AnalyzerInfo>((resolve, reject) =>
      client.getAnalyzerInfo(new Empty(), (error, response) => (error ? reject(error) : resolve(response))),
    );
    expect(info.getName()).toBe("tradai-guardrails");
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(tradaiPolicies.map((p) => p.name));
    expect(new Set(info.getPoliciesList().map((p) => p.getEnforcementlevel()))).toEqual(
      new Set([proto.EnforcementLevel.MANDATORY]),
    );
  });

  it.each([
    ["prod", "mandatory", proto.EnforcementLevel.MANDATORY],
    ["dev", "advisory", proto.EnforcementLevel.ADVISORY],
  ])("reports a %s table without deletion protection as %s", async (stack, _name, level) => {
    const diagnostics = (await analyzeTable(stack)).getDiagnosticsList();
    expect(diagnostics.map((d) => [d.getPolicyname(), d.getEnforcementlevel()])).toEqual([
      ["dynamodb-table-deletion-protection", level],
    ]);
    expect(diagnostics[0]?.getMessage()).toContain(
      'DynamoDB table "jobs" must set deletionProtectionEnabled: true.',
    );
  });
});
