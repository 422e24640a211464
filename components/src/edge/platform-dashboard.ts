import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";

export interface PlatformDashboardArgs {
  /** Physical dashboard name (letters, digits, `-` and `_`). */
  dashboardName: string;
  /** The dashboard body (CloudWatch dashboard JSON as an object: `{ widgets: [...] }`), serialised as is. */
  body: pulumi.Input<object>;
}

/**
 * The operators' CloudWatch dashboard: alarm status, API/WAF/ALB traffic and errors, ECS CPU and memory
 * per service, Lambda errors/throttles/duration per function, queue age and dead-letter depth, RDS CPU,
 * connections and storage, and the platform checks' own metrics (namespace `TradAI`). The body is the
 * edge layer's (stacks/edge/dashboard-body.ts); this component owns the resource.
 *
 * @example
 * new PlatformDashboard("dashboard", { dashboardName: ctx.name("platform"), body }, ctx.opts);
 */
export class PlatformDashboard extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: PlatformDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "tradai:edge:PlatformDashboard",
      name,
      {},
      formerType("tradai:observability:PlatformDashboard", opts),
    );
    this.dashboard = new aws.cloudwatch.Dashboard(
      name,
      {
        dashboardName: args.dashboardName,
        dashboardBody: pulumi.output(args.body).apply((body) => JSON.stringify(body)),
      },
      { parent: this },
    );
    this.name = this.dashboard.dashboardName;
    this.registerOutputs({ name: this.name });
  }
}
