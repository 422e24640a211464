import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../persistent/secure-bucket";

export interface TargetSpec {
  /** Container port the target group forwards to. */
  port: number;
  /** Health check path. @default "/health" */
  healthPath?: string;
  /** Listener rule path patterns routed to this target (the first target is the default action). */
  paths: string[];
  /** Listener rule priority. */
  priority: number;
}

export interface LoadBalancerArgs {
  /** Physical name prefix (ALB names allow 32 characters). */
  lbName: string;
  vpcId: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  securityGroupId: pulumi.Input<string>;
  /** Target groups by key; the first one is the listener's default action. */
  targets: Record<string, TargetSpec>;
  /**
   * ACM certificate: HTTPS on 443 and port 80 only redirects to it. Without one the ALB forwards plain
   * HTTP on 80, which the policy pack forbids in prod (tokens and the origin secret would cross the
   * internet in clear). @default none
   */
  certificateArn?: pulumi.Input<string>;
  /** A DNS name for the ALB: an alias A record `name` in the hosted zone `zoneId`. @default none */
  domain?: { name: string; zoneId: pulumi.Input<string> };
  /** @default false */
  deletionProtection?: boolean;
  /** Physical name of the access-log bucket. */
  accessLogBucketName: pulumi.Input<string>;
  /** Protect the access logs (prod). @default false */
  protectLogs?: boolean;
}

/**
 * The internet-facing Application Load Balancer in the public subnets: one target group per routed
 * service, path-based listener rules, HTTPS with an HTTP redirect when a certificate is configured,
 * access logs to an encrypted bucket, invalid header fields dropped.
 *
 * @example
 * new LoadBalancer("alb", { lbName: "tradai-dev", vpcId, publicSubnetIds, securityGroupId, targets, accessLogBucketName }, ctx.opts);
 */
export class LoadBalancer extends pulumi.ComponentResource {
  readonly lb: aws.lb.LoadBalancer;
  readonly listener: aws.lb.Listener;
  readonly targetGroups: Record<string, aws.lb.TargetGroup>;
  readonly protocol: "http" | "https";
  /** The name clients should use: `domain.name` when given, else the ALB's own DNS name. */
  readonly host: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:LoadBalancer", name, {}, opts);
    // Checked first, so bad input creates nothing (not even the log bucket).
    if (Object.keys(args.targets).length === 0) {
      throw new Error(`LoadBalancer ${name}: at least one target is required`);
    }
    const child = { parent: this };
    const logs = this.createLogBucket(name, args);

    this.lb = new aws.lb.LoadBalancer(
      name,
      {
        name: args.lbName,
        loadBalancerType: "application",
        internal: false,
        subnets: args.publicSubnetIds,
        securityGroups: [args.securityGroupId],
        enableDeletionProtection: args.deletionProtection ?? false,
        dropInvalidHeaderFields: true,
        accessLogs: { bucket: logs.name, prefix: "alb", enabled: true },
      },
      { ...child, dependsOn: [logs.policy] },
    );

    this.targetGroups = Object.fromEntries(
      Object.entries(args.targets).map(([key, spec]) => [
        key,
        new aws.lb.TargetGroup(
          `${name}-${key}`,
          {
            port: spec.port,
            protocol: "HTTP",
            targetType: "ip",
            vpcId: args.vpcId,
            deregistrationDelay: 30,
            healthCheck: {
              path: spec.healthPath ?? "/health",
              matcher: "200",
              interval: 15,
              healthyThreshold: 2,
            },
          },
          child,
        ),
      ]),
    );
    const [first] = Object.keys(args.targets);
    const defaultGroup = this.targetGroups[first as string] as aws.lb.TargetGroup;

    this.protocol = args.certificateArn ? "https" : "http";
    if (args.certificateArn) {
      this.listener = new aws.lb.Listener(
        `${name}-https`,
        {
          loadBalancerArn: this.lb.arn,
          port: 443,
          protocol: "HTTPS",
          sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
          certificateArn: args.certificateArn,
          defaultActions: [{ type: "forward", targetGroupArn: defaultGroup.arn }],
        },
        child,
      );
      new aws.lb.Listener(
        `${name}-http-redirect`,
        {
          loadBalancerArn: this.lb.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [
            { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
          ],
        },
        // The port-80 listener of an ALB that had no certificate yet: turning HTTPS on updates it in place
        // (a second listener on port 80 would be refused).
        { ...child, aliases: [{ name: `${name}-http` }] },
      );
    } else {
      this.listener = new aws.lb.Listener(
        `${name}-http`,
        {
          loadBalancerArn: this.lb.arn,
          port: 80,
          protocol: "HTTP",
          defaultActions: [{ type: "forward", targetGroupArn: defaultGroup.arn }],
        },
        child,
      );
    }
    for (const [key, spec] of Object.entries(args.targets)) {
      if (key === first) continue;
      new aws.lb.ListenerRule(
        `${name}-${key}`,
        {
          listenerArn: this.listener.arn,
          priority: spec.priority,
          conditions: [{ pathPattern: { values: spec.paths } }],
          actions: [{ type: "forward", targetGroupArn: this.targetGroups[key]?.arn }],
        },
        child,
      );
    }
    if (args.domain) {
      new aws.route53.Record(
        `${name}-alias`,
        {
          zoneId: args.domain.zoneId,
          name: args.domain.name,
          type: "A",
          aliases: [{ name: this.lb.dnsName, zoneId: this.lb.zoneId, evaluateTargetHealth: true }],
        },
        child,
      );
    }
    this.host = args.domain ? pulumi.output(args.domain.name) : this.lb.dnsName;
    this.registerOutputs({ arn: this.lb.arn, dnsName: this.lb.dnsName, listenerArn: this.listener.arn });
  }

  private createLogBucket(name: string, args: LoadBalancerArgs): SecureBucket {
    // Regions older than 2022 deliver ALB logs as the regional ELB account.
    const elb = aws.elb.getServiceAccountOutput({}, { parent: this });
    return new SecureBucket(
      `${name}-access-logs`,
      {
        bucketName: args.accessLogBucketName,
        versioned: false,
        protectData: args.protectLogs ?? false,
        lifecycleRules: [{ id: "expire-access-logs", expireAfterDays: 90 }],
        policyStatements: (arn) => [
          {
            Sid: "AlbAccessLogs",
            Effect: "Allow",
            Principal: { AWS: elb.arn },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${arn}/alb/*`,
          },
        ],
      },
      { parent: this },
    );
  }
}
