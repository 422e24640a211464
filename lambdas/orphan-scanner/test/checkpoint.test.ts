import { isCheckpointKey, parseBackendUrl, stacksPrefix } from "../src/backend";
import { addCheckpoint, arnResourceId, emptyDeclared, isDeclared } from "../src/checkpoint";
import { declaredTaskFamilies, runtimeManagedReason } from "../src/runtime-managed";

describe("backend URL", () => {
  it("parses bucket and prefix and builds the stacks prefix", () => {
    expect(parseBackendUrl("s3://tradai-state")).toEqual({ bucket: "tradai-state", prefix: "" });
    expect(parseBackendUrl("s3://tradai-state/infra/?region=eu-central-1")).toEqual({
      bucket: "tradai-state",
      prefix: "infra",
    });
    expect(stacksPrefix({ bucket: "b", prefix: "" })).toBe(".pulumi/stacks/");
    expect(stacksPrefix({ bucket: "b", prefix: "infra" })).toBe("infra/.pulumi/stacks/");
  });

  it("rejects other schemes and garbage", () => {
    expect(() => parseBackendUrl("file:///tmp/state")).toThrow(/must be an s3:\/\/ URL/);
    expect(() => parseBackendUrl("not a url")).toThrow(/is not a URL/);
  });

  it("recognises checkpoints but not their backups", () => {
    expect(isCheckpointKey(".pulumi/stacks/tradai-compute/dev.json")).toBe(true);
    expect(isCheckpointKey(".pulumi/stacks/tradai-compute/dev.json.gz")).toBe(true);
    expect(isCheckpointKey(".pulumi/stacks/tradai-compute/dev.json.bak")).toBe(false);
  });
});

describe("checkpoints", () => {
  const checkpoint = {
    version: 3,
    checkpoint: {
      stack: "organization/tradai-foundation/dev",
      latest: {
        manifest: { time: "2026-01-01T00:00:00Z" },
        resources: [
          {
            urn: "urn:pulumi:dev::tradai-foundation::pulumi:pulumi:Stack::tradai-foundation-dev",
            custom: false,
          },
          {
            urn: "urn:pulumi:dev::tradai-foundation::aws:sqs/queue:Queue::jobs",
            custom: true,
            id: "https://sqs.eu-central-1.amazonaws.com/123456789012/tradai-dev-jobs",
            outputs: {
              arn: "arn:aws:sqs:eu-central-1:123456789012:tradai-dev-jobs",
              name: "tradai-dev-jobs",
            },
          },
          {
            urn: "urn:pulumi:dev::tradai-foundation::aws:ec2/vpc:Vpc::main",
            custom: true,
            id: "vpc-0abc",
            outputs: { id: "vpc-0abc" },
          },
        ],
      },
    },
  };

  it("collects ARN outputs and ids and matches tagged ARNs against them", () => {
    const declared = emptyDeclared();
    expect(addCheckpoint(declared, JSON.stringify(checkpoint), "dev.json")).toBe(3);
    expect(isDeclared("arn:aws:sqs:eu-central-1:123456789012:tradai-dev-jobs", declared)).toBe(true);
    expect(isDeclared("arn:aws:ec2:eu-central-1:123456789012:vpc/vpc-0abc", declared)).toBe(true);
    expect(isDeclared("arn:aws:sqs:eu-central-1:123456789012:tradai-dev-old", declared)).toBe(false);
    expect(isDeclared("arn:aws:ec2:eu-central-1:123456789012:vpc/vpc-0def", declared)).toBe(false);
  });

  it("accepts a stack without deployed resources and rejects non-checkpoints", () => {
    const declared = emptyDeclared();
    expect(
      addCheckpoint(declared, JSON.stringify({ version: 3, checkpoint: { stack: "x" } }), "empty.json"),
    ).toBe(0);
    expect(() => addCheckpoint(declared, "{", "broken.json")).toThrow(/broken.json is not JSON/);
    expect(() => addCheckpoint(declared, JSON.stringify({ resources: [] }), "other.json")).toThrow(
      /other.json is not a Pulumi checkpoint/,
    );
  });

  it("extracts the resource id of common ARN shapes", () => {
    expect(arnResourceId("arn:aws:s3:::tradai-dev-artifacts")).toBe("tradai-dev-artifacts");
    expect(arnResourceId("arn:aws:ec2:eu-central-1:1:instance/i-0abc")).toBe("i-0abc");
    expect(arnResourceId("arn:aws:sns:eu-central-1:1:tradai-dev-alerts")).toBe("tradai-dev-alerts");
    expect(arnResourceId("arn:aws:logs:eu-central-1:1:log-group:/aws/lambda/x")).toBe("x");
  });
});

describe("runtime-managed resources", () => {
  const declared = emptyDeclared();
  declared.arns.add("arn:aws:ecs:eu-central-1:1:task-definition/tradai-dev-backtest:7");
  const families = declaredTaskFamilies(declared);

  it("recognises ECS tasks, AWS-launched resources and earlier task definition revisions", () => {
    expect(runtimeManagedReason("arn:aws:ecs:eu-central-1:1:task/tradai-dev/0a1b", [], families)).toMatch(
      /ECS task/,
    );
    expect(
      runtimeManagedReason(
        "arn:aws:ec2:eu-central-1:1:instance/i-0abc",
        ["Project", "aws:autoscaling:groupName"],
        families,
      ),
    ).toMatch(/tag aws:autoscaling:groupName/);
    expect(
      runtimeManagedReason("arn:aws:ecs:eu-central-1:1:task-definition/tradai-dev-backtest:6", [], families),
    ).toBe("earlier revision of a declared task definition");
  });

  it("leaves everything else to be reported", () => {
    expect(
      runtimeManagedReason("arn:aws:ecs:eu-central-1:1:task-definition/tradai-dev-old:3", [], families),
    ).toBeUndefined();
    expect(
      runtimeManagedReason("arn:aws:sqs:eu-central-1:1:tradai-dev-old", ["Project"], families),
    ).toBeUndefined();
  });
});
