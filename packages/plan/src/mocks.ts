/**
 * Pulumi mocks that answer like AWS would: realistic, deterministic ids, ARNs, URLs and digests per
 * resource type, so a later layer fed these outputs builds the same graph it would in a real preview.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { contentDigest, imageBuild } from "./image-build";

export const PLAN_ACCOUNT_ID = "123456789012";

type State = Record<string, unknown>;

function hash(text: string, length = 17): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Pulumi auto-names resources `<logical>-<7 hex>` when no physical name is given. */
function autoName(name: string): string {
  return `${name}-${hash(name, 7)}`;
}

export interface MockContext {
  region: string;
  accountId: string;
  /** Outputs returned for StackReference reads, by fully qualified stack name. */
  stackOutputs: (stackName: string) => Record<string, unknown> | undefined;
  /** The program's directory: docker-build resolves build contexts against it. @default process.cwd() */
  programDir?: string;
}

/** Computed attributes per type: what the provider would return after create. */
function computed(type: string, name: string, inputs: State, c: MockContext): { id: string; state: State } {
  const arnPrefix = (service: string, regional = true) =>
    `arn:aws:${service}:${regional ? c.region : ""}:${service === "s3" ? "" : c.accountId}`;
  const id = (prefix: string) => `${prefix}-${hash(`${type}/${name}`)}`;
  switch (type) {
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = str(inputs.bucket) ?? autoName(name);
      return {
        id: bucket,
        state: {
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.amazonaws.com`,
          bucketRegionalDomainName: `${bucket}.s3.${c.region}.amazonaws.com`,
          region: c.region,
        },
      };
    }
    case "aws:dynamodb/table:Table": {
      const table = str(inputs.name) ?? autoName(name);
      const arn = `${arnPrefix("dynamodb")}:table/${table}`;
      return { id: table, state: { name: table, arn, streamArn: `${arn}/stream/2026-01-01T00:00:00.000` } };
    }
    case "aws:ecr/repository:Repository": {
      const repo = str(inputs.name) ?? autoName(name);
      return {
        id: repo,
        state: {
          name: repo,
          arn: `${arnPrefix("ecr")}:repository/${repo}`,
          registryId: c.accountId,
          repositoryUrl: `${c.accountId}.dkr.ecr.${c.region}.amazonaws.com/${repo}`,
        },
      };
    }
    case "aws:cognito/userPool:UserPool": {
      const poolId = `${c.region}_${hash(name, 9)}`;
      return {
        id: poolId,
        state: {
          name: str(inputs.name) ?? autoName(name),
          arn: `${arnPrefix("cognito-idp")}:userpool/${poolId}`,
          endpoint: `cognito-idp.${c.region}.amazonaws.com/${poolId}`,
        },
      };
    }
    case "aws:cognito/userPoolClient:UserPoolClient":
      return { id: hash(name, 26), state: {} };
    case "aws:sqs/queue:Queue": {
      const queue = str(inputs.name) ?? autoName(name);
      return {
        id: `https://sqs.${c.region}.amazonaws.com/${c.accountId}/${queue}`,
        state: {
          name: queue,
          arn: `${arnPrefix("sqs")}:${queue}`,
          url: `https://sqs.${c.region}.amazonaws.com/${c.accountId}/${queue}`,
        },
      };
    }
    case "aws:sns/topic:Topic": {
      const topic = str(inputs.name) ?? autoName(name);
      return {
        id: `${arnPrefix("sns")}:${topic}`,
        state: { name: topic, arn: `${arnPrefix("sns")}:${topic}` },
      };
    }
    case "aws:rds/instance:Instance": {
      const identifier = str(inputs.identifier) ?? autoName(name);
      const address = `${identifier}.c${hash(name, 11)}.${c.region}.rds.amazonaws.com`;
      return {
        id: `db-${hash(name, 26).toUpperCase()}`,
        state: {
          identifier,
          arn: `${arnPrefix("rds")}:db:${identifier}`,
          address,
          endpoint: `${address}:5432`,
          port: 5432,
          resourceId: `db-${hash(name, 26).toUpperCase()}`,
          masterUserSecrets: [
            {
              secretArn: `${arnPrefix("secretsmanager")}:secret:rds!db-${hash(name, 8)}-AbCdEf`,
              secretStatus: "active",
            },
          ],
        },
      };
    }
    case "aws:lb/loadBalancer:LoadBalancer": {
      const lb = str(inputs.name) ?? autoName(name).slice(0, 32);
      const suffix = `app/${lb}/${hash(name, 16)}`;
      return {
        id: `${arnPrefix("elasticloadbalancing")}:loadbalancer/${suffix}`,
        state: {
          name: lb,
          arn: `${arnPrefix("elasticloadbalancing")}:loadbalancer/${suffix}`,
          arnSuffix: suffix,
          dnsName: `${lb}-${hash(name, 10)}.${c.region}.elb.amazonaws.com`,
          zoneId: "Z215JYRZR1TBD5",
        },
      };
    }
    case "aws:acm/certificate:Certificate": {
      const domain = str(inputs.domainName) ?? "example.com";
      const arn = `${arnPrefix("acm")}:certificate/${hash(`${type}/${name}`, 8)}-0000-4000-8000-${hash(name, 12)}`;
      return {
        id: arn,
        state: {
          arn,
          domainValidationOptions: [
            {
              domainName: domain,
              resourceRecordName: `_${hash(domain, 32)}.${domain}.`,
              resourceRecordType: "CNAME",
              resourceRecordValue: `_${hash(`v/${domain}`, 32)}.acm-validations.aws.`,
            },
          ],
        },
      };
    }
    case "aws:acm/certificateValidation:CertificateValidation":
      return { id: String(inputs.certificateArn), state: { certificateArn: inputs.certificateArn } };
    case "aws:route53/record:Record": {
      const fqdn = String(inputs.name ?? name).replace(/\.$/, "");
      return { id: `${String(inputs.zoneId)}_${fqdn}_${String(inputs.type)}`, state: { fqdn } };
    }
    case "aws:lb/targetGroup:TargetGroup": {
      const tg = str(inputs.name) ?? autoName(name).slice(0, 32);
      const suffix = `targetgroup/${tg}/${hash(name, 16)}`;
      return {
        id: `${arnPrefix("elasticloadbalancing")}:${suffix}`,
        state: { name: tg, arn: `${arnPrefix("elasticloadbalancing")}:${suffix}`, arnSuffix: suffix },
      };
    }
    case "aws:lb/listener:Listener": {
      const arn = `${arnPrefix("elasticloadbalancing")}:listener/app/${hash(name, 8)}/${hash(name, 16)}`;
      return { id: arn, state: { arn } };
    }
    case "aws:lambda/function:Function": {
      const fn = str(inputs.name) ?? autoName(name);
      const arn = `${arnPrefix("lambda")}:function:${fn}`;
      return {
        id: fn,
        state: {
          name: fn,
          arn,
          qualifiedArn: `${arn}:$LATEST`,
          invokeArn: `arn:aws:apigateway:${c.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
          version: "$LATEST",
        },
      };
    }
    case "aws:iam/role:Role": {
      const role = str(inputs.name) ?? autoName(name);
      return {
        id: role,
        state: { name: role, arn: `arn:aws:iam::${c.accountId}:role/${role}`, uniqueId: id("AROA") },
      };
    }
    case "aws:iam/policy:Policy": {
      const policy = str(inputs.name) ?? autoName(name);
      const arn = `arn:aws:iam::${c.accountId}:policy/${policy}`;
      return { id: arn, state: { name: policy, arn } };
    }
    case "aws:iam/instanceProfile:InstanceProfile": {
      const profile = str(inputs.name) ?? autoName(name);
      return {
        id: profile,
        state: {
          name: profile,
          arn: `arn:aws:iam::${c.accountId}:instance-profile/${profile}`,
          uniqueId: id("AIPA"),
        },
      };
    }
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
      const arn = `arn:aws:iam::${c.accountId}:oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`;
      return { id: arn, state: { arn } };
    }
    case "aws:kms/key:Key": {
      const keyId = `${hash(name, 8)}-${hash(`${name}1`, 4)}-${hash(`${name}2`, 4)}-${hash(`${name}3`, 4)}-${hash(`${name}4`, 12)}`;
      return { id: keyId, state: { keyId, arn: `${arnPrefix("kms")}:key/${keyId}` } };
    }
    case "aws:kms/alias:Alias":
      return {
        id: str(inputs.name) ?? name,
        state: { arn: `${arnPrefix("kms")}:${str(inputs.name) ?? name}` },
      };
    case "aws:cloudtrail/trail:Trail": {
      const trail = str(inputs.name) ?? autoName(name);
      return { id: trail, state: { name: trail, arn: `${arnPrefix("cloudtrail")}:trail/${trail}` } };
    }
    case "aws:codeartifact/domain:Domain": {
      const domain = str(inputs.domain) ?? autoName(name);
      const arn = `${arnPrefix("codeartifact")}:domain/${domain}`;
      return { id: arn, state: { arn, owner: c.accountId, domain } };
    }
    case "aws:codeartifact/repository:Repository": {
      const repo = str(inputs.repository) ?? autoName(name);
      const arn = `${arnPrefix("codeartifact")}:repository/${str(inputs.domain) ?? "domain"}/${repo}`;
      return { id: arn, state: { arn, domainOwner: c.accountId } };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const group = str(inputs.name) ?? autoName(name);
      return { id: group, state: { name: group, arn: `${arnPrefix("logs")}:log-group:${group}` } };
    }
    case "aws:ec2/vpc:Vpc":
      return {
        id: id("vpc"),
        state: { arn: `${arnPrefix("ec2")}:vpc/${id("vpc")}`, defaultSecurityGroupId: id("sg") },
      };
    case "aws:ec2/subnet:Subnet":
      return { id: id("subnet"), state: { arn: `${arnPrefix("ec2")}:subnet/${id("subnet")}` } };
    case "aws:ec2/securityGroup:SecurityGroup":
      return {
        id: id("sg"),
        state: {
          arn: `${arnPrefix("ec2")}:security-group/${id("sg")}`,
          name: str(inputs.name) ?? autoName(name),
        },
      };
    case "aws:ec2/routeTable:RouteTable":
      return { id: id("rtb"), state: {} };
    case "aws:ec2/internetGateway:InternetGateway":
      return { id: id("igw"), state: {} };
    case "aws:ec2/natGateway:NatGateway":
      return { id: id("nat"), state: {} };
    case "aws:ec2/eip:Eip":
      return { id: id("eipalloc"), state: { publicIp: "198.51.100.10", allocationId: id("eipalloc") } };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return {
        id: id("lt"),
        state: { arn: `${arnPrefix("ec2")}:launch-template/${id("lt")}`, latestVersion: 1 },
      };
    case "aws:ec2/networkInterface:NetworkInterface":
      return { id: id("eni"), state: {} };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return { id: id("vpce"), state: { arn: `${arnPrefix("ec2")}:vpc-endpoint/${id("vpce")}` } };
    case "aws:ecs/cluster:Cluster": {
      const cluster = str(inputs.name) ?? autoName(name);
      return {
        id: `${arnPrefix("ecs")}:cluster/${cluster}`,
        state: { name: cluster, arn: `${arnPrefix("ecs")}:cluster/${cluster}` },
      };
    }
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const family = str(inputs.family) ?? autoName(name);
      const arn = `${arnPrefix("ecs")}:task-definition/${family}:1`;
      return {
        id: family,
        state: { arn, arnWithoutRevision: `${arnPrefix("ecs")}:task-definition/${family}`, revision: 1 },
      };
    }
    case "aws:ecs/service:Service": {
      // AWS's current (long) ARN format names the cluster: service/<cluster>/<name>. The cluster input
      // is its ARN or its name; ECS places a service without one in the "default" cluster.
      const svc = str(inputs.name) ?? autoName(name);
      const cluster = str(inputs.cluster)?.split("/").pop() ?? "default";
      const arn = `${arnPrefix("ecs")}:service/${cluster}/${svc}`;
      return { id: arn, state: { name: svc, arn, cluster: str(inputs.cluster) ?? cluster } };
    }
    case "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace":
      return {
        id: `ns-${hash(name, 16)}`,
        state: {
          arn: `${arnPrefix("servicediscovery")}:namespace/ns-${hash(name, 16)}`,
          hostedZone: `Z${hash(name, 13).toUpperCase()}`,
        },
      };
    case "aws:servicediscovery/service:Service":
      return {
        id: `srv-${hash(name, 16)}`,
        state: { arn: `${arnPrefix("servicediscovery")}:service/srv-${hash(name, 16)}` },
      };
    case "aws:sfn/stateMachine:StateMachine": {
      const machine = str(inputs.name) ?? autoName(name);
      return {
        id: `${arnPrefix("states")}:stateMachine:${machine}`,
        state: { name: machine, arn: `${arnPrefix("states")}:stateMachine:${machine}` },
      };
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const rule = str(inputs.name) ?? autoName(name);
      return { id: rule, state: { name: rule, arn: `${arnPrefix("events")}:rule/${rule}` } };
    }
    case "aws:apigateway/restApi:RestApi": {
      const apiId = hash(name, 10);
      return {
        id: apiId,
        state: {
          rootResourceId: hash(`${name}/root`, 10),
          executionArn: `${arnPrefix("execute-api")}:${apiId}`,
          arn: `arn:aws:apigateway:${c.region}::/restapis/${apiId}`,
        },
      };
    }
    case "aws:apigateway/stage:Stage": {
      const apiId = str(inputs.restApi) ?? "api";
      const stage = str(inputs.stageName) ?? name;
      return {
        id: `ags-${apiId}-${stage}`,
        state: {
          arn: `arn:aws:apigateway:${c.region}::/restapis/${apiId}/stages/${stage}`,
          invokeUrl: `https://${apiId}.execute-api.${c.region}.amazonaws.com/${stage}`,
          executionArn: `${arnPrefix("execute-api")}:${apiId}/${stage}`,
        },
      };
    }
    case "aws:wafv2/webAcl:WebAcl": {
      const acl = str(inputs.name) ?? autoName(name);
      const aclId = `${hash(name, 8)}-${hash(`${name}x`, 4)}-${hash(`${name}y`, 4)}-${hash(`${name}z`, 4)}-${hash(`${name}w`, 12)}`;
      return {
        id: aclId,
        state: { name: acl, arn: `${arnPrefix("wafv2")}:regional/webacl/${acl}/${aclId}` },
      };
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const alarm = str(inputs.name) ?? autoName(name);
      return { id: alarm, state: { name: alarm, arn: `${arnPrefix("cloudwatch")}:alarm:${alarm}` } };
    }
    case "aws:cloudwatch/dashboard:Dashboard":
      return {
        id: str(inputs.dashboardName) ?? name,
        state: {
          dashboardArn: `arn:aws:cloudwatch::${c.accountId}:dashboard/${str(inputs.dashboardName) ?? name}`,
        },
      };
    case "aws:autoscaling/group:Group": {
      const group = str(inputs.name) ?? autoName(name);
      return {
        id: group,
        state: {
          name: group,
          arn: `${arnPrefix("autoscaling")}:autoScalingGroup:${hash(name, 8)}:autoScalingGroupName/${group}`,
        },
      };
    }
    case "aws:secretsmanager/secret:Secret": {
      const secret = str(inputs.name) ?? autoName(name);
      return {
        id: `${arnPrefix("secretsmanager")}:secret:${secret}-AbCdEf`,
        state: { arn: `${arnPrefix("secretsmanager")}:secret:${secret}-AbCdEf` },
      };
    }
    case "random:index/randomPassword:RandomPassword": {
      // Deterministic per name, the requested length, letters and digits only.
      const length = typeof inputs.length === "number" ? inputs.length : 16;
      let result = "";
      for (let i = 0; result.length < length; i++) result += hash(`${name}/${i}`, 64);
      result = result.slice(0, length);
      return { id: "none", state: { result, bcryptHash: `$2a$10$${hash(result, 53)}` } };
    }
    case "docker-build:index:Image": {
      // The digest a reproducible build gives: a function of the content (context hash + content inputs).
      const build = imageBuild(inputs, c.programDir ?? process.cwd());
      const digest = contentDigest(build);
      const tags = Array.isArray(inputs.tags)
        ? inputs.tags.filter((t): t is string => typeof t === "string")
        : [];
      const repo = tags[0]?.replace(/:[^:/]+$/, "") ?? name;
      return {
        id: digest,
        state: { digest, ref: `${repo}@${digest}`, contextHash: build.contextHash },
      };
    }
  }
  // Generic: an id and, for AWS types, an ARN in the type's service.
  const generic: State = {};
  const match = /^aws:([a-z0-9]+)\//.exec(type);
  if (match)
    generic.arn = `${arnPrefix(match[1] ?? "aws")}:${type.split(":").pop()?.toLowerCase() ?? "resource"}/${name}`;
  return { id: `${name}-${hash(`${type}/${name}`, 8)}`, state: generic };
}

