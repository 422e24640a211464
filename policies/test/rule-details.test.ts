/** The finer points of each rule: the variants a reviewer would try to slip past it. */
import { evaluateLayerPlan } from "../src/evaluate";
import { awsProvider, FULL_TAGS, planOf, type ResourceSpec, urnOf } from "./plan-builder";

const messagesOf = (stack: string, specs: ResourceSpec[], policy: string, provider = awsProvider(stack)) =>
  evaluateLayerPlan(planOf(stack, specs, provider))
    .filter((v) => v.policy === policy)
    .map((v) => `${v.enforcement}: ${v.message}`);

describe("iam-no-wildcard-actions", () => {
  const doc = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

  it("checks inline policies of a role, naming the inline policy", () => {
    const role: ResourceSpec = {
      type: "aws:iam/role:Role",
      name: "sqs-consumer",
      inputs: {
        inlinePolicies: [
          { name: "ok", policy: doc([{ Effect: "Allow", Action: "sqs:ReceiveMessage", Resource: "*" }]) },
          { name: "admin", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) },
        ],
      },
    };
    expect(messagesOf("dev", [role], "iam-no-wildcard-actions")).toEqual([
      'mandatory: Inline policy "admin" of IAM role "sqs-consumer" allows wildcard action "*" in statement #1; grant only the actions needed.',
    ]);
  });

  it("checks resource policies, names statements by Sid and flags NotAction", () => {
    const bucketPolicy: ResourceSpec = {
      type: "aws:s3/bucketPolicy:BucketPolicy",
      name: "artifacts",
      inputs: {
        policy: doc([
          { Sid: "CloudTrail", Effect: "Allow", Action: ["s3:PutObject", "S3:*"], Resource: "*" },
          { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        ]),
      },
    };
    expect(messagesOf("prod", [bucketPolicy], "iam-no-wildcard-actions")).toEqual([
      'mandatory: S3 bucket policy "artifacts" allows wildcard action "S3:*" in statement "CloudTrail"; grant only the actions needed.',
      'mandatory: S3 bucket policy "artifacts" allows every action but its NotAction list in statement #2; list the allowed actions.',
    ]);
  });

  it("reports attaching AWS managed policies that grant wildcards, not narrower ones", () => {
    const specs: ResourceSpec[] = [
      {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "admin",
        inputs: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
      },
      {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "basic",
        inputs: { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" },
      },
      {
        type: "aws:iam/role:Role",
        name: "task",
        inputs: {
          managedPolicyArns: [
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
          ],
        },
      },
      {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        name: "own",
        inputs: { role: "r", policyArn: "arn:aws:iam::123456789012:policy/AdministratorAccess" },
      },
    ];
    expect(messagesOf("dev", specs, "iam-no-wildcard-actions")).toEqual([
      'mandatory: IAM role policy attachment "admin" attaches the AWS managed policy AdministratorAccess, which allows wildcard actions; attach a policy with only the actions needed.',
      'mandatory: IAM role "task" attaches the AWS managed policy AmazonS3FullAccess, which allows wildcard actions; attach a policy with only the actions needed.',
    ]);
  });

  it("reports a document that is not JSON", () => {
    const policy: ResourceSpec = {
      type: "aws:iam/policy:Policy",
      name: "broken",
      inputs: { policy: "{not json" },
    };
    expect(messagesOf("dev", [policy], "iam-no-wildcard-actions")).toEqual([
      'mandatory: IAM policy "broken" is not valid JSON.',
    ]);
  });

  it("cannot judge a document only known at deploy time, and says so as advisory", () => {
    const policy: ResourceSpec = {
      type: "aws:iam/rolePolicy:RolePolicy",
      name: "late",
      inputs: { policy: "<computed>" },
    };
    expect(messagesOf("prod", [policy], "iam-no-wildcard-actions")).toEqual([
      "advisory: can't run policy 'iam-no-wildcard-actions' from policy pack 'tradai-guardrails@v0.1.0' during preview: string value at .policy can't be known during preview",
    ]);
  });
});

describe("security-group-world-ingress", () => {
  it("checks SecurityGroupRule, SecurityGroupIngressRule and default security groups, IPv6 and all-traffic rules", () => {
    const specs: ResourceSpec[] = [
      {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        name: "range",
        inputs: { type: "ingress", protocol: "tcp", fromPort: 80, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
      },
      {
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        name: "egress-ok",
        inputs: { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
      },
      {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name: "v6-all",
        inputs: { ipProtocol: "-1", cidrIpv6: "::/0" },
      },
      {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name: "https",
        inputs: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
      },
      {
        type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        name: "default",
        inputs: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
      },
      {
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name: "udp-443",
        inputs: { ipProtocol: "udp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
      },
    ];
    expect(messagesOf("dev", specs, "security-group-world-ingress")).toEqual([
      'mandatory: Security group rule "range" opens tcp ports 80-443 to 0.0.0.0/0; only tcp 80 and 443 may be open to the world.',
      'mandatory: Security group ingress rule "v6-all" opens all traffic to ::/0; only tcp 80 and 443 may be open to the world.',
      'mandatory: Default security group "default" ingress rule #1 opens all traffic to 0.0.0.0/0; only tcp 80 and 443 may be open to the world.',
      'mandatory: Security group ingress rule "udp-443" opens udp port 443 to 0.0.0.0/0; only tcp 80 and 443 may be open to the world.',
    ]);
  });
});

describe("sqs", () => {
  it("accepts a KMS key, and a queue redriven through an aws.sqs.RedrivePolicy resource", () => {
    const specs: ResourceSpec[] = [
      { type: "aws:sqs/queue:Queue", name: "results", inputs: { kmsMasterKeyId: "alias/aws/sqs" } },
      { type: "aws:sqs/queue:Queue", name: "results-dlq", inputs: { sqsManagedSseEnabled: true } },
      {
        type: "aws:sqs/redrivePolicy:RedrivePolicy",
        name: "results-redrive",
        inputs: { queueUrl: "<computed>", redrivePolicy: "<computed>" },
        deps: {
          queueUrl: [{ type: "aws:sqs/queue:Queue", name: "results" }],
          redrivePolicy: [{ type: "aws:sqs/queue:Queue", name: "results-dlq" }],
        },
      },
    ];
    expect(messagesOf("prod", specs, "sqs-encryption")).toEqual([]);
    expect(messagesOf("prod", specs, "sqs-dead-letter-queue")).toEqual([]);
  });

  it("treats a queue declaring redriveAllowPolicy as a dead-letter queue", () => {
    const dlq: ResourceSpec = {
      type: "aws:sqs/queue:Queue",
      name: "orphan-dlq",
      inputs: { redriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }) },
    };
    expect(messagesOf("prod", [dlq], "sqs-dead-letter-queue")).toEqual([]);
  });
});

describe("api-stage-waf", () => {
  it("reports HTTP API (v2) stages, which WAF cannot protect", () => {
    const stage: ResourceSpec = { type: "aws:apigatewayv2/stage:Stage", name: "http" };
    expect(messagesOf("dev", [stage], "api-stage-waf")).toEqual([
      'mandatory: API Gateway v2 stage "http" cannot be associated with a WAFv2 web ACL; serve the API from a REST API stage.',
    ]);
  });

  it("does not count an association built from another stage", () => {
    const specs: ResourceSpec[] = [
      { type: "aws:apigateway/stage:Stage", name: "v1" },
      { type: "aws:apigateway/stage:Stage", name: "v2" },
      {
        type: "aws:wafv2/webAclAssociation:WebAclAssociation",
        name: "waf-v1",
        deps: { resourceArn: [{ type: "aws:apigateway/stage:Stage", name: "v1" }] },
      },
    ];
    expect(evaluateLayerPlan(planOf("prod", specs)).filter((v) => v.policy === "api-stage-waf")).toEqual([
      {
        policy: "api-stage-waf",
        enforcement: "mandatory",
        urn: urnOf("prod", "aws:apigateway/stage:Stage", "v2"),
        message: `API Gateway stage "v2" has no WAFv2 web ACL; add a WebAclAssociation whose resourceArn is the stage's arn.`,
      },
    ]);
  });
});

describe("lambda-image-pinned-by-digest", () => {
  it("ignores zip functions and reports a missing imageUri", () => {
    const specs: ResourceSpec[] = [
      {
        type: "aws:lambda/function:Function",
        name: "update-nat-routes",
        inputs: { packageType: "Zip", runtime: "nodejs22.x" },
      },
      { type: "aws:lambda/function:Function", name: "no-uri", inputs: { packageType: "Image" } },
    ];
    expect(messagesOf("prod", specs, "lambda-image-pinned-by-digest")).toEqual([
      'mandatory: Lambda function "no-uri" must pin its image by digest (imageUri is not set).',
    ]);
  });
});

describe("required-tags", () => {
  const queue: ResourceSpec = { type: "aws:sqs/queue:Queue", name: "jobs" };

  it("reads the provider's defaultTags as its SDK sends them (a JSON string) and names the provider", () => {
    const { Layer: _layer, Repository: _repo, ...partial } = FULL_TAGS;
    expect(messagesOf("prod", [queue], "required-tags", awsProvider("prod", partial))).toEqual([
      'mandatory: AWS resource "jobs" is missing the tags Layer, Repository; set them as defaultTags on an explicit aws provider (it uses provider "aws").',
    ]);
    expect(messagesOf("prod", [queue], "required-tags")).toEqual([]);
  });

  it("combines provider tags with the resource's own tags and ignores non-AWS resources", () => {
    const { Repository: _repo, ...partial } = FULL_TAGS;
    const specs: ResourceSpec[] = [
      { ...queue, inputs: { tags: { Repository: "github.com/tradai/infra" } } },
      { type: "tradai:components:Queue", name: "component", defaultProvider: true },
    ];
    expect(messagesOf("prod", specs, "required-tags", awsProvider("prod", partial))).toEqual([]);
  });

  it("treats an empty tag value as missing", () => {
    expect(
      messagesOf("dev", [queue], "required-tags", awsProvider("dev", { ...FULL_TAGS, Project: "" })),
    ).toEqual([
      'mandatory: AWS resource "jobs" is missing the tags Project; set them as defaultTags on an explicit aws provider (it uses provider "aws").',
    ]);
  });
});
