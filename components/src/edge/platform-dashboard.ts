import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type DashboardResources, dashboardBody } from "./dashboard-body";

export interface PlatformDashboardArgs {
  /** Physical dashboard name (letters, digits, `-` and `_`). */
  dashboardName: string;
  /** The resources the widgets chart, resolved from the earlier layers' outputs. */
  resources: pulumi.Input<DashboardResources>;
}

/**
 * The operators' CloudWatch dashboard: alarm status, API/WAF/ALB traffic and errors, ECS CPU and memory
 * per service, Lambda errors/throttles/duration per function, queue age and dead-letter depth, RDS CPU,
 * connections and storage, and the platform checks' own metrics (namespace `TradAI`). The body is built
 * by {@link dashboardBody}.
 *
 * @example
 * new PlatformDashboard("dashboard", { dashboardName: ctx.name("platform"), resources }, ctx.opts);
 */
export class PlatformDashboard extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: PlatformDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:observability:PlatformDashboard", name, {}, opts);
    this.dashboard = new aws.cloudwatch.Dashboard(
      name,
      {
        dashboardName: args.dashboardName,
        dashboardBody: pulumi.output(args.resources).apply((r) => JSON.stringify(dashboardBody(r))),
      },
      { parent: this },
    );
    this.name = this.dashboard.dashboardName;
    this.registerOutputs({ name: this.name });
  }
}
