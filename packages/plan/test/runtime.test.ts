import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { plan } from "../src/plan";
import { COMPUTED, runProgram, SECRET } from "../src/runtime";

const pulumiPackage = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as {
  version: string;
};

class Box extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Box", name, {}, opts);
    this.queue = new aws.sqs.Queue(
      `${name}-queue`,
      { name: `${name}-queue` },
      { parent: this, protect: true },
    );
    this.registerOutputs({});
  }
}

describe("offline runtime", () => {
  it("runs against the @pulumi/pulumi version whose mock monitor internals it hooks", () => {
    // runtime.ts hooks MockMonitor.registerResource/readResource: bump deliberately, re-checking it.
    expect(pulumiPackage.version).toBe("3.276.0");
  });

  it("captures parent, dependsOn, property dependencies, options, secrets and outputs", async () => {
    const { resources, outputs } = await runProgram(
      async () => {
        const box = new Box("box");
        const topic = new aws.sns.Topic("alerts", { name: "alerts" });
        const sub = new aws.sns.TopicSubscription(
          "sub",
          { topic: topic.arn, protocol: "sqs", endpoint: box.queue.arn },
          { dependsOn: [box], retainOnDelete: true },
        );
        new aws.ssm.Parameter("param", { type: "SecureString", value: pulumi.secret("hunter2") });
        return { topicArn: topic.arn, subscription: sub.id };
      },
      { project: "tradai-test", env: "dev", config: { "aws:region": "eu-central-1" } },
    );
    const byName = (name: string) => {
      const found = resources.find((r) => r.name === name);
      if (!found) throw new Error(`no ${name} in ${resources.map((r) => r.name).join(", ")}`);
      return found;
    };
    const box = byName("box");
    const queue = byName("box-queue");
    const topic = byName("alerts");
    const sub = byName("sub");
    expect(box.custom).toBe(false);
    expect(queue.parent).toBe(box.urn);
    expect(queue.protect).toBe(true);
    expect(sub.retainOnDelete).toBe(true);
    // As the engine sees it: dependsOn on a component means its children.
    expect(sub.dependsOn).toEqual(expect.arrayContaining([queue.urn, topic.urn]));
    expect(sub.propertyDependencies).toEqual({ topic: [topic.urn], endpoint: [queue.urn] });
    expect(sub.inputs.topic).toBe("arn:aws:sns:eu-central-1:123456789012:alerts");
    expect(byName("param").inputs.value).toBe(SECRET);
    expect(resources[0]?.type).toBe("pulumi:pulumi:Stack");
    expect(outputs).toEqual({
      topicArn: "arn:aws:sns:eu-central-1:123456789012:alerts",
      subscription: expect.any(String),
    });
    expect(COMPUTED).toBe("<computed>");
  });

  it("fails the run with the program's own error", async () => {
    await expect(
      runProgram(
        async () => {
          throw new Error("bad program");
        },
        { project: "tradai-test", env: "dev", config: {} },
      ),
    ).rejects.toThrow("bad program");
  });
});

describe("plan", () => {
  it("writes the layer file and a summary with the component graph", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-plan-"));
    const result = await plan({ envs: ["dev"], layers: ["persistent"], outDir: out });
    const file = JSON.parse(fs.readFileSync(path.join(out, "dev", "persistent.json"), "utf8"));
    expect(file).toMatchObject({ project: "tradai-persistent", stack: "dev", layer: "persistent" });
    expect(Object.keys(file.resources[1])).toEqual([
      "urn",
      "stateUrn",
      "aliases",
      "type",
      "name",
      "custom",
      "parent",
      "dependsOn",
      "propertyDependencies",
      "protect",
      "retainOnDelete",
      "provider",
      "inputs",
    ]);
    expect(file.outputs.tables.jobs.name).toBe("tradai-dev-jobs");
    const summary = fs.readFileSync(path.join(out, "dev", "summary.md"), "utf8");
    expect(summary).toContain("| persistent |");
    expect(summary).toContain("```mermaid\ngraph LR");
    expect(summary).toMatch(/\| `aws:dynamodb\/table:Table` \| 6 \|/);
    expect(result.files).toHaveLength(2);
  });

  it("refuses a layer that has no program", async () => {
    await expect(
      plan({
        envs: ["dev"],
        layers: ["persistent"],
        outDir: os.tmpdir(),
        root: fs.mkdtempSync(path.join(os.tmpdir(), "empty-")),
      }),
    ).rejects.toThrow('layer "persistent" has no program yet');
  });
});
