import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumeRolePolicy } from "../core/iam";
import { formerType } from "../core/options";
import { NatRouteUpdater } from "./nat-route-updater";
import { natUserData } from "./nat-user-data";

/** Latest Amazon Linux 2023 arm64 image, resolved by EC2 at each launch (no lookup in the program). */
export const AL2023_ARM64_AMI =
  "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

export interface NatInstanceArgs {
  /** Physical name of the Auto Scaling group; prefix of the other names (`tradai-<env>-nat`). */
  groupName: string;
  vpcId: pulumi.Input<string>;
  /** Public subnets the group may launch in (one instance, in any of them). */
  publicSubnetIds: pulumi.Input<string>[];
  /** Blocks of the private subnets: the only sources the instance accepts and translates. */
  privateCidrs: string[];
  /** The private route tables whose default route must point at the instance. */
  privateRouteTableIds: pulumi.Input<string>[];
  /** Graviton (arm64) instance type. @default "t4g.nano" */
  instanceType?: string;
  /** Days the route updater's logs are kept. @default 14 */
  logRetentionDays?: number;
}

/**
 * A NAT instance (default `t4g.nano`, Amazon Linux 2023 arm64) in an Auto Scaling group of exactly one
 * across the public subnets, with its own security group (traffic from the private subnets only), an
 * instance profile limited to SSM Session Manager, IMDSv2 and an encrypted root volume.
 *
 * Routing: the private default routes belong to the {@link NatRouteUpdater} Lambda, not to Pulumi (an
 * instance the group replaces gets a new interface Pulumi would not know about, and a Pulumi-managed
 * route would be reset to the old one on the next `up`). The Lambda runs on every launch event; the
 * program also invokes it once the group has its instance, so the routes point at the instance's
 * interface when `pulumi up` finishes. The source/destination check, which a launch template cannot turn
 * off, is disabled by the same Lambda.
 *
 * @example
 * new NatInstance("nat", { groupName: ctx.name("nat"), vpcId, publicSubnetIds, privateCidrs, privateRouteTableIds }, ctx.opts);
 */
export class NatInstance extends pulumi.ComponentResource {
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly launchTemplate: aws.ec2.LaunchTemplate;
  readonly group: aws.autoscaling.Group;
  readonly updater: NatRouteUpdater;
  /** The deploy-time run of the updater; its `result` names the instance and interface routed through. */
  readonly initialRoutes: aws.lambda.Invocation;

  constructor(name: string, args: NatInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:NatInstance", name, {}, formerType("tradai:network:NatInstance", opts));
    const child = { parent: this };
    const tags = { Name: args.groupName };

    this.securityGroup = new aws.ec2.SecurityGroup(
      name,
      {
        name: args.groupName,
        description: "NAT instance: forwards traffic from the private subnets",
        vpcId: args.vpcId,
        tags,
      },
      child,
    );
    for (const [i, cidr] of args.privateCidrs.entries()) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-from-private-${i}`,
        {
          securityGroupId: this.securityGroup.id,
          description: `Everything from private subnet ${cidr}`,
          ipProtocol: "-1",
          cidrIpv4: cidr,
        },
        child,
      );
    }
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-to-internet`,
      {
        securityGroupId: this.securityGroup.id,
        description: "Translated traffic to the internet",
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      { name: args.groupName, assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ssm`,
      { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
      child,
    );
    const profile = new aws.iam.InstanceProfile(name, { name: args.groupName, role: role.name }, child);

    this.launchTemplate = new aws.ec2.LaunchTemplate(
      name,
      {
        name: args.groupName,
        description: "NAT instance (Amazon Linux 2023 arm64)",
        imageId: AL2023_ARM64_AMI,
        instanceType: args.instanceType ?? "t4g.nano",
        iamInstanceProfile: { arn: profile.arn },
        networkInterfaces: [
          {
            deviceIndex: 0,
            associatePublicIpAddress: "true",
            securityGroups: [this.securityGroup.id],
            deleteOnTermination: "true",
          },
        ],
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
          },
        ],
        userData: Buffer.from(natUserData(args.privateCidrs)).toString("base64"),
        tagSpecifications: [
          { resourceType: "instance", tags },
          { resourceType: "network-interface", tags },
          { resourceType: "volume", tags },
        ],
        updateDefaultVersion: true,
      },
      child,
    );

    this.updater = new NatRouteUpdater(
      `${name}-routes`,
      {
        functionName: `${args.groupName}-update-routes`,
        groupName: args.groupName,
        routeTableIds: args.privateRouteTableIds,
        logRetentionDays: args.logRetentionDays,
      },
      child,
    );

    this.group = new aws.autoscaling.Group(
      name,
      {
        name: args.groupName,
        minSize: 1,
        maxSize: 1,
        desiredCapacity: 1,
        vpcZoneIdentifiers: args.publicSubnetIds,
        launchTemplate: {
          id: this.launchTemplate.id,
          version: pulumi.interpolate`${this.launchTemplate.latestVersion}`,
        },
        healthCheckType: "EC2",
        healthCheckGracePeriod: 60,
        // A new launch template version replaces the instance; its launch event re-points the routes.
        instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 0 } },
        tags: [{ key: "Name", value: args.groupName, propagateAtLaunch: true }],
      },
      { ...child, dependsOn: this.updater.triggerReady },
    );

    this.initialRoutes = new aws.lambda.Invocation(
      `${name}-initial-routes`,
      {
        functionName: this.updater.function.name,
        input: JSON.stringify({ action: "reconcile" }),
        // Run again when the tables or the instance definition change.
        triggers: {
          routeTables: pulumi.output(args.privateRouteTableIds).apply((ids) => ids.join(",")),
          launchTemplateVersion: pulumi.interpolate`${this.launchTemplate.latestVersion}`,
        },
      },
      { ...child, dependsOn: [this.group] },
    );

    this.registerOutputs({ groupName: this.group.name, securityGroupId: this.securityGroup.id });
  }
}
