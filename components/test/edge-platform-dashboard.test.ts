import * as pulumi from "@pulumi/pulumi";
import { PlatformDashboard } from "../src/edge/platform-dashboard";
import { capture, expectWellFormed, json, mockPulumi, resolve } from "./harness";

beforeAll(() => mockPulumi());

describe("PlatformDashboard", () => {
  it("serialises the body it is given, Outputs resolved, under the given name", async () => {
    const body = { widgets: [{ type: "text", properties: { markdown: pulumi.output("# TradAI") } }] };
    const c = await capture(
      (opts) => new PlatformDashboard("dashboard", { dashboardName: "tradai-dev-platform", body }, opts),
    );
    expectWellFormed(c, "tradai:edge:PlatformDashboard", "dashboard");
    const dashboard = c.one("aws:cloudwatch/dashboard:Dashboard", "dashboard").inputs;
    expect(dashboard.dashboardName).toBe("tradai-dev-platform");
    expect(json(dashboard.dashboardBody)).toEqual({
      widgets: [{ type: "text", properties: { markdown: "# TradAI" } }],
    });
    expect(await resolve(c.component.name)).toBe("tradai-dev-platform");
  });
});
