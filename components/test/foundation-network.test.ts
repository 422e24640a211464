import { subnetLayout } from "../src/foundation/cidr";
import { Network } from "../src/foundation/network";
import { capture, expectWellFormed, mockPulumi, REGION, resolve } from "./harness";

const SUBNET = "aws:ec2/subnet:Subnet";
const TABLE = "aws:ec2/routeTable:RouteTable";
const ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

beforeAll(() => mockPulumi());

describe("Network", () => {
  it("spans two AZs by default with public, private and isolated subnets from the layout", async () => {
    const c = await capture(
      (opts) => new Network("net", { baseName: "tradai-dev", vpcCidr: "10.10.0.0/16" }, opts),
    );
    expectWellFormed(c, "tradai:foundation:Network", "net");
    const layout = subnetLayout("10.10.0.0/16", 2);
    expect(c.one("aws:ec2/vpc:Vpc", "net").inputs).toMatchObject({
      cidrBlock: "10.10.0.0/16",
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: "tradai-dev-vpc" },
    });
    expect(await resolve(c.component.availabilityZones)).toEqual(["eu-central-1a", "eu-central-1b"]);
    for (const tier of ["public", "private", "isolated"] as const) {
      const subnets = c.ofType(SUBNET).filter((s) => s.inputs.tags.Tier === tier);
      expect(
        subnets.map((s) => [
          s.name,
          s.inputs.cidrBlock,
          s.inputs.availabilityZone,
          s.inputs.mapPublicIpOnLaunch,
        ]),
      ).toEqual(layout[tier].map((cidr, i) => [`net-${tier}-${i}`, cidr, `eu-central-1${"ab"[i]}`, false]));
    }
    // The default security group is adopted with no rules, so nothing can use it by accident.
    expect(
      c.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg").inputs,
    ).not.toHaveProperty("ingress");
  });

  it("routes the public tier to the internet, gives each private subnet its own table and the isolated tier none out", async () => {
    const c = await capture(
      (opts) => new Network("routes", { baseName: "tradai-prod", vpcCidr: "10.30.0.0/16", azCount: 3 }, opts),
    );
    expect(c.ofType(TABLE).map((t) => t.name)).toEqual([
      "routes-public",
      "routes-private-0",
      "routes-private-1",
      "routes-private-2",
      "routes-isolated",
    ]);
    expect(c.ofType("aws:ec2/route:Route").map((r) => [r.name, r.inputs])).toEqual([
      [
        "routes-public-default",
        { routeTableId: "routes-public-id", destinationCidrBlock: "0.0.0.0/0", gatewayId: "routes-igw-id" },
      ],
    ]);
    const tableOf = Object.fromEntries(
      c
        .ofType(ASSOCIATION)
        .map((a) => [a.inputs.subnetId.replace(/-id$/, ""), a.inputs.routeTableId.replace(/-id$/, "")]),
    );
    expect(tableOf).toEqual({
      "routes-public-0": "routes-public",
      "routes-public-1": "routes-public",
      "routes-public-2": "routes-public",
      "routes-private-0": "routes-private-0",
      "routes-private-1": "routes-private-1",
      "routes-private-2": "routes-private-2",
      "routes-isolated-0": "routes-isolated",
      "routes-isolated-1": "routes-isolated",
      "routes-isolated-2": "routes-isolated",
    });
    // Gateway endpoints serve the private and isolated tables, never the public one.
    const inside = [
      "routes-private-0-id",
      "routes-private-1-id",
      "routes-private-2-id",
      "routes-isolated-id",
    ];
    expect(
      c
        .ofType(ENDPOINT)
        .map((e) => [e.name, e.inputs.serviceName, e.inputs.vpcEndpointType, e.inputs.routeTableIds]),
    ).toEqual([
      ["routes-s3", `com.amazonaws.${REGION}.s3`, "Gateway", inside],
      ["routes-dynamodb", `com.amazonaws.${REGION}.dynamodb`, "Gateway", inside],
    ]);
    expect(c.ofType(ENDPOINT).map((e) => e.inputs.policy)).toEqual([undefined, undefined]);
  });

  it("attaches the given endpoint policies", async () => {
    const c = await capture(
      (opts) =>
        new Network(
          "pol",
          {
            baseName: "b",
            vpcCidr: "10.10.0.0/16",
            s3EndpointPolicy: '{"s3":1}',
            dynamodbEndpointPolicy: '{"ddb":1}',
          },
          opts,
        ),
    );
    expect(c.one(ENDPOINT, "pol-s3").inputs.policy).toBe('{"s3":1}');
    expect(c.one(ENDPOINT, "pol-dynamodb").inputs.policy).toBe('{"ddb":1}');
  });

  it("rejects a VPC block the layout cannot split, before creating any child", () => {
    expect(() => new Network("bad", { baseName: "b", vpcCidr: "10.0.0.0/8" })).toThrow(
      "VPC block 10.0.0.0/8 must be between /16 and /20",
    );
  });
});
