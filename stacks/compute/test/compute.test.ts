import * as fs from "node:fs";
import * as path from "node:path";
import {
  BUILD_TAG,
  definitionProblems,
  IMAGE_EXPORT,
  originTls,
  REPO_ROOT,
  retrainingDefinition,
  SOURCE_DATE_EPOCH,
} from "@tradai/components";
import {
  type ComputeOutputs,
  ECS_SERVICE_NAMES,
  LAMBDAS,
  type PersistentOutputs,
  SERVICE_IMAGES,
} from "@tradai/contracts";
import type { PlannedResource } from "@tradai/plan";
import { PlanView, planLayers, runLayer } from "@tradai/plan";
import aslValidator from "asl-validator";

const FN = "aws:lambda/function:Function";
const IMAGE = "docker-build:index:Image";
const SERVICE = "aws:ecs/service:Service";
const TASK_DEF = "aws:ecs/taskDefinition:TaskDefinition";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

let prod: PlanView;
let dev: PlanView;
let persistent: PersistentOutputs;
let foundationOutputs: Record<string, unknown>;
type Upstream = { persistent?: Record<string, unknown>; foundation?: Record<string, unknown> };
/** Persistent and foundation outputs per environment, planned once in this file: compute's config does not change them. */
const upstreams = new Map<string, Promise<Upstream>>();
const upstreamOf = (env: "dev" | "staging" | "prod") => {
  const planned =
    upstreams.get(env) ??
    planLayers(env, "foundation").then((v) => ({
      persistent: v.persistent?.outputs,
      foundation: v.foundation?.outputs,
    }));
  upstreams.set(env, planned);
  return planned;
};
/** The compute layer of `env` with `config` over its stack config, on the file's upstream plans. */
async function planCompute(
  env: "dev" | "staging" | "prod",
  config: Record<string, string> = {},
): Promise<PlanView> {
  return new PlanView(await runLayer({ layer: "compute", env, config, upstream: await upstreamOf(env) }));
}

beforeAll(async () => {
  const prodViews = await planLayers("prod", "compute");
  upstreams.set(
    "prod",
    Promise.resolve({ persistent: prodViews.persistent?.outputs, foundation: prodViews.foundation?.outputs }),
  );
  foundationOutputs = prodViews.foundation?.outputs ?? {};
  prod = prodViews.compute as PlanView;
  persistent = prodViews.persistent?.outputs as unknown as PersistentOutputs;
  const devViews = await planLayers("dev", "compute");
  upstreams.set(
    "dev",
    Promise.resolve({ persistent: devViews.persistent?.outputs, foundation: devViews.foundation?.outputs }),
  );
  dev = devViews.compute as PlanView;
}, 120_000);

const lambdas = [...LAMBDAS];
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statementsOf = (policy: PlannedResource) =>
  JSON.parse(String(policy.inputs.policy)).Statement as Statement[];

/** The inline policy of the role a Lambda function runs with. */
function functionPolicy(view: PlanView, name: string): Statement[] {
  const policy = view.ofType(ROLE_POLICY).find((p) => p.name === `${name}-policy`);
  return policy ? statementsOf(policy) : [];
}

