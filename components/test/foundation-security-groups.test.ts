import { SERVICE_PORTS } from "@tradai/contracts";
import { DATABASE_PORT, SecurityGroups } from "../src/foundation/security-groups";
import { capture, expectWellFormed, mockPulumi } from "./harness";

const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

beforeAll(() => mockPulumi());

/** Each rule as `<target group> <- <source>:<port>` (or `->` for egress). */
function rules(c: Awaited<ReturnType<typeof capture>>) {
  const groupOf = (id: unknown) => (typeof id === "string" ? id.replace(/-id$/, "") : id);
  const source = (i: Record<string, unknown>) => i.cidrIpv4 ?? groupOf(i.referencedSecurityGroupId);
  return [
    ...c
      .ofType(INGRESS)
      .map((r) => `${groupOf(r.inputs.securityGroupId)} <- ${source(r.inputs)}:${r.inputs.fromPort}`),
    ...c
      .ofType(EGRESS)
      .map(
        (r) => `${groupOf(r.inputs.securityGroupId)} -> ${source(r.inputs)}:${r.inputs.fromPort ?? "all"}`,
      ),
  ];
}

describe("SecurityGroups", () => {
  it("opens only 80/443 to the world, the service ports along the chain, and PostgreSQL from the services", async () => {
    const c = await capture(
      (opts) =>
        new SecurityGroups(
          "sg",
          { vpcId: "vpc-1", baseName: "tradai-dev", servicePorts: [8000, 8000, 5000] },
          opts,
        ),
    );
    expectWellFormed(c, "tradai:foundation:SecurityGroups", "sg");
    expect(c.ofType(GROUP).map((g) => [g.name, g.inputs.name, g.inputs.vpcId])).toEqual(
      ["alb", "services", "lambdas", "database"].map((id) => [`sg-${id}`, `tradai-dev-${id}`, "vpc-1"]),
    );
    expect(rules(c).sort()).toEqual(
      [
        "sg-alb <- 0.0.0.0/0:80",
        "sg-alb <- 0.0.0.0/0:443",
        // Ports deduplicated and sorted.
        "sg-services <- sg-alb:5000",
        "sg-services <- sg-lambdas:5000",
        "sg-services <- sg-services:5000",
        "sg-services <- sg-alb:8000",
        "sg-services <- sg-lambdas:8000",
        "sg-services <- sg-services:8000",
        `sg-database <- sg-services:${DATABASE_PORT}`,
        "sg-alb -> sg-services:5000",
        "sg-alb -> sg-services:8000",
        "sg-services -> 0.0.0.0/0:all",
        "sg-lambdas -> 0.0.0.0/0:all",
      ].sort(),
    );
  });

  it("defaults to every platform service port and PostgreSQL's port", async () => {
    const c = await capture(
      (opts) => new SecurityGroups("defaults", { vpcId: "vpc-1", baseName: "tradai-dev" }, opts),
    );
    const ports = [...new Set(Object.values(SERVICE_PORTS))].sort((a, b) => a - b);
    const fromAlb = c.ofType(INGRESS).filter((r) => r.name.startsWith("defaults-services-from-alb-"));
    expect(fromAlb.map((r) => r.inputs.fromPort)).toEqual(ports);
    expect(c.one(INGRESS, "defaults-database-from-services").inputs).toMatchObject({
      fromPort: 5432,
      toPort: 5432,
    });
  });

  it("uses the configured database port", async () => {
    const c = await capture(
      (opts) =>
        new SecurityGroups("pg", { vpcId: "vpc-1", baseName: "tradai-dev", databasePort: 6432 }, opts),
    );
    expect(c.one(INGRESS, "pg-database-from-services").inputs).toMatchObject({
      fromPort: 6432,
      toPort: 6432,
    });
  });
});
