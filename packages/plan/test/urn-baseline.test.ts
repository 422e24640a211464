import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProgramPlan } from "../src/plan-types";
import { runProgram } from "../src/runtime";
import {
  BASELINE_PROGRAMS,
  type BaselineProgram,
  compareToBaseline,
  planBaselinePrograms,
  type UrnBaseline,
} from "../src/urn-baseline";

const baseline = JSON.parse(
  fs.readFileSync(path.join(__dirname, "fixtures", "urn-baseline.prod.json"), "utf8"),
) as UrnBaseline;

/** A component with one child, under the type token and name the test gives it. */
class Holder extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    new aws.sqs.Queue(`${name}-queue`, {}, { parent: this });
    this.registerOutputs({});
  }
}

async function planOf(program: () => void): Promise<ProgramPlan> {
  const { resources } = await runProgram(
    async () => {
      program();
      return {};
    },
    { project: "tradai-test", env: "prod", config: { "aws:region": "eu-central-1" } },
  );
  return { project: "tradai-test", stack: "prod", layer: "persistent", resources, outputs: {} };
}

describe("the prod plan against the committed URN baseline", () => {
  let plans: Record<BaselineProgram, ProgramPlan>;
  beforeAll(async () => {
    plans = await planBaselinePrograms();
  }, 120_000);

  it.each(BASELINE_PROGRAMS.map((p) => [p]))(
    "%s keeps every baseline resource (same URN or an alias of it), none claimed twice",
    (program) => {
      const result = compareToBaseline(baseline[program], plans[program]);
      // A deliberate removal is accepted by regenerating the baseline (pnpm plan:urn-baseline).
      expect(result.lost).toEqual([]);
      expect(result.claimedTwice).toEqual([]);
    },
  );
});

describe("URN baseline comparison", () => {
  const before = () => new Holder("tradai:old:Holder", "holder");
  let old: string[];
  beforeAll(async () => {
    old = (await planOf(before)).resources.map((r) => r.stateUrn);
  });

  it("records state URNs with the parent's whole type chain (not the mock monitor's last type)", async () => {
    const plan = await planOf(() => {
      const outer = new Holder("tradai:a:Outer", "outer");
      new Holder("tradai:b:Inner", "inner", { parent: outer });
    });
    const queue = plan.resources.find((r) => r.name === "inner-queue");
    expect(queue?.stateUrn).toBe(
      "urn:pulumi:prod::tradai-test::tradai:a:Outer$tradai:b:Inner$aws:sqs/queue:Queue::inner-queue",
    );
  });

  it("reports a renamed type token without an alias as lost, for the component and its child", async () => {
    const plan = await planOf(() => new Holder("tradai:new:Holder", "holder"));
    const result = compareToBaseline(old, plan);
    expect([...result.lost].sort()).toEqual([
      "urn:pulumi:prod::tradai-test::tradai:old:Holder$aws:sqs/queue:Queue::holder-queue",
      "urn:pulumi:prod::tradai-test::tradai:old:Holder::holder",
    ]);
  });

  it("keeps a renamed type token and its children with an alias on the component only", async () => {
    const plan = await planOf(
      () => new Holder("tradai:new:Holder", "holder", { aliases: [{ type: "tradai:old:Holder" }] }),
    );
    const result = compareToBaseline(old, plan);
    expect(result.lost).toEqual([]);
    expect(result.added).toEqual([]);
  });

  it("keeps a renamed component inside a renamed component, with an alias on each", async () => {
    const nested = (outer: string, inner: string, aliased: boolean) =>
      planOf(() => {
        const o = new Holder(outer, "outer", aliased ? { aliases: [{ type: "tradai:a:Outer" }] } : {});
        new Holder(inner, "inner", {
          parent: o,
          ...(aliased ? { aliases: [{ type: "tradai:b:Inner" }] } : {}),
        });
      });
    const before = (await nested("tradai:a:Outer", "tradai:b:Inner", false)).resources.map((r) => r.stateUrn);
    const renamed = await nested("tradai:x:Outer", "tradai:x:Inner", true);
    expect(compareToBaseline(before, renamed).lost).toEqual([]);
    const unaliased = await nested("tradai:x:Outer", "tradai:x:Inner", false);
    expect(compareToBaseline(before, unaliased).lost).toHaveLength(before.length - 1); // all but the stack
  });

  it("keeps a renamed component and its name-prefixed child with a name alias", async () => {
    const plan = await planOf(
      () => new Holder("tradai:old:Holder", "keeper", { aliases: [{ name: "holder" }] }),
    );
    expect(compareToBaseline(old, plan).lost).toEqual([]);
  });
});
