/** Pointing the default route (0.0.0.0/0) of route tables at a network interface, idempotently. */
import {
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  ReplaceRouteCommand,
} from "@aws-sdk/client-ec2";

export const DEFAULT_ROUTE = "0.0.0.0/0";

export type RouteAction = "created" | "replaced" | "unchanged";

export interface RouteChange {
  routeTableId: string;
  action: RouteAction;
  /** What the default route targeted before (an interface, NAT gateway or gateway id), if anything. */
  previousTarget?: string;
}

/**
 * Makes the default route of every table target `networkInterfaceId`: replaces a route that targets
 * anything else (or is blackholed), creates a missing one, leaves a correct one alone. A table that does
 * not exist fails the whole call before any route changes.
 */
export async function pointDefaultRoutes(
  ec2: EC2Client,
  routeTableIds: readonly string[],
  networkInterfaceId: string,
): Promise<RouteChange[]> {
  const out = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [...routeTableIds] }));
  const tables = new Map((out.RouteTables ?? []).map((t) => [t.RouteTableId, t]));
  const changes: RouteChange[] = [];
  for (const routeTableId of routeTableIds) {
    const current = tables.get(routeTableId)?.Routes?.find((r) => r.DestinationCidrBlock === DEFAULT_ROUTE);
    const previousTarget =
      current?.NetworkInterfaceId ?? current?.NatGatewayId ?? current?.InstanceId ?? current?.GatewayId;
    if (current?.NetworkInterfaceId === networkInterfaceId && current.State !== "blackhole") {
      changes.push({ routeTableId, action: "unchanged", previousTarget });
      continue;
    }
    const route = {
      RouteTableId: routeTableId,
      DestinationCidrBlock: DEFAULT_ROUTE,
      NetworkInterfaceId: networkInterfaceId,
    };
    if (current) {
      await ec2.send(new ReplaceRouteCommand(route));
      changes.push({ routeTableId, action: "replaced", previousTarget });
      continue;
    }
    try {
      await ec2.send(new CreateRouteCommand(route));
      changes.push({ routeTableId, action: "created" });
    } catch (error) {
      // Another invocation (the launch event and the deploy-time reconcile can overlap) created it first.
      if ((error as Error).name !== "RouteAlreadyExists") throw error;
      await ec2.send(new ReplaceRouteCommand(route));
      changes.push({ routeTableId, action: "replaced" });
    }
  }
  return changes;
}
