import { FlowLogs } from "../src/foundation/flow-logs";
import { ACCOUNT_ID, capture, expectWellFormed, json, mockArn, mockPulumi } from "./harness";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

beforeAll(() => mockPulumi());

describe("FlowLogs", () => {
  it("delivers all traffic to a log group kept 14 days by default, through a role of this account only", async () => {
    const c = await capture(
      (opts) =>
        new FlowLogs(
          "flow",
          { vpcId: "vpc-1", logGroupName: "/tradai/dev/flow", roleName: "tradai-dev-flow" },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:foundation:FlowLogs", "flow");
    expect(c.one(LOG_GROUP, "flow").inputs).toEqual({ name: "/tradai/dev/flow", retentionInDays: 14 });
    const groupArn = mockArn(LOG_GROUP, "/tradai/dev/flow");
    expect(c.one("aws:ec2/flowLog:FlowLog", "flow").inputs).toMatchObject({
      vpcId: "vpc-1",
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: groupArn,
      iamRoleArn: mockArn("aws:iam/role:Role", "tradai-dev-flow"),
    });
    const role = c.one("aws:iam/role:Role", "flow-role").inputs;
    expect(role.name).toBe("tradai-dev-flow");
    expect(json(role.assumeRolePolicy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    // The role writes to its own group only.
    const write = json(c.one("aws:iam/rolePolicy:RolePolicy", "flow-write").inputs.policy).Statement;
    expect(write).toEqual([expect.objectContaining({ Resource: [groupArn, `${groupArn}:*`] })]);
  });

  it("applies the configured retention and traffic type", async () => {
    const c = await capture(
      (opts) =>
        new FlowLogs(
          "rejects",
          { vpcId: "vpc-1", logGroupName: "/x", roleName: "x", retentionDays: 90, trafficType: "REJECT" },
          opts,
        ),
    );
    expect(c.one(LOG_GROUP, "rejects").inputs.retentionInDays).toBe(90);
    expect(c.one("aws:ec2/flowLog:FlowLog", "rejects").inputs.trafficType).toBe("REJECT");
  });
});
