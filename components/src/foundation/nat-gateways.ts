import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";

export interface NatGatewaysArgs {
  /** Prefix of the `Name` tags (`tradai-<env>`). */
  baseName: string;
  /** One public subnet per AZ, in AZ order. */
  publicSubnetIds: pulumi.Input<string>[];
  /** One private route table per AZ, same order: each routes through its own AZ's gateway. */
  privateRouteTableIds: pulumi.Input<string>[];
  /** The internet gateway: a NAT gateway only works once it is attached. */
  internetGateway: pulumi.Resource;
}

/**
 * A managed NAT gateway with its Elastic IP in every AZ, and the default route of each AZ's private route
 * table through the gateway of the same AZ (an AZ outage takes only its own traffic down).
 *
 * @example
 * new NatGateways("nat", { baseName: ctx.name([]), publicSubnetIds, privateRouteTableIds, internetGateway }, ctx.opts);
 */
export class NatGateways extends pulumi.ComponentResource {
  readonly gateways: aws.ec2.NatGateway[];
  readonly routes: aws.ec2.Route[];

  constructor(name: string, args: NatGatewaysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:NatGateways", name, {}, formerType("tradai:network:NatGateways", opts));
    if (args.publicSubnetIds.length !== args.privateRouteTableIds.length) {
      throw new Error(
        `NatGateways: ${args.publicSubnetIds.length} public subnets but ${args.privateRouteTableIds.length} ` +
          "private route tables; expected one of each per AZ",
      );
    }
    const child = { parent: this };
    const afterIgw = { ...child, dependsOn: [args.internetGateway] };
    this.gateways = args.publicSubnetIds.map((subnetId, i) => {
      const tags = { Name: `${args.baseName}-nat-${i}` };
      const eip = new aws.ec2.Eip(`${name}-${i}`, { domain: "vpc", tags }, afterIgw);
      return new aws.ec2.NatGateway(`${name}-${i}`, { allocationId: eip.id, subnetId, tags }, afterIgw);
    });
    this.routes = args.privateRouteTableIds.map(
      (routeTableId, i) =>
        new aws.ec2.Route(
          `${name}-default-${i}`,
          {
            routeTableId,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: (this.gateways[i] as aws.ec2.NatGateway).id,
          },
          child,
        ),
    );
    this.registerOutputs({ natGatewayIds: this.gateways.map((g) => g.id) });
  }
}
