import * as pulumi from "@pulumi/pulumi";
import { NatRouteUpdater } from "../src/foundation/nat-route-updater";
import { ACCOUNT_ID, capture, expectWellFormed, json, mockArn, mockPulumi, REGION } from "./harness";

const FUNCTION = "aws:lambda/function:Function";
const code = new pulumi.asset.AssetArchive({
  "index.js": new pulumi.asset.StringAsset("exports.handler=()=>{}"),
});

beforeAll(() => mockPulumi());

describe("NatRouteUpdater", () => {
  it("runs on the NAT group's launches and may change only the given route tables", async () => {
    const c = await capture(
      (opts) =>
        new NatRouteUpdater(
          "routes",
          {
            functionName: "tradai-dev-nat-update-routes",
            groupName: "tradai-dev-nat",
            routeTableIds: ["rtb-a", "rtb-b"],
            code,
          },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:foundation:NatRouteUpdater", "routes");
    const fn = c.one(FUNCTION, "routes");
    expect(fn.inputs).toMatchObject({
      name: "tradai-dev-nat-update-routes",
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      timeout: 180,
      environment: {
        variables: {
          ROUTE_TABLE_IDS: "rtb-a,rtb-b",
          NAT_ASG_NAME: "tradai-dev-nat",
          POWERTOOLS_SERVICE_NAME: "update-nat-routes",
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/tradai-dev-nat-update-routes" },
    });
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "routes").inputs.retentionInDays).toBe(14);
    // The function is created after its permissions.
    const policy = c.one("aws:iam/rolePolicy:RolePolicy", "routes-policy");
    expect(fn.opts.dependsOn).toEqual([policy.resource]);
    const statements = json(policy.inputs.policy).Statement as {
      Sid: string;
      Resource: unknown;
      Condition?: unknown;
    }[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.PrivateDefaultRoutes?.Resource).toEqual(
      ["rtb-a", "rtb-b"].map((id) => `arn:aws:ec2:${REGION}:${ACCOUNT_ID}:route-table/${id}`),
    );
    expect(bySid.NatInstanceSourceDestCheck?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/aws:autoscaling:groupName": "tradai-dev-nat" },
    });
    expect(json(c.one("aws:cloudwatch/eventRule:EventRule", "routes").inputs.eventPattern)).toEqual({
      source: ["aws.autoscaling"],
      "detail-type": ["EC2 Instance Launch Successful"],
      detail: { AutoScalingGroupName: ["tradai-dev-nat"] },
    });
    expect(c.one("aws:cloudwatch/eventTarget:EventTarget", "routes").inputs.arn).toBe(
      mockArn(FUNCTION, "tradai-dev-nat-update-routes"),
    );
    expect(c.one("aws:lambda/permission:Permission", "routes").inputs).toMatchObject({
      principal: "events.amazonaws.com",
      sourceArn: mockArn("aws:cloudwatch/eventRule:EventRule", "tradai-dev-nat-update-routes"),
    });
    // The group must wait for the trigger: target and permission.
    expect(c.component.triggerReady.map((r) => c.tree.find((t) => t.resource === r)?.type)).toEqual([
      "aws:cloudwatch/eventTarget:EventTarget",
      "aws:lambda/permission:Permission",
    ]);
  });

  it("keeps its logs for the configured retention", async () => {
    const c = await capture(
      (opts) =>
        new NatRouteUpdater(
          "kept",
          { functionName: "f", groupName: "g", routeTableIds: ["rtb-a"], logRetentionDays: 90, code },
          opts,
        ),
    );
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "kept").inputs).toEqual({
      name: "/aws/lambda/f",
      retentionInDays: 90,
    });
  });
});
