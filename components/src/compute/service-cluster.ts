import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ServiceClusterArgs {
  /** Physical cluster name. */
  clusterName: string;
  /** Private DNS namespace the services register in, e.g. `tradai-dev.internal`. */
  namespaceName: string;
  /** VPC of the namespace. */
  vpcId: pulumi.Input<string>;
}

/**
 * The ECS cluster (Container Insights on, Fargate and Fargate Spot capacity providers) and the Cloud Map
 * private DNS namespace services find each other through.
 *
 * @example
 * new ServiceCluster("cluster", { clusterName: ctx.name("cluster"), namespaceName: "tradai-dev.internal", vpcId }, ctx.opts);
 */
export class ServiceCluster extends pulumi.ComponentResource {
  readonly cluster: aws.ecs.Cluster;
  readonly namespace: aws.servicediscovery.PrivateDnsNamespace;

  constructor(name: string, args: ServiceClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:ServiceCluster", name, {}, opts);
    this.cluster = new aws.ecs.Cluster(
      name,
      { name: args.clusterName, settings: [{ name: "containerInsights", value: "enhanced" }] },
      { parent: this },
    );
    new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        clusterName: this.cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
      },
      { parent: this },
    );
    this.namespace = new aws.servicediscovery.PrivateDnsNamespace(
      `${name}-namespace`,
      { name: args.namespaceName, vpc: args.vpcId, description: "TradAI service discovery" },
      { parent: this },
    );
    this.registerOutputs({ clusterName: this.cluster.name, namespaceId: this.namespace.id });
  }
}
