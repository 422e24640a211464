/**
 * update-nat-routes (inline Lambda of the foundation layer). Triggered by EventBridge when the NAT
 * instance's Auto Scaling group launched an instance, or invoked with `{ "action": "reconcile" }`: turns
 * the instance's source/destination check off and points the default route of every private route table
 * (`ROUTE_TABLE_IDS`) at its primary network interface. Running it again changes nothing.
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { recordCalls } from "@tradai/iam-recorder";
import { lambdaHandler, logger } from "@tradai/lambda-common/handler";
import { loadConfig } from "./config";
import { ForeignGroupError } from "./errors";
import { parseNatEvent } from "./event";
import { inServiceInstance } from "./group";
import { prepareNatInstance } from "./instance";
import { pointDefaultRoutes, type RouteChange } from "./routes";

// The light entry point of lambda-common: the inline zip bundles the handler wrapper and the logger only.
export { logger };

let clients: { ec2: EC2Client; autoscaling: AutoScalingClient } | undefined;

/** Clients built on first use (they read `AWS_ENDPOINT_URL` and the region from the environment). */
function aws() {
  clients ??= {
    ec2: recordCalls(new EC2Client({})),
    autoscaling: recordCalls(new AutoScalingClient({})),
  };
  return clients;
}

/** Drops the cached clients so the next invocation reads the environment again (tests). */
export function resetClients(): void {
  clients?.ec2.destroy();
  clients?.autoscaling.destroy();
  clients = undefined;
}

export interface NatRoutesResult {
  instanceId: string;
  networkInterfaceId: string;
  sourceDestCheckDisabled: boolean;
  routes: RouteChange[];
}

export const handler = lambdaHandler("update-nat-routes", async (event): Promise<NatRoutesResult> => {
  const config = loadConfig();
  const request = parseNatEvent(event);
  const { ec2, autoscaling } = aws();
  if (request.kind === "launch" && request.groupName !== config.autoScalingGroupName) {
    throw new ForeignGroupError(request.groupName, config.autoScalingGroupName);
  }
  const instanceId =
    request.kind === "launch"
      ? request.instanceId
      : await inServiceInstance(autoscaling, ec2, config.autoScalingGroupName);
  const nat = await prepareNatInstance(ec2, instanceId);
  const routes = await pointDefaultRoutes(ec2, config.routeTableIds, nat.networkInterfaceId);
  const result = { ...nat, routes };
  logger.info("NAT routes point at the NAT instance", { trigger: request.kind, ...result });
  return result;
});
