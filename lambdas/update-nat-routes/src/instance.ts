/** The NAT instance's primary network interface, and turning its source/destination check off. */
import {
  DescribeInstancesCommand,
  type EC2Client,
  type Instance,
  ModifyInstanceAttributeCommand,
  waitUntilInstanceRunning,
} from "@aws-sdk/client-ec2";
import { InstanceNotFoundError, NoNetworkInterfaceError } from "./errors";

/** Seconds to wait for a `pending` instance (the launch event can arrive before it runs). */
export const PENDING_WAIT_SECONDS = 120;

export interface NatInstance {
  instanceId: string;
  networkInterfaceId: string;
  /** True when this call turned the source/destination check off (false: it already was). */
  sourceDestCheckDisabled: boolean;
}

async function describe(ec2: EC2Client, instanceId: string): Promise<Instance> {
  try {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find(
      (i) => i.InstanceId === instanceId,
    );
    if (!instance) throw new InstanceNotFoundError(instanceId);
    return instance;
  } catch (error) {
    if ((error as Error).name === "InvalidInstanceID.NotFound") throw new InstanceNotFoundError(instanceId);
    throw error;
  }
}

/**
 * Finds the instance's primary interface (device index 0) and makes sure the instance forwards traffic
 * that is not addressed to it. Throws {@link NoNetworkInterfaceError} before changing anything when the
 * instance is gone or has no primary interface.
 */
export async function prepareNatInstance(ec2: EC2Client, instanceId: string): Promise<NatInstance> {
  let instance = await describe(ec2, instanceId);
  if (instance.State?.Name === "pending") {
    // The source/destination check can only be changed once the instance runs.
    await waitUntilInstanceRunning(
      { client: ec2, maxWaitTime: PENDING_WAIT_SECONDS },
      { InstanceIds: [instanceId] },
    );
    instance = await describe(ec2, instanceId);
  }
  const state = instance.State?.Name ?? "unknown";
  const primary = (instance.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0);
  if (state !== "running" || !primary?.NetworkInterfaceId) {
    throw new NoNetworkInterfaceError(instanceId, state);
  }
  const mustDisable = instance.SourceDestCheck !== false;
  if (mustDisable) {
    await ec2.send(
      new ModifyInstanceAttributeCommand({ InstanceId: instanceId, SourceDestCheck: { Value: false } }),
    );
  }
  return { instanceId, networkInterfaceId: primary.NetworkInterfaceId, sourceDestCheckDisabled: mustDisable };
}
