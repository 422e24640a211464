import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVICE_PORTS } from "@tradai/contracts";
import { formerType } from "../core/options";

/** PostgreSQL. */
export const DATABASE_PORT = 5432;

export interface SecurityGroupsArgs {
  vpcId: pulumi.Input<string>;
  /** Prefix of the group names (`tradai-<env>`): groups are `<prefix>-alb`, `-services`, ... */
  baseName: string;
  /** Ports services accept traffic on. @default every port of {@link SERVICE_PORTS} */
  servicePorts?: readonly number[];
  /** The database port. @default 5432 */
  databasePort?: number;
}

type GroupName = "alb" | "services" | "lambdas" | "database";

/**
 * The platform's security groups, each rule a separate resource so rules can be added without replacing
 * the group:
 * - `alb`: TCP 80 and 443 from anywhere (the only world-open ingress); out only to the services' ports.
 * - `services` (ECS tasks): the service ports from the ALB, from the Lambdas and from other services; out
 *   anywhere (AWS APIs, exchanges, the database).
 * - `lambdas` (VPC-attached functions): no ingress; out anywhere.
 * - `database`: PostgreSQL from the services only; no egress.
 *
 * @example
 * const groups = new SecurityGroups("security-groups", { vpcId: network.vpc.id, baseName: ctx.name([]) }, ctx.opts);
 */
export class SecurityGroups extends pulumi.ComponentResource {
  readonly alb: aws.ec2.SecurityGroup;
  readonly services: aws.ec2.SecurityGroup;
  readonly lambdas: aws.ec2.SecurityGroup;
  readonly database: aws.ec2.SecurityGroup;

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:foundation:SecurityGroups", name, {}, formerType("tradai:network:SecurityGroups", opts));
    const child = { parent: this };
    const ports = [...new Set(args.servicePorts ?? Object.values(SERVICE_PORTS))].sort((a, b) => a - b);
    const dbPort = args.databasePort ?? DATABASE_PORT;

    const group = (id: GroupName, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${id}`,
        {
          name: `${args.baseName}-${id}`,
          description,
          vpcId: args.vpcId,
          tags: { Name: `${args.baseName}-${id}` },
        },
        child,
      );
    this.alb = group("alb", "Application load balancer: HTTP/HTTPS from the internet");
    this.services = group("services", "ECS services: service ports from the ALB, Lambdas and other services");
    this.lambdas = group("lambdas", "VPC Lambda functions: no inbound traffic");
    this.database = group("database", "MLflow PostgreSQL: from the services only");

    const ingress = (
      id: string,
      target: aws.ec2.SecurityGroup,
      port: number,
      source: { cidr: string } | { group: aws.ec2.SecurityGroup },
      description: string,
    ) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${id}`,
        {
          securityGroupId: target.id,
          description,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          ...("cidr" in source ? { cidrIpv4: source.cidr } : { referencedSecurityGroupId: source.group.id }),
        },
        child,
      );
    const egressAll = (id: string, target: aws.ec2.SecurityGroup, description: string) =>
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-${id}`,
        { securityGroupId: target.id, description, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
        child,
      );

    for (const port of [80, 443]) {
      ingress(
        `alb-in-${port}`,
        this.alb,
        port,
        { cidr: "0.0.0.0/0" },
        `HTTP${port === 443 ? "S" : ""} from the internet`,
      );
    }
    for (const port of ports) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-alb-out-${port}`,
        {
          securityGroupId: this.alb.id,
          description: `To the services on ${port}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: this.services.id,
        },
        child,
      );
      ingress(
        `services-from-alb-${port}`,
        this.services,
        port,
        { group: this.alb },
        `From the ALB on ${port}`,
      );
      ingress(
        `services-from-lambdas-${port}`,
        this.services,
        port,
        { group: this.lambdas },
        `From the Lambdas on ${port}`,
      );
      ingress(
        `services-from-services-${port}`,
        this.services,
        port,
        { group: this.services },
        `Service to service on ${port}`,
      );
    }
    egressAll("services-out", this.services, "AWS APIs, exchanges, the database");
    egressAll("lambdas-out", this.lambdas, "AWS APIs and the services");
    ingress(
      "database-from-services",
      this.database,
      dbPort,
      { group: this.services },
      "PostgreSQL from the services",
    );

    this.registerOutputs({
      alb: this.alb.id,
      services: this.services.id,
      lambdas: this.lambdas.id,
      database: this.database.id,
    });
  }
}
