/** How the pack learns the environment (the stack in the URN), and the evaluator's own contract. */
import type { Policies } from "@pulumi/policy";
import { isProductionUrn, stackOfUrn } from "../src/environment";
import { evaluateLayerPlan, PlanEvaluationError } from "../src/evaluate";
import { dynamodbDeletionProtection } from "../src/policies";
import { planOf, type ResourceSpec, resource, urnOf } from "./plan-builder";

const TABLE = "aws:dynamodb/table:Table";
const unprotectedTable: ResourceSpec = { type: TABLE, name: "jobs", protect: true, inputs: {} };

describe("environment from the URN", () => {
  it("reads the stack name", () => {
    expect(stackOfUrn("urn:pulumi:staging::tradai-persistent::aws:dynamodb/table:Table::jobs")).toBe(
      "staging",
    );
    expect(() => stackOfUrn("arn:aws:dynamodb:eu-central-1:1:table/jobs")).toThrow(
      'not a Pulumi resource URN: "arn:aws:dynamodb:eu-central-1:1:table/jobs"',
    );
  });

  it("relaxes only dev and staging; any other stack is held to production rules", () => {
    expect(isProductionUrn(urnOf("prod", TABLE, "t"))).toBe(true);
    expect(isProductionUrn(urnOf("dev", TABLE, "t"))).toBe(false);
    expect(isProductionUrn(urnOf("staging", TABLE, "t"))).toBe(false);
    expect(isProductionUrn(urnOf("prod-eu", TABLE, "t"))).toBe(true);
  });

  it.each([
    ["staging", "advisory"],
    ["prod", "mandatory"],
    ["sandbox", "mandatory"],
  ])("deletion protection in a %s plan is %s", (stack, enforcement) => {
    const [violation] = evaluateLayerPlan(planOf(stack, [unprotectedTable])).filter(
      (v) => v.policy === "dynamodb-table-deletion-protection",
    );
    expect(violation?.enforcement).toBe(enforcement);
  });
});

describe("evaluateLayerPlan", () => {
  it("refuses a plan whose resources belong to another stack", () => {
    const plan = planOf("prod", [unprotectedTable]);
    const devTable = resource("dev", unprotectedTable);
    expect(() =>
      evaluateLayerPlan({ ...plan, resources: [...plan.resources.slice(0, 2), devTable] }),
    ).toThrow(
      new PlanEvaluationError(`resource ${urnOf("dev", TABLE, "jobs")} belongs to stack "dev", not "prod"`),
    );
  });

  it("refuses a resource whose provider is not in the plan", () => {
    const plan = planOf("prod", [unprotectedTable]);
    const withoutProvider = plan.resources.filter((r) => r.type !== "pulumi:providers:aws");
    expect(() => evaluateLayerPlan({ ...plan, resources: withoutProvider })).toThrow(
      `resource ${urnOf("prod", TABLE, "jobs")} uses provider ${urnOf("prod", "pulumi:providers:aws", "aws")}, which is not in the plan`,
    );
  });

  it("honours enforcement levels as the analyzer does: disabled skips, remediate reports mandatory", () => {
    const plan = planOf("prod", [unprotectedTable]);
    const disabled: Policies = [{ ...dynamodbDeletionProtection, enforcementLevel: "disabled" }];
    const remediate: Policies = [{ ...dynamodbDeletionProtection, enforcementLevel: "remediate" }];
    expect(evaluateLayerPlan(plan, disabled)).toEqual([]);
    expect(evaluateLayerPlan(plan, remediate).map((v) => v.enforcement)).toEqual(["mandatory"]);
  });

  it("skips a policy that declares itself not applicable and rejects asynchronous policies", () => {
    const plan = planOf("prod", [unprotectedTable]);
    const notApplicable: Policies = [
      { name: "na", description: "n/a", validateResource: (args) => args.notApplicable("not here") },
    ];
    const asynchronous: Policies = [
      { name: "async", description: "async", validateResource: async () => {} },
    ];
    expect(evaluateLayerPlan(plan, notApplicable)).toEqual([]);
    expect(() => evaluateLayerPlan(plan, asynchronous)).toThrow(
      "policy async is asynchronous; offline evaluation runs only synchronous policies",
    );
  });

  it("runs no resource policy on resources the plan marks as read", () => {
    const plan = planOf("prod", [unprotectedTable]);
    const asRead = plan.resources.map((r) => (r.type === TABLE ? { ...r, read: true } : r));
    expect(evaluateLayerPlan(plan).length).toBeGreaterThan(0);
    expect(evaluateLayerPlan({ ...plan, resources: asRead })).toEqual([]);
  });

  it("names the policy and resource when a policy crashes", () => {
    const plan = planOf("prod", [unprotectedTable]);
    const crashing: Policies = [
      {
        name: "crash",
        description: "crash",
        validateResource: (args) => {
          if (args.type === TABLE) throw new Error("boom");
        },
      },
    ];
    expect(() => evaluateLayerPlan(plan, crashing)).toThrow(
      `policy crash failed on ${urnOf("prod", TABLE, "jobs")}: boom`,
    );
  });
});