describe("images", () => {
  const programDir = path.join(REPO_ROOT, "stacks", "compute");
  const location = (i: PlannedResource, key: "context" | "dockerfile") =>
    String((i.inputs[key] as { location: string }).location);

  it("builds the base image, one image per discovered Lambda and the four services", () => {
    const names = prod.ofType(IMAGE).map((i) => i.name);
    expect(names).toHaveLength(1 + lambdas.length + SERVICE_IMAGES.length);
    expect(names).toContain("images-lambda-base");
    for (const fn of lambdas) expect(names).toContain(`images-lambda-${fn}`);
  });

  it("pushes each image to its own repository under the one constant build tag: no release among the inputs", () => {
    const tags = (i: PlannedResource) => i.inputs.tags as string[];
    expect(tags(prod.one(IMAGE, "images-lambda-base"))).toEqual([
      `${persistent.ecr.lambdaBase.url}:${BUILD_TAG}`,
    ]);
    for (const fn of lambdas) {
      expect(tags(prod.one(IMAGE, `images-lambda-${fn}`))).toEqual([
        `${persistent.ecr.lambdas[fn]?.url}:${BUILD_TAG}`,
      ]);
    }
    for (const svc of SERVICE_IMAGES) {
      expect(tags(prod.one(IMAGE, `images-${svc}`))).toEqual([
        `${persistent.ecr.services[svc].url}:${BUILD_TAG}`,
      ]);
    }
  });

  // Issue 14 fault 5. Lambda refuses an image index, which a provenance attestation makes of a push.
  // docker-build's embedded buildx client (exec: false) builds with `Attests: {"provenance": nil}`
  // (pulumi-docker-build v0.0.22 provider/internal/client.go), which turns buildx's default
  // provenance off whatever the environment; `exec: true` runs the host's docker-buildx binary without
  // --provenance, where only BUILDX_NO_DEFAULT_ATTESTATIONS would keep it off. So: exec false, one
  // platform, one registry export without attestation options, in every image's inputs.
  it("builds single-manifest images from docker-build's own inputs: exec false, one platform, one plain registry export", () => {
    for (const image of [...prod.ofType(IMAGE), ...dev.ofType(IMAGE)]) {
      expect({ name: image.name, exec: image.inputs.exec }).toEqual({ name: image.name, exec: false });
      expect(image.inputs.platforms).toEqual(["linux/amd64"]);
      expect(image.inputs.push).toBe(false);
      expect(image.inputs.load).toBeUndefined();
      expect(image.inputs.exports).toEqual([{ raw: IMAGE_EXPORT }]);
      const attrs = Object.fromEntries(
        IMAGE_EXPORT.split(",").map((kv) => kv.split("=") as [string, string]),
      );
      expect(attrs.type).toBe("registry");
      expect(Object.keys(attrs).filter((k) => /attest|provenance|sbom/.test(k))).toEqual([]);
    }
  });

  it("is reproducible: SOURCE_DATE_EPOCH is a constant build arg and the export rewrites file timestamps", () => {
    for (const image of prod.ofType(IMAGE)) {
      expect(image.inputs.buildArgs).toEqual({ SOURCE_DATE_EPOCH });
      expect(String((image.inputs.exports as { raw: string }[])[0]?.raw)).toContain("rewrite-timestamp=true");
    }
    expect(SOURCE_DATE_EPOCH).toMatch(/^\d+$/);
  });

  it("caches in the build-cache repository with image manifests, and exports none when config turns it off", async () => {
    for (const image of prod.ofType(IMAGE)) {
      const cacheTo = (image.inputs.cacheTo as { registry: Record<string, unknown> }[])[0]?.registry;
      expect(cacheTo).toMatchObject({ imageManifest: true, ociMediaTypes: true });
      expect(String(cacheTo?.ref)).toMatch(new RegExp(`^${persistent.ecr.buildCache.url}:`));
      expect(image.inputs.cacheFrom).toEqual([{ registry: { ref: cacheTo?.ref } }]);
      expect(image.inputs.registries).toEqual([expect.objectContaining({ username: "AWS" })]);
    }
    const local = await planCompute("dev", { "tradai:imageRegistryCache": "false" });
    for (const image of local.ofType(IMAGE)) {
      expect(image.inputs.cacheTo).toBeUndefined();
      expect(image.inputs.cacheFrom).toEqual(dev.one(IMAGE, image.name).inputs.cacheFrom);
    }
  }, 120_000);

  it("gives every context and Dockerfile relative to the program's directory, never an absolute path", () => {
    for (const image of prod.ofType(IMAGE)) {
      for (const key of ["context", "dockerfile"] as const) {
        const value = location(image, key);
        expect({ image: image.name, key, absolute: path.isAbsolute(value) }).toEqual({
          image: image.name,
          key,
          absolute: false,
        });
        expect(fs.existsSync(path.resolve(programDir, value))).toBe(true);
      }
      expect(location(image, "dockerfile")).toBe(`${location(image, "context")}/Dockerfile`);
    }
    expect(location(prod.one(IMAGE, "images-lambda-base"), "context")).toBe("../../lambdas/base");
    expect(location(prod.one(IMAGE, "images-backend"), "context")).toBe("../../services/backend");
  });

  it("gives each Lambda image only its own folder as context and the base image as named context", () => {
    const base = prod.one(IMAGE, "images-lambda-base");
    for (const fn of lambdas) {
      const image = prod.one(IMAGE, `images-lambda-${fn}`);
      const context = image.inputs.context as { location: string; named: { base: { location: string } } };
      expect(path.relative(REPO_ROOT, path.resolve(programDir, context.location))).toBe(
        path.join("lambdas", fn),
      );
      expect(context.named.base.location).toMatch(
        new RegExp(`^docker-image://${persistent.ecr.lambdaBase.url}@sha256:[0-9a-f]{64}$`),
      );
      expect(prod.dependsOn(image, base)).toBe(true);
      // The context is reduced to the bundle the program built: nothing else enters the hash.
      expect(Object.keys(image.build?.files ?? {})).toEqual(["dist/index.js"]);
    }
    expect(base.build?.files).toEqual({});
    for (const svc of SERVICE_IMAGES) {
      const files = Object.keys(prod.one(IMAGE, `images-${svc}`).build?.files ?? {});
      expect(files).toEqual(svc === "mlflow" ? ["dist/entrypoint.py"] : ["dist/main.js", "dist/main.js.map"]);
    }
  });

  it("records releases outside the build: a release state output and one ECR retag command per image", () => {
    expect(prod.outputs.release).toEqual({ latest: null, releases: {} });
    const commands = prod.resources.filter((r) => r.type === "command:local:Command");
    expect(commands.map((c) => c.name).sort()).toEqual(
      ["lambda-base", ...lambdas.map((fn) => `lambda-${fn}`), ...SERVICE_IMAGES]
        .map((n) => `release-${n}`)
        .sort(),
    );
    for (const c of commands) {
      expect(c.inputs.environment).toMatchObject({ TAG: "", DIGEST: "" });
      expect(String(c.inputs.create)).toMatch(/\[ -n "\$TAG" \] && \[ -n "\$DIGEST" \] \|\| exit 0/);
    }
  });
});