/** Answers to provider function calls the programs make. Unknown calls fail loudly. */
function call(token: string, inputs: State, c: MockContext): State {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: c.accountId,
        arn: `arn:aws:iam::${c.accountId}:user/plan`,
        userId: "AIDAPLAN",
        id: c.accountId,
      };
    case "aws:index/getRegion:getRegion":
      return {
        name: c.region,
        region: c.region,
        id: c.region,
        description: "Europe (Frankfurt)",
        endpoint: `ec2.${c.region}.amazonaws.com`,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        names: ["a", "b", "c"].map((z) => `${c.region}${z}`),
        zoneIds: ["euc1-az2", "euc1-az3", "euc1-az1"],
        id: c.region,
      };
    case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
      return {
        userName: "AWS",
        password: "plan-token",
        authorizationToken: Buffer.from("AWS:plan-token").toString("base64"),
        proxyEndpoint: `https://${c.accountId}.dkr.ecr.${c.region}.amazonaws.com`,
        expiresAt: "2099-01-01T00:00:00Z",
        id: c.region,
      };
    case "aws:route53/getZone:getZone": {
      const zone = String(inputs.name ?? "").replace(/\.$/, "");
      const zoneId = `Z${hash(`zone/${zone}`, 20).toUpperCase()}`;
      return { id: zoneId, zoneId, name: zone, privateZone: false };
    }
    case "aws:elb/getServiceAccount:getServiceAccount":
      return { arn: "arn:aws:iam::054676820928:root", id: "054676820928" };
  }
  throw new Error(
    `offline plan: no mock for the provider function ${token} (inputs ${JSON.stringify(inputs)}); ` +
      "add one in packages/plan/src/mocks.ts",
  );
}

/** The mocks for one layer run. */
export function planMocks(c: MockContext): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      if (args.type === "pulumi:pulumi:StackReference") {
        const stackName = String(args.inputs.name ?? args.name);
        const outputs = c.stackOutputs(stackName);
        if (!outputs) throw new Error(`offline plan: no planned outputs for referenced stack ${stackName}`);
        return { id: stackName, state: { name: stackName, outputs, secretOutputNames: [] } };
      }
      const { id, state } = computed(args.type, args.name, args.inputs as State, c);
      return { id: args.id || id, state: { ...args.inputs, ...state } };
    },
    call(args) {
      return call(args.token, args.inputs as State, c);
    },
  };
}
