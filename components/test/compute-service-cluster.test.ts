import { ServiceCluster } from "../src/compute/service-cluster";
import { capture, expectWellFormed, mockPulumi } from "./harness";

beforeAll(() => mockPulumi());

describe("ServiceCluster", () => {
  it("has Container Insights, Fargate (base 1) and Fargate Spot, and a private DNS namespace in the VPC", async () => {
    const c = await capture(
      (opts) =>
        new ServiceCluster(
          "cluster",
          { clusterName: "tradai-dev-cluster", namespaceName: "tradai-dev.internal", vpcId: "vpc-1" },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:compute:ServiceCluster", "cluster");
    expect(c.one("aws:ecs/cluster:Cluster", "cluster").inputs).toEqual({
      name: "tradai-dev-cluster",
      settings: [{ name: "containerInsights", value: "enhanced" }],
    });
    expect(
      c.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "cluster-capacity").inputs,
    ).toEqual({
      clusterName: "tradai-dev-cluster",
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
    });
    expect(
      c.one("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "cluster-namespace").inputs,
    ).toMatchObject({ name: "tradai-dev.internal", vpc: "vpc-1" });
  });
});
