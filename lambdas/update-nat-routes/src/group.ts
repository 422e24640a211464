/** The NAT Auto Scaling group's current instance. */
import { type AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { NoNatInstanceError } from "./errors";

/**
 * The id of the group's InService instance. With several (during an instance refresh) the most recently
 * launched one wins; none throws {@link NoNatInstanceError}.
 */
export async function inServiceInstance(
  autoscaling: AutoScalingClient,
  ec2: EC2Client,
  groupName: string,
): Promise<string> {
  const out = await autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }),
  );
  const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === groupName);
  const ids = (group?.Instances ?? [])
    .filter((i) => i.LifecycleState === "InService")
    .flatMap((i) => (i.InstanceId ? [i.InstanceId] : []));
  if (ids.length === 0) throw new NoNatInstanceError(groupName);
  if (ids.length === 1) return ids[0] as string;
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  const newest = described.Reservations?.flatMap((r) => r.Instances ?? [])
    .filter((i) => i.InstanceId && i.State?.Name === "running")
    .sort((a, b) => (b.LaunchTime?.getTime() ?? 0) - (a.LaunchTime?.getTime() ?? 0))[0];
  if (!newest?.InstanceId) throw new NoNatInstanceError(groupName);
  return newest.InstanceId;
}