describe("lambda functions", () => {
  it("deploys every discovered Lambda from its image's repo@digest and depends on that image", () => {
    expect(
      prod
        .ofType(FN)
        .map((f) => f.name)
        .sort(),
    ).toEqual(lambdas);
    for (const fn of lambdas) {
      const func = prod.one(FN, fn);
      const image = prod.one(IMAGE, `images-lambda-${fn}`);
      expect(func.inputs.packageType).toBe("Image");
      expect(String(func.inputs.imageUri).split("@")[0]).toBe(persistent.ecr.lambdas[fn]?.url);
      expect(String(func.inputs.imageUri)).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(func.propertyDependencies.imageUri).toContain(image.urn);
    }
  });

  it("never grants a wildcard action, and uses Resource * only for actions without resource-level permissions", () => {
    const resourceless = new Set([
      "cloudwatch:PutMetricData",
      "cloudwatch:GetMetricData",
      "tag:GetResources",
      "ecs:ListTasks",
      "ecs:ListServices",
      // Step Functions execution logging (vended log delivery) takes Resource "*".
      "logs:CreateLogDelivery",
      "logs:GetLogDelivery",
      "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies",
      "logs:DescribeLogGroups",
    ]);
    for (const policy of prod.ofType(ROLE_POLICY)) {
      for (const statement of statementsOf(policy)) {
        // No wildcard at all, not even a partial one such as `s3:Get*`.
        for (const action of asList(statement.Action)) expect(action).not.toContain("*");
        if (asList(statement.Resource).includes("*") && !policy.name.startsWith("retraining")) {
          for (const action of asList(statement.Action)) expect(resourceless).toContain(action);
        }
      }
    }
  });

  it("scopes each function to the resources of its contract", () => {
    const resources = (fn: string) => new Set(functionPolicy(prod, fn).flatMap((s) => asList(s.Resource)));
    const jobs = persistent.tables.jobs.arn;
    const consumer = resources("sqs-consumer");
    expect(consumer).toContain(jobs);
    expect([...consumer].some((r) => /task-definition\/tradai-prod-backtest:\*$/.test(r))).toBe(true);
    expect([...consumer].some((r) => r.includes("backtest-jobs"))).toBe(true);
    expect([...consumer].some((r) => r.includes("strategies") || r.includes("heartbeats"))).toBe(false);
    expect([...resources("trading-heartbeat-check")]).toEqual(
      expect.arrayContaining([persistent.tables.heartbeats.arn]),
    );
    expect(resources("trading-heartbeat-check")).not.toContain(jobs);
    expect(resources("validate-strategy").size).toBe(0);
    expect([...resources("cleanup-resources")].filter((r) => r.includes(":s3:::"))).toEqual([
      persistent.buckets.artifacts.arn,
      `${persistent.buckets.artifacts.arn}/backtests/*`,
    ]);
  });

  it("grants every function only resources of the layer contracts, this stack, or the state backend", () => {
    const contractArns = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === "string" && value.startsWith("arn:")) contractArns.add(value);
      else if (value && typeof value === "object") Object.values(value).forEach(collect);
    };
    collect(persistent);
    collect(foundationOutputs);
    collect(prod.outputs);
    const roleArns = new Set(
      prod
        .ofType("aws:ecs/taskDefinition:TaskDefinition")
        .flatMap((t) => [t.inputs.taskRoleArn, t.inputs.executionRoleArn]),
    );
    const thisStack = [
      /^arn:aws:ecs:eu-central-1:123456789012:task-definition\/tradai-prod-backtest:\*$/,
      /^arn:aws:ecs:eu-central-1:123456789012:(task|service)\/tradai-prod-cluster\/\*$/,
      /^arn:aws:s3:::tradai-pulumi-state-123456789012(\/.*)?$/,
      /^arn:aws:kms:eu-central-1:123456789012:key\/\*$/,
    ];
    const allowed = (arn: string) =>
      arn === "*" ||
      roleArns.has(arn) ||
      thisStack.some((p) => p.test(arn)) ||
      [...contractArns].some((known) => arn === known || arn.startsWith(`${known}/`));
    for (const fn of lambdas) {
      for (const statement of functionPolicy(prod, fn).filter((s) => s.Effect === "Allow")) {
        for (const arn of asList(statement.Resource)) {
          expect({ fn, sid: statement.Sid, arn, allowed: allowed(arn) }).toEqual({
            fn,
            sid: statement.Sid,
            arn,
            allowed: true,
          });
        }
      }
    }
  });

  it("consumes the queues with partial batch failures", () => {
    const mappings = prod.ofType("aws:lambda/eventSourceMapping:EventSourceMapping");
    expect(mappings.map((m) => m.name).sort()).toEqual(["backtest-consumer-source", "sqs-consumer-source"]);
    for (const m of mappings) expect(m.inputs.functionResponseTypes).toEqual(["ReportBatchItemFailures"]);
  });

  it("triggers update-status on stopped backtest tasks of this cluster", () => {
    const rule = prod.one("aws:cloudwatch/eventRule:EventRule", "update-status-rule");
    const pattern = JSON.parse(String(rule.inputs.eventPattern));
    expect(pattern).toEqual({
      source: ["aws.ecs"],
      "detail-type": ["ECS Task State Change"],
      detail: {
        clusterArn: [expect.stringMatching(/cluster\/tradai-prod-cluster$/)],
        lastStatus: ["STOPPED"],
        startedBy: [{ exists: true }],
      },
    });
  });

  it("puts functions that reach services into the VPC, and only those", () => {
    const inVpc = prod
      .ofType(FN)
      .filter((f) => f.inputs.vpcConfig)
      .map((f) => f.name)
      .sort();
    expect(inVpc).toEqual(
      [
        "check-retraining-needed",
        "compare-models",
        "data-collection-proxy",
        "health-check",
        "model-rollback",
        "promote-model",
      ].filter((n) => (lambdas as readonly string[]).includes(n)),
    );
  });
});

