import { LoadBalancer, type LoadBalancerArgs } from "../src/compute/load-balancer";
import { capture, captureFailure, expectWellFormed, json, mockArn, mockPulumi, resolve } from "./harness";

const LISTENER = "aws:lb/listener:Listener";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const ELB_ACCOUNT = "arn:aws:iam::054676820928:root";

beforeAll(() =>
  mockPulumi({
    calls: { "aws:elb/getServiceAccount:getServiceAccount": () => ({ arn: ELB_ACCOUNT, id: "elb" }) },
    state: {
      "aws:lb/loadBalancer:LoadBalancer": (inputs) => ({
        dnsName: `${inputs.name}.elb.amazonaws.com`,
        zoneId: "ZELB",
      }),
      "aws:s3/bucket:Bucket": (inputs) => ({ arn: `arn:aws:s3:::${inputs.bucket}` }),
    },
  }),
);

const args: LoadBalancerArgs = {
  lbName: "tradai-dev",
  vpcId: "vpc-1",
  publicSubnetIds: ["subnet-a", "subnet-b"],
  securityGroupId: "sg-alb",
  targets: {
    backend: { port: 8000, paths: ["/*"], priority: 100 },
    mlflow: { port: 5000, healthPath: "/mlflow/health", paths: ["/mlflow", "/mlflow/*"], priority: 10 },
  },
  accessLogBucketName: "tradai-dev-alb-logs",
};

describe("LoadBalancer", () => {
  it("without a certificate: forwards HTTP on 80 to the first target, routes the others by path", async () => {
    const c = await capture((opts) => new LoadBalancer("alb", args, opts));
    expectWellFormed(c, "tradai:compute:LoadBalancer", "alb");
    const lb = c.one("aws:lb/loadBalancer:LoadBalancer", "alb");
    expect(lb.inputs).toMatchObject({
      name: "tradai-dev",
      internal: false,
      subnets: ["subnet-a", "subnet-b"],
      securityGroups: ["sg-alb"],
      enableDeletionProtection: false,
      dropInvalidHeaderFields: true,
      accessLogs: { bucket: "tradai-dev-alb-logs", prefix: "alb", enabled: true },
    });
    // ALB checks it may write to the bucket when logging is turned on.
    expect(lb.opts.dependsOn).toEqual([
      c.one("aws:s3/bucketPolicy:BucketPolicy", "alb-access-logs-policy").resource,
    ]);
    expect(
      c
        .ofType(TARGET_GROUP)
        .map((t) => [t.name, t.inputs.port, t.inputs.targetType, t.inputs.healthCheck.path]),
    ).toEqual([
      ["alb-backend", 8000, "ip", "/health"],
      ["alb-mlflow", 5000, "ip", "/mlflow/health"],
    ]);
    expect(
      c.ofType(LISTENER).map((l) => [l.name, l.inputs.port, l.inputs.protocol, l.inputs.defaultActions]),
    ).toEqual([
      ["alb-http", 80, "HTTP", [{ type: "forward", targetGroupArn: mockArn(TARGET_GROUP, "alb-backend") }]],
    ]);
    expect(c.ofType("aws:lb/listenerRule:ListenerRule").map((r) => [r.name, r.inputs])).toEqual([
      [
        "alb-mlflow",
        {
          listenerArn: mockArn(LISTENER, "alb-http"),
          priority: 10,
          conditions: [{ pathPattern: { values: ["/mlflow", "/mlflow/*"] } }],
          actions: [{ type: "forward", targetGroupArn: mockArn(TARGET_GROUP, "alb-mlflow") }],
        },
      ],
    ]);
    expect(c.component.protocol).toBe("http");
    expect(await resolve(c.component.host)).toBe("tradai-dev.elb.amazonaws.com");
    expect(c.ofType("aws:route53/record:Record")).toEqual([]);
  });

  it("keeps access logs 90 days in a bucket only the ELB account may write under alb/", async () => {
    const c = await capture((opts) => new LoadBalancer("logs", args, opts));
    const bucket = c.one("tradai:persistent:SecureBucket", "logs-access-logs");
    expect(bucket.parent).toEqual({ name: "logs", type: "tradai:compute:LoadBalancer" });
    expect(c.one("aws:s3/bucket:Bucket", "logs-access-logs").opts).not.toHaveProperty("protect");
    expect(c.ofType("aws:s3/bucketVersioning:BucketVersioning")).toEqual([]);
    expect(
      c.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "logs-access-logs-lifecycle")
        .inputs.rules[1],
    ).toMatchObject({ id: "expire-access-logs", expiration: { days: 90 } });
    const statements = json(
      c.one("aws:s3/bucketPolicy:BucketPolicy", "logs-access-logs-policy").inputs.policy,
    ).Statement;
    expect(statements[1]).toEqual({
      Sid: "AlbAccessLogs",
      Effect: "Allow",
      Principal: { AWS: ELB_ACCOUNT },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::tradai-dev-alb-logs/alb/*",
    });
  });

  it("with a certificate: HTTPS on 443 (TLS 1.3 policy), port 80 only redirects, and a DNS alias", async () => {
    const c = await capture(
      (opts) =>
        new LoadBalancer(
          "tls",
          {
            ...args,
            certificateArn: "cert-arn",
            domain: { name: "origin.tradai.io", zoneId: "Z1" },
            deletionProtection: true,
            protectLogs: true,
          },
          opts,
        ),
    );
    expect(c.one("aws:lb/loadBalancer:LoadBalancer", "tls").inputs.enableDeletionProtection).toBe(true);
    expect(c.one("aws:s3/bucket:Bucket", "tls-access-logs").opts).toMatchObject({ protect: true });
    expect(c.one(LISTENER, "tls-https").inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificateArn: "cert-arn",
      defaultActions: [{ type: "forward", targetGroupArn: mockArn(TARGET_GROUP, "tls-backend") }],
    });
    const redirect = c.one(LISTENER, "tls-http-redirect");
    expect(redirect.inputs).toMatchObject({
      port: 80,
      defaultActions: [
        { type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } },
      ],
    });
    // The plain-HTTP listener of a stack that had no certificate yet is updated in place, not duplicated.
    expect(redirect.opts.aliases).toContainEqual({ name: "tls-http" });
    expect(c.one("aws:lb/listenerRule:ListenerRule", "tls-mlflow").inputs.listenerArn).toBe(
      mockArn(LISTENER, "tls-https"),
    );
    expect(c.one("aws:route53/record:Record", "tls-alias").inputs).toEqual({
      zoneId: "Z1",
      name: "origin.tradai.io",
      type: "A",
      aliases: [{ name: "tradai-dev.elb.amazonaws.com", zoneId: "ZELB", evaluateTargetHealth: true }],
    });
    expect(c.component.protocol).toBe("https");
    expect(await resolve(c.component.host)).toBe("origin.tradai.io");
  });

  it("rejects an empty target list, creating nothing", async () => {
    const { error, registered } = await captureFailure(
      () => new LoadBalancer("bad", { ...args, targets: {} }),
    );
    expect(error.message).toBe("LoadBalancer bad: at least one target is required");
    expect(registered).toEqual(["tradai:compute:LoadBalancer::bad"]);
  });
});
