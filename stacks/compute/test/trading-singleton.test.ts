/**
 * A live trader is a singleton (issue 14, fault 3): the trading services deploy stop-before-start, so a
 * deploy or force-deploy never runs old and new tasks together; the other services keep rolling
 * deployments. Read from the plan of every environment.
 */
import { ROLLING_DEPLOYMENT, STOP_BEFORE_START } from "@tradai/components";
import { ENVIRONMENTS } from "@tradai/contracts";
import { type PlanView, planLayer } from "@tradai/plan";

const SERVICE = "aws:ecs/service:Service";
const SINGLETONS = ["dry-run-trading", "live-trading"];

const limits = (view: PlanView, svc: string) => {
  const inputs = view.one(SERVICE, svc).inputs;
  return {
    minimumHealthyPercent: inputs.deploymentMinimumHealthyPercent,
    maximumPercent: inputs.deploymentMaximumPercent,
  };
};

describe.each(ENVIRONMENTS)("%s: trading services run one task at a time", (env) => {
  let view: PlanView;
  beforeAll(async () => {
    view = await planLayer(env, "compute");
  }, 120_000);

  it("deploys the trading services stop-before-start (0 % healthy, 100 % maximum)", () => {
    expect(STOP_BEFORE_START).toEqual({ minimumHealthyPercent: 0, maximumPercent: 100 });
    for (const svc of SINGLETONS) expect(limits(view, svc)).toEqual(STOP_BEFORE_START);
  });

  it("keeps rolling deployments for every other service", () => {
    const others = view
      .ofType(SERVICE)
      .map((s) => s.name)
      .filter((name) => !SINGLETONS.includes(name));
    expect(others.length).toBe(4);
    for (const svc of others) expect(limits(view, svc)).toEqual(ROLLING_DEPLOYMENT);
  });
});

it("refuses a desired count above one for a trading service, naming the key and the stack", async () => {
  await expect(
    planLayer("dev", "compute", {
      config: { compute: { "tradai:desiredCounts": JSON.stringify({ "live-trading": 2 }) } },
    }),
  ).rejects.toThrow(/dev[\s\S]*tradai:desiredCounts: live-trading runs at most one task/);
});