describe("pulumi-drift-detector", () => {
  it("reads configuration through ReadOnlyAccess but is denied every data read outside the state", () => {
    const attached = prod
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.name.startsWith("pulumi-drift-detector-"))
      .map((a) => a.inputs.policyArn);
    expect(attached).toContain("arn:aws:iam::aws:policy/ReadOnlyAccess");
    const deny = functionPolicy(prod, "pulumi-drift-detector").find((s) => s.Sid === "NoDataReads") as
      | (Statement & { NotResource?: string })
      | undefined;
    expect(deny?.Effect).toBe("Deny");
    expect(asList(deny?.Action)).toEqual(
      expect.arrayContaining(["s3:GetObject", "dynamodb:Scan", "secretsmanager:GetSecretValue"]),
    );
    expect(deny?.NotResource).toBe("arn:aws:s3:::tradai-pulumi-state-123456789012/*");
  });

  it("may look up every image the layer pushes in ECR, by the repository its tag names", () => {
    for (const view of [dev, prod]) {
      const verify = functionPolicy(view, "pulumi-drift-detector").find((s) => s.Sid === "VerifyImages");
      expect(verify?.Effect).toBe("Allow");
      expect(asList(verify?.Action)).toEqual(["ecr:DescribeImages"]);
      const patterns = asList(verify?.Resource as string | string[] | undefined).map(
        (arn) => new RegExp(`^${arn.replace(/[.?+^$()[\]{}|\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
      );
      const images = view.ofType(IMAGE);
      expect(images.length).toBeGreaterThan(1);
      for (const image of images) {
        for (const tag of image.inputs.tags as string[]) {
          const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+):[^:/]+$/.exec(tag);
          expect(match).not.toBeNull();
          const [, account, region, repository] = match as RegExpExecArray;
          const arn = `arn:aws:ecr:${region}:${account}:repository/${repository}`;
          expect({ arn, allowed: patterns.some((p) => p.test(arn)) }).toEqual({ arn, allowed: true });
        }
      }
    }
  });
});

describe("ECS", () => {
  it("runs the spec's six services from digests, with circuit breaker rollback", () => {
    expect(
      prod
        .ofType(SERVICE)
        .map((s) => s.inputs.name)
        .sort(),
    ).toEqual(ECS_SERVICE_NAMES.map((s) => `tradai-prod-${s}`).sort());
    for (const service of prod.ofType(SERVICE)) {
      expect(service.inputs.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    }
    for (const task of prod.ofType(TASK_DEF)) {
      const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as { image: string }[];
      expect(container?.image).toMatch(
        /^123456789012\.dkr\.ecr\.eu-central-1\.amazonaws\.com\/tradai\/prod\/[a-z-]+@sha256:[0-9a-f]{64}$/,
      );
    }
  });

  it("runs live-trading only in prod by default", () => {
    const count = (view: PlanView, svc: string) => view.one(SERVICE, svc).inputs.desiredCount;
    expect(count(prod, "live-trading")).toBe(1);
    expect(count(dev, "live-trading")).toBe(0);
    expect(count(prod, "backend-api")).toBe(2);
  });

  it("injects the RDS-managed credentials into MLflow as secrets, not environment", () => {
    const [container] = JSON.parse(String(prod.one(TASK_DEF, "mlflow").inputs.containerDefinitions)) as {
      environment: { name: string }[];
      secrets: { name: string; valueFrom: string }[];
    }[];
    expect(container?.secrets.map((s) => s.name).sort()).toEqual(["DB_PASSWORD", "DB_USERNAME"]);
    expect(container?.environment.map((e) => e.name)).not.toContain("DB_PASSWORD");
  });
});

describe("MLflow behind the ALB", () => {
  it("serves under /mlflow, accepts the ALB and Cloud Map host names, and is checked there", () => {
    const [container] = JSON.parse(String(prod.one(TASK_DEF, "mlflow").inputs.containerDefinitions)) as {
      environment: { name: string; value: string }[];
      healthCheck: { command: string[] };
    }[];
    const env = Object.fromEntries((container?.environment ?? []).map((e) => [e.name, e.value]));
    const outputs = prod.outputs as unknown as ComputeOutputs;
    expect(env.MLFLOW_STATIC_PREFIX).toBe("/mlflow");
    expect(env.MLFLOW_ALLOWED_HOSTS?.split(",")).toEqual(
      expect.arrayContaining(["mlflow.tradai-prod.internal", outputs.alb.dnsName]),
    );
    expect(container?.healthCheck.command.join(" ")).toContain("/mlflow/health");
    expect(prod.one("aws:lb/targetGroup:TargetGroup", "alb-mlflow").inputs.healthCheck).toMatchObject({
      path: "/mlflow/health",
    });
    const compare = prod.one(FN, "compare-models").inputs.environment as {
      variables: Record<string, string>;
    };
    expect(compare.variables.MLFLOW_TRACKING_URI).toBe("http://mlflow.tradai-prod.internal:5000/mlflow");
  });
});

describe("load balancer", () => {
  it("has deletion protection in prod only, access logs, and routes MLflow separately", () => {
    const lb = (view: PlanView) => view.one("aws:lb/loadBalancer:LoadBalancer", "alb");
    expect(lb(prod).inputs.enableDeletionProtection).toBe(true);
    expect(lb(dev).inputs.enableDeletionProtection).toBe(false);
    expect(lb(prod).inputs.accessLogs).toMatchObject({ enabled: true });
    expect(lb(prod).inputs.internal).toBe(false);
    const rule = prod.one("aws:lb/listenerRule:ListenerRule", "alb-mlflow");
    expect(rule.inputs.conditions).toEqual([{ pathPattern: { values: ["/mlflow", "/mlflow/*"] } }]);
  });

  it("redirects HTTP to HTTPS when a certificate is configured", async () => {
    const cert = "arn:aws:acm:eu-central-1:123456789012:certificate/abc";
    const view = await planCompute("staging", { "tradai:certificateArn": cert });
    const https = view.one("aws:lb/listener:Listener", "alb-https");
    expect(https.inputs).toMatchObject({ port: 443, protocol: "HTTPS", certificateArn: cert });
    expect(view.one("aws:lb/listener:Listener", "alb-http-redirect").inputs.defaultActions).toEqual([
      expect.objectContaining({ type: "redirect", redirect: expect.objectContaining({ protocol: "HTTPS" }) }),
    ]);
    expect((view.outputs as unknown as ComputeOutputs).alb.protocol).toBe("https");
  });
});

describe("origin TLS (issue 14, fault 2: no tokens or origin secret in clear outside dev)", () => {
  const LISTENER = "aws:lb/listener:Listener";
  it("prod serves the origin over HTTPS with a DNS-validated certificate for tradai:originDomain", () => {
    const cert = prod.one("aws:acm/certificate:Certificate", "origin-cert");
    expect(cert.inputs).toMatchObject({ domainName: "origin.tradai.io", validationMethod: "DNS" });
    const record = prod.one("aws:route53/record:Record", "origin-cert-validation");
    expect(record.inputs).toMatchObject({ type: "CNAME", ttl: 300 });
    expect(String(record.inputs.name)).toMatch(/\.origin\.tradai\.io\.$/);
    const validation = prod.one("aws:acm/certificateValidation:CertificateValidation", "origin-cert");
    expect(prod.dependencies(validation).has(record.urn)).toBe(true);
    const https = prod.one(LISTENER, "alb-https");
    expect(https.inputs).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      certificateArn: validation.inputs.certificateArn,
    });
    // The listener waits for the issued certificate, not just the requested one.
    expect(prod.dependencies(https).has(validation.urn)).toBe(true);
    expect(prod.one(LISTENER, "alb-http-redirect").inputs.defaultActions).toEqual([
      expect.objectContaining({ type: "redirect" }),
    ]);
    expect(
      prod
        .ofType(LISTENER)
        .map((l) => l.name)
        .sort(),
    ).toEqual(["alb-http-redirect", "alb-https"]);
    const alias = prod.one("aws:route53/record:Record", "alb-alias");
    expect(alias.inputs).toMatchObject({ name: "origin.tradai.io", type: "A", zoneId: record.inputs.zoneId });
    const outputs = prod.outputs as unknown as ComputeOutputs;
    expect(outputs.alb).toMatchObject({ protocol: "https", originHost: "origin.tradai.io" });
  });

  it("dev keeps plain HTTP to the ALB's own name", () => {
    const outputs = dev.outputs as unknown as ComputeOutputs;
    expect(outputs.alb.protocol).toBe("http");
    expect(outputs.alb.originHost).toBe(outputs.alb.dnsName);
    expect(dev.ofType("aws:acm/certificate:Certificate")).toEqual([]);
  });

  it.each([
    ["staging", {}, "tradai:originDomain", /required in staging/],
    ["prod", {}, "tradai:originDomain", /required in prod/],
    ["dev", { originDomain: "origin.dev.tradai.io" }, "tradai:originHostedZone", /unless certificateArn/],
    [
      "dev",
      { certificateArn: "arn:aws:acm:eu-central-1:1:certificate/x" },
      "tradai:originDomain",
      /with certificateArn/,
    ],
    [
      "prod",
      { originDomain: "origin.tradai.io", originHostedZone: "example.org" },
      "tradai:originHostedZone",
      /does not contain/,
    ],
  ] as const)("%s with %j is refused, naming %s", (env, config, key, message) => {
    const tls = originTls(env, config);
    expect(tls.kind).toBe("invalid");
    expect(tls.kind === "invalid" && tls.problems).toEqual([
      { key, message: expect.stringMatching(message) },
    ]);
  });

  it("the program refuses a misconfigured origin before any resource, naming the stack and key", async () => {
    await expect(planCompute("prod", { "tradai:originHostedZone": "example.org" })).rejects.toThrow(
      /Invalid configuration for stack ".*prod".*\n.*tradai:originHostedZone: does not contain/s,
    );
  });
});

describe("retraining workflow", () => {
  const definition = retrainingDefinition(
    {
      updateStatus: "arn:aws:lambda:eu-central-1:123456789012:function:u",
      checkRetrainingNeeded: "arn:aws:lambda:eu-central-1:123456789012:function:c",
      compareModels: "arn:aws:lambda:eu-central-1:123456789012:function:m",
      promoteModel: "arn:aws:lambda:eu-central-1:123456789012:function:p",
      notifyCompletion: "arn:aws:lambda:eu-central-1:123456789012:function:n",
    },
    {
      clusterArn: "arn:aws:ecs:eu-central-1:123456789012:cluster/c",
      taskDefinitionArn: "arn:aws:ecs:eu-central-1:123456789012:task-definition/t:1",
      containerName: "strategy-service",
      subnetIds: ["subnet-1"],
      securityGroupIds: ["sg-1"],
    },
  );

  it("is valid Amazon States Language with no dangling or unreachable states", () => {
    const result = aslValidator(definition);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    expect(definitionProblems(definition)).toEqual([]);
  });

  it("checks, trains, compares, promotes and notifies, updating the job status on every transition", () => {
    const path: string[] = [];
    let state = definition.StartAt;
    const decisions: Record<string, string> = { RetrainingNeeded: "Train", PromoteDecision: "PromoteModel" };
    for (let i = 0; i < 20 && state; i++) {
      path.push(state);
      const s = definition.States[state];
      if (!s || s.Type === "Succeed" || s.Type === "Fail") break;
      state = s.Type === "Choice" ? (decisions[state] ?? s.Default) : (s.Next ?? "");
    }
    expect(path).toEqual([
      "MarkRunning",
      "CheckRetrainingNeeded",
      "RetrainingNeeded",
      "Train",
      "CompareModels",
      "PromoteDecision",
      "PromoteModel",
      "MarkPromoted",
      "NotifyPromoted",
      "Done",
    ]);
    expect(definition.States.Train).toMatchObject({ Resource: "arn:aws:states:::ecs:runTask.sync" });
  });

  it("sends every failure to MarkFailed, which notifies and fails", () => {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== "Task" || name === "MarkFailed" || name === "NotifyFailed") continue;
      expect(state.Catch).toEqual([
        { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "MarkFailed" },
      ]);
    }
    expect(definition.States.MarkFailed).toMatchObject({ Next: "NotifyFailed" });
    expect(definition.States.NotifyFailed).toMatchObject({ Next: "Failed" });
    expect(definitionProblems({ ...definition, StartAt: "Nope" })).toContain('StartAt "Nope" is not a state');
  });

  it("deploys a state machine whose role may invoke exactly its five functions", () => {
    const machine = prod.one("aws:sfn/stateMachine:StateMachine", "retraining");
    const deployed = JSON.parse(String(machine.inputs.definition));
    expect(aslValidator(deployed).isValid).toBe(true);
    const invoke = statementsOf(prod.one(ROLE_POLICY, "retraining-policy")).find(
      (s) => s.Sid === "InvokeSteps",
    );
    const outputs = prod.outputs as unknown as ComputeOutputs;
    expect(asList(invoke?.Resource).sort()).toEqual(
      ["update-status", "check-retraining-needed", "compare-models", "promote-model", "notify-completion"]
        .map((fn) => outputs.functions[fn]?.arn)
        .sort(),
    );
  });
});

describe("compute configuration", () => {
  it("rejects a log retention CloudWatch would refuse, naming the key", async () => {
    await expect(planCompute("dev", { "tradai:logRetentionDays": "10" })).rejects.toThrow(
      /tradai:logRetentionDays: expected one of the CloudWatch Logs retention periods/,
    );
  });

  it("protects the ALB access logs in prod, and lets a teardown lift it", async () => {
    const bucket = (view: PlanView) => view.one("aws:s3/bucket:Bucket", "alb-access-logs");
    expect(bucket(prod).protect).toBe(true);
    expect(bucket(dev).protect).toBe(false);
    const lifted = await planCompute("prod", { "tradai:protectAccessLogs": "false" });
    expect(bucket(lifted).protect).toBe(false);
  });
});

describe("compute contract", () => {
  it("exports functions, services, images and the state machine", () => {
    const outputs = prod.outputs as unknown as ComputeOutputs;
    expect(Object.keys(outputs.functions).sort()).toEqual(lambdas);
    expect(Object.keys(outputs.services).sort()).toEqual([...ECS_SERVICE_NAMES].sort());
    expect(Object.keys(outputs.images.services).sort()).toEqual([...SERVICE_IMAGES].sort());
    expect(outputs.stateMachine.arn).toBe(
      "arn:aws:states:eu-central-1:123456789012:stateMachine:tradai-prod-retraining",
    );
  });
});
