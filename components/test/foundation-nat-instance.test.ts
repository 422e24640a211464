import { AL2023_ARM64_AMI, NatInstance } from "../src/foundation/nat-instance";
import { natUserData } from "../src/foundation/nat-user-data";
import { capture, expectWellFormed, json, mockPulumi } from "./harness";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const GROUP = "aws:autoscaling/group:Group";

beforeAll(() => mockPulumi({ state: { [TEMPLATE]: () => ({ latestVersion: 3 }) } }));

const args = {
  groupName: "tradai-dev-nat",
  vpcId: "vpc-1",
  publicSubnetIds: ["subnet-pa", "subnet-pb"],
  privateCidrs: ["10.10.16.0/20", "10.10.32.0/20"],
  privateRouteTableIds: ["rtb-a", "rtb-b"],
};

describe("NatInstance", () => {
  it("runs one hardened t4g.nano in a group over the public subnets, accepting the private blocks only", async () => {
    const c = await capture((opts) => new NatInstance("nat", args, opts));
    expectWellFormed(c, "tradai:foundation:NatInstance", "nat");
    expect(c.ofType(INGRESS).map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.ipProtocol])).toEqual([
      ["nat-from-private-0", "10.10.16.0/20", "-1"],
      ["nat-from-private-1", "10.10.32.0/20", "-1"],
    ]);
    const template = c.one(TEMPLATE, "nat").inputs;
    expect(template).toMatchObject({
      name: "tradai-dev-nat",
      imageId: AL2023_ARM64_AMI,
      instanceType: "t4g.nano",
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { encrypted: "true" } }],
    });
    expect(Buffer.from(template.userData, "base64").toString()).toBe(natUserData(args.privateCidrs));
    const group = c.one(GROUP, "nat");
    expect(group.inputs).toMatchObject({
      name: "tradai-dev-nat",
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifiers: ["subnet-pa", "subnet-pb"],
      launchTemplate: { id: "nat-id", version: "3" },
    });
    // The group launches only once the route updater's trigger is in place, so its launch event is seen.
    expect(group.opts.dependsOn).toEqual(c.component.updater.triggerReady);
    expect(c.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "nat-ssm").inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    expect(
      json(c.one("aws:iam/role:Role", "nat-role").inputs.assumeRolePolicy).Statement[0].Principal,
    ).toEqual({
      Service: "ec2.amazonaws.com",
    });
  });

  it("hands the route tables and log retention to its updater and runs it once the group exists", async () => {
    const c = await capture(
      (opts) => new NatInstance("natx", { ...args, instanceType: "t4g.micro", logRetentionDays: 30 }, opts),
    );
    expect(c.one(TEMPLATE, "natx").inputs.instanceType).toBe("t4g.micro");
    const updater = c.one("tradai:foundation:NatRouteUpdater", "natx-routes");
    expect(updater.parent).toEqual({ name: "natx", type: "tradai:foundation:NatInstance" });
    expect(c.one("aws:lambda/function:Function", "natx-routes").inputs).toMatchObject({
      name: "tradai-dev-nat-update-routes",
      environment: { variables: { ROUTE_TABLE_IDS: "rtb-a,rtb-b", NAT_ASG_NAME: "tradai-dev-nat" } },
    });
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "natx-routes").inputs.retentionInDays).toBe(30);
    const invocation = c.one("aws:lambda/invocation:Invocation", "natx-initial-routes");
    expect(invocation.inputs).toMatchObject({
      functionName: "tradai-dev-nat-update-routes",
      input: JSON.stringify({ action: "reconcile" }),
      triggers: { routeTables: "rtb-a,rtb-b", launchTemplateVersion: "3" },
    });
    expect(invocation.opts.dependsOn).toEqual([c.component.group]);
  });
});
