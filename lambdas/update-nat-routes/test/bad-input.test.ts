/**
 * Property: a malformed trigger (another event, a launch event whose instance id is not in EC2's format
 * `i-` + 8 or 17 hex digits, a group name Auto Scaling would not accept, a reconcile request with extra
 * fields) is rejected with InvalidNatEventError before any route or instance attribute changes.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import {
  badIdentifier,
  expectRejectedWithoutChange,
  notAnObject,
  PROPERTY_RUNS,
  quietLogger,
} from "@tradai/lambda-common/testing";
import { useMoto } from "@tradai/testing";
import * as fc from "fast-check";
import { InvalidNatEventError } from "../src/errors";
import { handler, resetClients } from "../src/handler";
import {
  createNetwork,
  defaultTargets,
  describeInstance,
  launchSuccessful,
  type Network,
  runInstance,
} from "./fixtures";

const GROUP = "tradai-test-nat";

describe("update-nat-routes: bad input", () => {
  useMoto();
  quietLogger();
  let ec2: EC2Client;
  let net: Network;
  let instanceId: string;

  beforeAll(async () => {
    resetClients();
    ec2 = new EC2Client({});
    net = await createNetwork(ec2);
    instanceId = (await runInstance(ec2, net.publicSubnetId)).InstanceId as string;
    process.env.ROUTE_TABLE_IDS = net.routeTableIds.join(",");
    process.env.NAT_ASG_NAME = GROUP;
  });
  afterAll(() => {
    ec2.destroy();
    resetClients();
    delete process.env.ROUTE_TABLE_IDS;
    delete process.env.NAT_ASG_NAME;
  });

  /** What a wrongly accepted event would change: the default routes and the instance's source/dest check. */
  const routing = async () => ({
    routes: await defaultTargets(ec2, net.routeTableIds),
    sourceDestCheck: (await describeInstance(ec2, instanceId)).SourceDestCheck,
  });

  it("rejects every malformed trigger with InvalidNatEventError and changes no route", async () => {
    const valid = launchSuccessful(GROUP, instanceId);
    const events = fc.oneof(
      notAnObject(),
      fc.constantFrom({ action: "repair" }, { action: "reconcile", force: true }, { action: ["reconcile"] }),
      fc
        .oneof(
          badIdentifier(),
          fc.constantFrom("i-0", "i-abc", "i-0123456789abcdef", "i-0123456789ABCDEF0", `${instanceId}0`),
        )
        .map((id) => ({ ...valid, detail: { ...valid.detail, EC2InstanceId: id } })),
      fc
        .constantFrom("", "g".repeat(256), "nat\u0000")
        .map((name) => ({ ...valid, detail: { ...valid.detail, AutoScalingGroupName: name } })),
      fc.constantFrom("EC2 Instance Terminate Successful", "").map((t) => ({ ...valid, "detail-type": t })),
    );
    await fc.assert(
      fc.asyncProperty(events, (event) =>
        expectRejectedWithoutChange(() => handler(event), InvalidNatEventError, routing),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
