/** Emulator fixtures: a VPC with a public subnet, private route tables and NAT instances. */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  type Instance,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { TEST_ACCOUNT_ID, TEST_REGION } from "@tradai/testing";

/** moto accepts any of its built-in AMI ids. */
const AMI = "ami-12c6146b";

export interface Network {
  vpcId: string;
  publicSubnetId: string;
  routeTableIds: string[];
  igwId: string;
}

export async function createNetwork(ec2: EC2Client, privateTables = 2): Promise<Network> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.10.0.0/16" }));
  const vpcId = vpc.Vpc?.VpcId as string;
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.10.0.0/24" }));
  const igw = await ec2.send(new CreateInternetGatewayCommand({}));
  const routeTableIds: string[] = [];
  for (let i = 0; i < privateTables; i++) {
    const table = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    routeTableIds.push(table.RouteTable?.RouteTableId as string);
  }
  return {
    vpcId,
    publicSubnetId: subnet.Subnet?.SubnetId as string,
    routeTableIds,
    igwId: igw.InternetGateway?.InternetGatewayId as string,
  };
}

export async function runInstance(ec2: EC2Client, subnetId: string): Promise<Instance> {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: AMI,
      InstanceType: "t4g.nano",
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
    }),
  );
  return out.Instances?.[0] as Instance;
}

export async function describeInstance(ec2: EC2Client, instanceId: string): Promise<Instance> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return out.Reservations?.[0]?.Instances?.[0] as Instance;
}

export function primaryInterface(instance: Instance): string {
  const eni = instance.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId;
  if (!eni) throw new Error(`fixture: ${instance.InstanceId} has no primary interface`);
  return eni;
}

/** Each table's default route target (interface, gateway), or undefined when it has none. */
export async function defaultTargets(
  ec2: EC2Client,
  routeTableIds: string[],
): Promise<(string | undefined)[]> {
  const out = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: routeTableIds }));
  return routeTableIds.map((id) => {
    const route = out.RouteTables?.find((t) => t.RouteTableId === id)?.Routes?.find(
      (r) => r.DestinationCidrBlock === "0.0.0.0/0",
    );
    return route?.NetworkInterfaceId ?? route?.GatewayId ?? route?.NatGatewayId;
  });
}

export async function routeVia(ec2: EC2Client, routeTableId: string, target: { eni?: string; igw?: string }) {
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: routeTableId,
      DestinationCidrBlock: "0.0.0.0/0",
      NetworkInterfaceId: target.eni,
      GatewayId: target.igw,
    }),
  );
}

/** An Auto Scaling group of one instance from a launch template; resolves once it has its instance. */
export async function createGroup(
  autoscaling: AutoScalingClient,
  ec2: EC2Client,
  name: string,
  subnetId: string,
): Promise<string> {
  await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-lt`,
      LaunchTemplateData: { ImageId: AMI, InstanceType: "t4g.nano" },
    }),
  );
  await autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: `${name}-lt`, Version: "$Latest" },
      MinSize: 1,
      MaxSize: 1,
      DesiredCapacity: 1,
      VPCZoneIdentifier: subnetId,
    }),
  );
  const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const id = out.AutoScalingGroups?.[0]?.Instances?.[0]?.InstanceId;
  if (!id) throw new Error("fixture: the emulator launched no instance for the group");
  return id;
}

/** The event EventBridge delivers for a successful launch of `instanceId` in group `groupName`. */
export function launchSuccessful(groupName: string, instanceId: string, subnetId = "subnet-0abc") {
  return {
    version: "0",
    id: "3e3c153a-8339-4e30-8c35-687ebef853fe",
    "detail-type": "EC2 Instance Launch Successful",
    source: "aws.autoscaling",
    account: TEST_ACCOUNT_ID,
    time: "2026-03-01T12:00:00Z",
    region: TEST_REGION,
    resources: [
      `arn:aws:autoscaling:${TEST_REGION}:${TEST_ACCOUNT_ID}:autoScalingGroup:8d5f2a4c-0b6e-4c1f-9a3e-5b7c9d1e2f3a:autoScalingGroupName/${groupName}`,
      `arn:aws:ec2:${TEST_REGION}:${TEST_ACCOUNT_ID}:instance/${instanceId}`,
    ],
    detail: {
      StatusCode: "InProgress",
      Description: `Launching a new EC2 instance: ${instanceId}`,
      AutoScalingGroupName: groupName,
      ActivityId: "eb56d3b4-5f9c-4b76-8b6f-1e2c6b1c8f5a",
      Details: { "Availability Zone": `${TEST_REGION}a`, "Subnet ID": subnetId },
      RequestId: "eb56d3b4-5f9c-4b76-8b6f-1e2c6b1c8f5a",
      StatusMessage: "",
      EndTime: "2026-03-01T12:00:00.000Z",
      EC2InstanceId: instanceId,
      StartTime: "2026-03-01T11:59:30.000Z",
      Cause:
        "At 2026-03-01T11:59:28Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.",
    },
  };
}

export { AutoScalingClient, EC2Client };
