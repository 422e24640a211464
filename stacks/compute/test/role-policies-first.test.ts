/**
 * First-deploy order (issue 14, fault 7): IAM is eventually consistent, and a consumer created from its
 * role's ARN alone may be created (and invoked) before the role may act. Every Lambda function, SQS event
 * source mapping and state machine of every environment must depend on every inline policy and managed
 * policy attachment of the role it runs with. Read from the plan of foundation and compute.
 */
import { ENVIRONMENTS } from "@tradai/contracts";
import type { PlannedResource } from "@tradai/plan";
import { type PlanView, planLayers } from "@tradai/plan";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const FN = "aws:lambda/function:Function";
const ESM = "aws:lambda/eventSourceMapping:EventSourceMapping";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";

/** The one resource of `type` an input of `resource` is computed from. */
function inputSource(
  view: PlanView,
  resource: PlannedResource,
  input: string,
  type: string,
): PlannedResource {
  const sources = (resource.propertyDependencies[input] ?? [])
    .map((urn) => view.get(urn))
    .filter((r): r is PlannedResource => r?.type === type);
  if (sources.length !== 1) {
    throw new Error(
      `${resource.type} "${resource.name}": input ${input} comes from ${sources.length} ${type}`,
    );
  }
  return sources[0] as PlannedResource;
}

/** Inline policies and managed policy attachments of `role`. */
function policiesOf(view: PlanView, role: PlannedResource): PlannedResource[] {
  return [...view.ofType(ROLE_POLICY), ...view.ofType(ATTACHMENT)].filter((p) =>
    (p.propertyDependencies.role ?? []).includes(role.urn),
  );
}

interface Edge {
  consumer: PlannedResource;
  role: PlannedResource;
}

/** Every consumer of a role in the layer, with the role it acts as. */
function consumers(view: PlanView): Edge[] {
  const functionRole = (fn: PlannedResource) => inputSource(view, fn, "role", ROLE);
  return [
    ...view.ofType(FN).map((fn) => ({ consumer: fn, role: functionRole(fn) })),
    ...view.ofType(ESM).map((esm) => ({
      consumer: esm,
      role: functionRole(inputSource(view, esm, "functionName", FN)),
    })),
    ...view
      .ofType(STATE_MACHINE)
      .map((sm) => ({ consumer: sm, role: inputSource(view, sm, "roleArn", ROLE) })),
  ];
}

/** `consumer -> policy` edges that are missing. */
function missingEdges(view: PlanView): string[] {
  return consumers(view).flatMap(({ consumer, role }) =>
    policiesOf(view, role)
      .filter((policy) => !consumer.dependsOn.includes(policy.urn))
      .map((policy) => `${consumer.type} "${consumer.name}" -> ${policy.type} "${policy.name}"`),
  );
}

describe.each(ENVIRONMENTS)("%s: consumers of a role wait for its policies", (env) => {
  let views: Partial<Record<"foundation" | "compute", PlanView>>;
  beforeAll(async () => {
    views = await planLayers(env, "compute");
  }, 180_000);
  const view = (layer: "foundation" | "compute") => views[layer] as PlanView;

  it("every function, event source mapping and state machine depends on each policy of its role", () => {
    const compute = consumers(view("compute"));
    // The check is not vacuous: all three kinds are present and each role has policies.
    expect(compute.filter((e) => e.consumer.type === FN).length).toBe(view("compute").ofType(FN).length);
    expect(compute.some((e) => e.consumer.type === ESM)).toBe(true);
    expect(compute.some((e) => e.consumer.type === STATE_MACHINE)).toBe(true);
    for (const { role } of compute) expect(policiesOf(view("compute"), role).length).toBeGreaterThan(0);
    expect(missingEdges(view("compute"))).toEqual([]);
    expect(missingEdges(view("foundation"))).toEqual([]);
  });

  it("an SQS consumer's mapping waits for the inline policy that lets it receive from the queue", () => {
    for (const esm of view("compute").ofType(ESM)) {
      const fn = inputSource(view("compute"), esm, "functionName", FN);
      const inline = policiesOf(view("compute"), inputSource(view("compute"), fn, "role", ROLE)).filter(
        (p) => p.type === ROLE_POLICY,
      );
      expect(inline.map((p) => String(p.inputs.policy))).toEqual([
        expect.stringContaining("sqs:ReceiveMessage"),
      ]);
      expect(esm.dependsOn).toEqual(expect.arrayContaining(inline.map((p) => p.urn)));
    }
  });
});
