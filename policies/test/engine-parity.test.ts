/**
 * The real-engine path: the analyzer code `pulumi preview --policy-pack policies` runs gives the same
 * verdict as the offline evaluation, including the environment (learned from the stack in the URN)
 * turning deletion protection from mandatory in prod into advisory in dev.
 */
import { evaluateLayerPlan } from "../src/evaluate";
import { tradaiPolicies } from "../src/policies";
import { analyzeWithEngine, withoutDescription } from "./analyzer-harness";
import { planOf, type ResourceSpec, urnOf } from "./plan-builder";

const TABLE = "aws:dynamodb/table:Table";

/** A layer with a bit of everything: compliant and not, known and computed, resource and stack policies. */
const mixed: ResourceSpec[] = [
  { type: TABLE, name: "jobs", protect: true, inputs: { deletionProtectionEnabled: false } },
  { type: TABLE, name: "heartbeats", protect: false, inputs: { deletionProtectionEnabled: true } },
  { type: "aws:s3/bucket:Bucket", name: "artifacts", protect: true },
  {
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    name: "artifacts-pab",
    inputs: {
      bucket: "<computed>",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: false,
      restrictPublicBuckets: true,
    },
    deps: { bucket: [{ type: "aws:s3/bucket:Bucket", name: "artifacts" }] },
  },
  {
    type: "aws:lambda/function:Function",
    name: "health-check",
    inputs: { packageType: "Image", imageUri: "<computed>" },
  },
  { type: "aws:sqs/queue:Queue", name: "jobs", inputs: { sqsManagedSseEnabled: true } },
  { type: "aws:apigateway/stage:Stage", name: "api" },
  {
    type: "aws:wafv2/webAclAssociation:WebAclAssociation",
    name: "api-waf",
    deps: { resourceArn: [{ type: "aws:apigateway/stage:Stage", name: "api" }] },
  },
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    name: "db",
    inputs: { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }] },
  },
];

const key = (v: { policy: string; urn: string; message: string; enforcement: string }) =>
  `${v.policy}|${v.urn}|${v.enforcement}|${v.message}`;

describe.each(["prod", "dev"])("stack %s", (stack) => {
  it("the analyzer and the offline evaluation report the same violations", async () => {
    const plan = planOf(stack, mixed);
    const engine = withoutDescription(await analyzeWithEngine(plan, tradaiPolicies), tradaiPolicies);
    const offline = evaluateLayerPlan(plan);
    expect(offline.length).toBeGreaterThanOrEqual(6);
    expect(engine.map(key).sort()).toEqual(offline.map(key).sort());
  });
});

describe("the environment under the real analyzer", () => {
  const table: ResourceSpec = {
    type: TABLE,
    name: "jobs",
    protect: true,
    inputs: { deletionProtectionEnabled: false },
  };

  it("is mandatory for a prod stack, with the policy description as the engine prints it", async () => {
    const diagnostics = await analyzeWithEngine(planOf("prod", [table]), tradaiPolicies);
    expect(diagnostics).toEqual([
      {
        policy: "dynamodb-table-deletion-protection",
        enforcement: "mandatory",
        urn: urnOf("prod", TABLE, "jobs"),
        message:
          "DynamoDB tables must have deletion protection enabled (mandatory in prod, advisory elsewhere).\n" +
          'DynamoDB table "jobs" must set deletionProtectionEnabled: true.',
      },
    ]);
  });

  it.each(["dev", "staging"])("is advisory for a %s stack", async (stack) => {
    const diagnostics = await analyzeWithEngine(planOf(stack, [table]), tradaiPolicies);
    expect(diagnostics).toEqual([
      {
        policy: "dynamodb-table-deletion-protection",
        enforcement: "advisory",
        urn: urnOf(stack, TABLE, "jobs"),
        message: 'DynamoDB table "jobs" must set deletionProtectionEnabled: true.',
      },
    ]);
  });
});
