/**
 * The artifact that ships: the foundation layer deploys this function as the esbuild bundle of
 * `src/handler.ts` (zip, `index.handler`). This runs that bundle, not the TypeScript source, against the
 * emulator, in a plain Node process as Lambda would (the SDK's `import("node:http")` cannot run inside
 * jest's VM).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildInlineBundle } from "@tradai/components/inline-lambda";
import { useMoto } from "@tradai/testing";
import type { NatRoutesResult } from "../src/handler";
import {
  createNetwork,
  defaultTargets,
  EC2Client,
  launchSuccessful,
  primaryInterface,
  runInstance,
} from "./fixtures";

describe("update-nat-routes bundle", () => {
  useMoto();

  it("points the routes at the launched instance when run from the deployed bundle", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "update-nat-routes-"));
    const file = path.join(dir, "index.js");
    fs.writeFileSync(file, buildInlineBundle("update-nat-routes"));
    const invoke = (event: unknown): NatRoutesResult => {
      const script =
        "require(process.argv[1]).handler(JSON.parse(process.argv[2]))" +
        ".then((r) => process.stdout.write(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); })";
      const out = execFileSync(process.execPath, ["-e", script, file, JSON.stringify(event)], {
        env: process.env,
        encoding: "utf8",
      });
      return JSON.parse(out) as NatRoutesResult;
    };

    const ec2 = new EC2Client({});
    try {
      const net = await createNetwork(ec2);
      const instance = await runInstance(ec2, net.publicSubnetId);
      process.env.ROUTE_TABLE_IDS = net.routeTableIds.join(",");
      process.env.NAT_ASG_NAME = "tradai-test-nat";
      process.env.POWERTOOLS_LOG_LEVEL = "SILENT";

      const result = invoke(launchSuccessful("tradai-test-nat", instance.InstanceId as string));

      const eni = primaryInterface(instance);
      expect(result.routes.map((r) => r.action)).toEqual(["created", "created"]);
      expect(await defaultTargets(ec2, net.routeTableIds)).toEqual([eni, eni]);
    } finally {
      ec2.destroy();
      for (const key of ["ROUTE_TABLE_IDS", "NAT_ASG_NAME", "POWERTOOLS_LOG_LEVEL"]) delete process.env[key];
    }
  });
});
