/**
 * Each flow on a copy of the dev plan with one wire cut must fail: the flows test the wiring the plan
 * declares, not something the local platform supplies on its own.
 */

import type { EnvironmentPlan } from "../src/plan-source";
import { backtestFlow, refusalsFlow, retrainingFlow, tradingFlow } from "./flows";
import { mutatedPlan, plannedResource, usePlatform } from "./harness";
import { scaledTradingTimings } from "./timings";

jest.setTimeout(300_000);

/** Rewrites one environment variable of a planned task definition's first container. */
function setTaskEnv(
  plan: EnvironmentPlan,
  taskDefinition: string,
  name: string,
  value: (old: string) => string,
): void {
  const td = plannedResource(plan, "aws:ecs/taskDefinition:TaskDefinition", taskDefinition);
  const containers = JSON.parse(String(td.inputs.containerDefinitions)) as {
    environment: { name: string; value: string }[];
  }[];
  const entry = containers[0]?.environment.find((e) => e.name === name);
  if (!entry) throw new Error(`${taskDefinition} has no ${name}`);
  entry.value = value(entry.value);
  td.inputs.containerDefinitions = JSON.stringify(containers);
}

describe("flow 1 with the backtest task reporting to a misnamed results queue", () => {
  const platform = usePlatform({
    services: ["backend-api"],
    planDir: () =>
      mutatedPlan((plan) =>
        setTaskEnv(plan, "backtest-task", "BACKTEST_RESULTS_QUEUE_URL", (url) =>
          url.replace(/results$/, "result"),
        ),
      ),
  });
  it("never records a result", async () => {
    await expect(backtestFlow(platform(), 90_000)).rejects.toThrow(/ended FAILED but no result was recorded/);
  });
});

describe("flow 2 with the CompareModels state missing from the ASL", () => {
  const platform = usePlatform({
    services: ["mlflow"],
    planDir: () =>
      mutatedPlan((plan) => {
        const machine = plannedResource(plan, "aws:sfn/stateMachine:StateMachine", "retraining");
        const definition = JSON.parse(String(machine.inputs.definition)) as {
          States: Record<string, unknown>;
        };
        delete definition.States.CompareModels;
        machine.inputs.definition = JSON.stringify(definition);
      }),
  });
  it("fails the execution instead of promoting", async () => {
    await expect(retrainingFlow(platform(), 120_000)).rejects.toThrow(/retraining execution FAILED/);
  });
});

describe("flow 3 with trading-heartbeat-check reading a misnamed heartbeats table", () => {
  const platform = usePlatform({
    services: ["dry-run-trading"],
    planDir: () =>
      mutatedPlan((plan) => {
        scaledTradingTimings(plan);
        const check = plannedResource(plan, "aws:lambda/function:Function", "trading-heartbeat-check");
        const variables = (check.inputs.environment as { variables: Record<string, string> }).variables;
        variables.HEARTBEATS_TABLE = `${variables.HEARTBEATS_TABLE}-old`;
      }),
  });
  it("cannot check the heartbeats, so never alerts", async () => {
    await expect(tradingFlow(platform())).rejects.toThrow(/ResourceNotFound|not found|does not exist/i);
  });
});

describe("flow 4 with the API integration on the wrong load balancer port", () => {
  const platform = usePlatform({
    services: ["backend-api"],
    planDir: () =>
      mutatedPlan((plan) => {
        const integration = plannedResource(
          plan,
          "aws:apigateway/integration:Integration",
          "api-v1-proxy-any",
        );
        integration.inputs.uri = String(integration.inputs.uri).replace(
          ".elb.amazonaws.com/",
          ".elb.amazonaws.com:8080/",
        );
      }),
  });
  it("no longer passes the request the plan accepts", async () => {
    const flow = await refusalsFlow(platform());
    expect(flow.good.status).not.toBe(200);
  });
});
