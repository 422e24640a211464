import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";
import { type SubnetLayout, subnetLayout } from "./cidr";

export interface NetworkArgs {
  /** Prefix of the `Name` tags (`tradai-<env>`). */
  baseName: string;
  /** The VPC block; every subnet's block is computed from it (see `subnetLayout`). */
  vpcCidr: string;
  /** Availability zones to span, taken in the region's order. @default 2 */
  azCount?: number;
  /** Policy of the S3 gateway endpoint (JSON). @default full access (the AWS default) */
  s3EndpointPolicy?: pulumi.Input<string>;
  /** Policy of the DynamoDB gateway endpoint (JSON). @default full access (the AWS default) */
  dynamodbEndpointPolicy?: pulumi.Input<string>;
}

type Tier = "public" | "private" | "isolated";

/**
 * The VPC over `azCount` AZs with three subnet tiers: public (route to the internet gateway: NAT, load
 * balancer), private (services and Lambdas; one route table per AZ whose default route the NAT layer
 * fills in), isolated (the database; no route out of the VPC). S3 and DynamoDB gateway endpoints serve
 * the private and isolated tiers so that traffic stays off the NAT. The VPC's default security group is
 * emptied so nothing can use it by accident.
 *
 * @example
 * const network = new Network("network", { baseName: ctx.name([]), vpcCidr: "10.10.0.0/16", azCount: 2 }, ctx.opts);
 */
export class Network extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly internetGateway: aws.ec2.InternetGateway;
  readonly layout: SubnetLayout;
  readonly availabilityZones: pulumi.Output<string[]>;
  readonly publicSubnets: aws.ec2.Subnet[];
  readonly privateSubnets: aws.ec2.Subnet[];
  readonly isolatedSubnets: aws.ec2.Subnet[];
  readonly publicRouteTable: aws.ec2.RouteTable;
  /** One per AZ, in AZ order; their default route belongs to the NAT layer. */
  readonly privateRouteTables: aws.ec2.RouteTable[];
  readonly isolatedRouteTable: aws.ec2.RouteTable;
  readonly endpoints: { s3: aws.ec2.VpcEndpoint; dynamodb: aws.ec2.VpcEndpoint };

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:Network", name, {}, formerType("tradai:network:Network", opts));
    const child = { parent: this };
    const azCount = args.azCount ?? 2;
    this.layout = subnetLayout(args.vpcCidr, azCount);
    const tag = (suffix: string) => ({ Name: `${args.baseName}-${suffix}` });

    // Regular AZs only: opted-in Local and Wavelength Zones lack most services (RDS, NAT gateways).
    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      child,
    );
    this.availabilityZones = zones.names.apply((names) => {
      if (names.length < azCount) {
        throw new Error(`the region has ${names.length} available AZs; azCount is ${azCount}`);
      }
      return names.slice(0, azCount);
    });
    const zone = (i: number) => this.availabilityZones.apply((names) => names[i] as string);

    this.vpc = new aws.ec2.Vpc(
      name,
      { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tag("vpc") },
      child,
    );
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: this.vpc.id, tags: tag("default-unused") },
      child,
    );
    this.internetGateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: this.vpc.id, tags: tag("igw") },
      child,
    );

    const subnets = (tier: Tier) =>
      this.layout[tier].map(
        (cidrBlock, i) =>
          new aws.ec2.Subnet(
            `${name}-${tier}-${i}`,
            {
              vpcId: this.vpc.id,
              cidrBlock,
              availabilityZone: zone(i),
              // Public addresses are given explicitly (NAT instance), never by default.
              mapPublicIpOnLaunch: false,
              tags: { ...tag(`${tier}-${i}`), Tier: tier },
            },
            child,
          ),
      );
    this.publicSubnets = subnets("public");
    this.privateSubnets = subnets("private");
    this.isolatedSubnets = subnets("isolated");

    const table = (suffix: string) =>
      new aws.ec2.RouteTable(`${name}-${suffix}`, { vpcId: this.vpc.id, tags: tag(suffix) }, child);
    const associate = (suffix: string, subnet: aws.ec2.Subnet, routeTable: aws.ec2.RouteTable) =>
      new aws.ec2.RouteTableAssociation(
        `${name}-${suffix}`,
        { subnetId: subnet.id, routeTableId: routeTable.id },
        child,
      );

    this.publicRouteTable = table("public");
    new aws.ec2.Route(
      `${name}-public-default`,
      {
        routeTableId: this.publicRouteTable.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: this.internetGateway.id,
      },
      child,
    );
    for (const [i, s] of this.publicSubnets.entries()) associate(`public-${i}`, s, this.publicRouteTable);

    this.privateRouteTables = this.privateSubnets.map((s, i) => {
      const rt = table(`private-${i}`);
      associate(`private-${i}`, s, rt);
      return rt;
    });

    this.isolatedRouteTable = table("isolated");
    for (const [i, s] of this.isolatedSubnets.entries())
      associate(`isolated-${i}`, s, this.isolatedRouteTable);

    const region = aws.getRegionOutput({}, child).region;
    const inside = [...this.privateRouteTables, this.isolatedRouteTable].map((rt) => rt.id);
    const endpoint = (service: "s3" | "dynamodb", policy?: pulumi.Input<string>) =>
      new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: this.vpc.id,
          serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: inside,
          policy,
          tags: tag(`${service}-endpoint`),
        },
        child,
      );
    this.endpoints = {
      s3: endpoint("s3", args.s3EndpointPolicy),
      dynamodb: endpoint("dynamodb", args.dynamodbEndpointPolicy),
    };

    this.registerOutputs({ vpcId: this.vpc.id, availabilityZones: this.availabilityZones });
  }
}
