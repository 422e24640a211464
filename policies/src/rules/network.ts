/**
 * Network guardrails. Security groups open to the whole internet (0.0.0.0/0 or ::/0) only on TCP 80 and
 * 443: inline `ingress` blocks (including the VPC's default security group), `aws.ec2.SecurityGroupRule`
 * (type "ingress") and `aws.vpc.SecurityGroupIngressRule`. Internet-facing load balancers forward nothing
 * over plain HTTP: bearer tokens and the origin secret would cross the internet in clear.
 */
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { asList, isRecord, type Props } from "../props";
import { reportByEnvironment } from "../report";
import { ofTypes, refersTo } from "../stack-resources";
import { T } from "../types";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);
const PUBLIC_PORTS = new Set([80, 443]);

interface IngressRule {
  protocol: unknown;
  fromPort: unknown;
  toPort: unknown;
  cidrs: unknown[];
}

function describePorts(rule: IngressRule): string {
  const protocol = String(rule.protocol);
  if (protocol === "-1" || protocol === "all") return "all traffic";
  if (rule.fromPort === rule.toPort) return `${protocol} port ${String(rule.fromPort)}`;
  return `${protocol} ports ${String(rule.fromPort)}-${String(rule.toPort)}`;
}

function isPublicWebPort(rule: IngressRule): boolean {
  const tcp = rule.protocol === "tcp" || rule.protocol === "6";
  return (
    tcp &&
    rule.fromPort === rule.toPort &&
    typeof rule.fromPort === "number" &&
    PUBLIC_PORTS.has(rule.fromPort)
  );
}

function check(label: string, rule: IngressRule, reportViolation: ReportViolation): void {
  const open = rule.cidrs.filter((c): c is string => typeof c === "string" && WORLD.has(c));
  if (open.length === 0 || isPublicWebPort(rule)) return;
  reportViolation(
    `${label} opens ${describePorts(rule)} to ${open.join(", ")}; only tcp 80 and 443 may be open to the world.`,
  );
}

/** World-open ingress only on 80/443. */
export const securityGroupWorldIngress: ResourceValidationPolicy = {
  name: "security-group-world-ingress",
  description: "Security groups may be open to 0.0.0.0/0 or ::/0 only on TCP ports 80 and 443.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const props: Props = args.props;
    if (args.type === T.securityGroup || args.type === T.defaultSecurityGroup) {
      const kind = args.type === T.securityGroup ? "Security group" : "Default security group";
      asList(props.ingress).forEach((ingress, index) => {
        if (!isRecord(ingress)) return;
        const cidrs = [...asList(ingress.cidrBlocks), ...asList(ingress.ipv6CidrBlocks)];
        const rule = {
          protocol: ingress.protocol,
          fromPort: ingress.fromPort,
          toPort: ingress.toPort,
          cidrs,
        };
        check(`${kind} "${args.name}" ingress rule #${index + 1}`, rule, reportViolation);
      });
    } else if (args.type === T.securityGroupRule) {
      if (props.type !== "ingress") return;
      const cidrs = [...asList(props.cidrBlocks), ...asList(props.ipv6CidrBlocks)];
      const rule = { protocol: props.protocol, fromPort: props.fromPort, toPort: props.toPort, cidrs };
      check(`Security group rule "${args.name}"`, rule, reportViolation);
    } else if (args.type === T.securityGroupIngressRule) {
      const cidrs = [props.cidrIpv4, props.cidrIpv6];
      const rule = { protocol: props.ipProtocol, fromPort: props.fromPort, toPort: props.toPort, cidrs };
      check(`Security group ingress rule "${args.name}"`, rule, reportViolation);
    }
  },
};

const LOAD_BALANCERS = [T.lbLoadBalancer, T.albLoadBalancer];
const LISTENERS = [T.lbListener, T.albListener];
const LISTENER_RULES = [T.lbListenerRule, T.albListenerRule];

/** True when an action list sends traffic to targets (`forward`, or a forward block). */
function forwards(actions: unknown): boolean {
  return asList(actions).some((a) => isRecord(a) && (a.type === "forward" || isRecord(a.forward)));
}

/** A listener on plain HTTP (an ALB listener without a protocol listens on HTTP). */
function isPlainHttp(listener: PolicyResource): boolean {
  const protocol = listener.props.protocol;
  return protocol === undefined || protocol === null || protocol === "HTTP";
}

/**
 * No internet-facing load balancer forwards plain HTTP: its HTTP listeners only redirect to HTTPS (or
 * answer fixed responses). Mandatory in prod, advisory in dev and staging; a load balancer with
 * `internal: true` is not reachable from the internet and is exempt.
 */
export const loadBalancerNoPlainHttp: StackValidationPolicy = {
  name: "load-balancer-no-plain-http",
  description:
    "Internet-facing load balancers must not forward plain HTTP; port 80 only redirects to HTTPS (mandatory in prod, advisory elsewhere).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const balancers = ofTypes(args.resources, LOAD_BALANCERS);
    const rules = ofTypes(args.resources, LISTENER_RULES);
    for (const listener of ofTypes(args.resources, LISTENERS)) {
      if (!isPlainHttp(listener)) continue;
      const lb = balancers.find((b) => refersTo(listener, "loadBalancerArn", b, "arn"));
      if (lb?.props.internal === true) continue;
      const where = lb
        ? `internet-facing load balancer "${lb.name}"`
        : "a load balancer not known to be internal";
      const forwardingRules = rules.filter(
        (r) => refersTo(r, "listenerArn", listener, "arn") && forwards(r.props.actions),
      );
      if (forwards(listener.props.defaultActions) || forwardingRules.length > 0) {
        reportByEnvironment(
          reportViolation,
          listener.urn,
          `Listener "${listener.name}" of ${where} forwards plain HTTP, so bearer tokens and secrets cross ` +
            "the internet in clear; serve HTTPS with a certificate and make port 80 redirect to it.",
        );
      }
    }
  },
};
