import * as aws from "@pulumi/aws";
import { NatGateways } from "../src/foundation/nat-gateways";
import { capture, expectWellFormed, mockPulumi } from "./harness";

const EIP = "aws:ec2/eip:Eip";
const GATEWAY = "aws:ec2/natGateway:NatGateway";
const ROUTE = "aws:ec2/route:Route";

beforeAll(() => mockPulumi());

describe("NatGateways", () => {
  it("puts a gateway in each AZ and routes each AZ's private table through its own AZ's gateway", async () => {
    let igw: aws.ec2.InternetGateway | undefined;
    const c = await capture((opts) => {
      igw = new aws.ec2.InternetGateway("igw", { vpcId: "vpc-1" });
      return new NatGateways(
        "nat",
        {
          baseName: "tradai-prod",
          publicSubnetIds: ["subnet-a", "subnet-b"],
          privateRouteTableIds: ["rtb-a", "rtb-b"],
          internetGateway: igw,
        },
        opts,
      );
    });
    expect(c.orphans).toEqual(["aws:ec2/internetGateway:InternetGateway::igw"]);
    expectWellFormed({ ...c, orphans: [] }, "tradai:foundation:NatGateways", "nat");
    expect(c.ofType(GATEWAY).map((g) => [g.name, g.inputs.subnetId, g.inputs.allocationId])).toEqual([
      ["nat-0", "subnet-a", "nat-0-id"],
      ["nat-1", "subnet-b", "nat-1-id"],
    ]);
    expect(c.ofType(EIP).map((e) => [e.name, e.inputs.domain, e.inputs.tags])).toEqual([
      ["nat-0", "vpc", { Name: "tradai-prod-nat-0" }],
      ["nat-1", "vpc", { Name: "tradai-prod-nat-1" }],
    ]);
    expect(c.ofType(ROUTE).map((r) => [r.name, r.inputs])).toEqual([
      [
        "nat-default-0",
        { routeTableId: "rtb-a", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-0-id" },
      ],
      [
        "nat-default-1",
        { routeTableId: "rtb-b", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1-id" },
      ],
    ]);
    // A NAT gateway works only once the internet gateway is attached.
    for (const r of [...c.ofType(EIP), ...c.ofType(GATEWAY)]) expect(r.opts.dependsOn).toEqual([igw]);
  });

  it("rejects subnets and route tables that do not pair up per AZ, before creating anything", async () => {
    const igw = new aws.ec2.InternetGateway("igw-bad", { vpcId: "vpc-1" });
    expect(
      () =>
        new NatGateways("bad", {
          baseName: "tradai-dev",
          publicSubnetIds: ["subnet-a", "subnet-b"],
          privateRouteTableIds: ["rtb-a"],
          internetGateway: igw,
        }),
    ).toThrow("NatGateways: 2 public subnets but 1 private route tables; expected one of each per AZ");
  });
});
