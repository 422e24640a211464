import { TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { useMoto } from "@tradai/testing";
import {
  ForeignGroupError,
  InstanceNotFoundError,
  InvalidNatEventError,
  NatRoutesConfigError,
  NoNatInstanceError,
  NoNetworkInterfaceError,
} from "../src/errors";
import { handler, logger, resetClients } from "../src/handler";
import {
  AutoScalingClient,
  createGroup,
  createNetwork,
  defaultTargets,
  describeInstance,
  EC2Client,
  launchSuccessful,
  type Network,
  primaryInterface,
  routeVia,
  runInstance,
} from "./fixtures";

const GROUP = "tradai-test-nat";

describe("update-nat-routes handler", () => {
  useMoto();
  let ec2: EC2Client;
  let net: Network;

  beforeAll(() => {
    logger.setLogLevel("SILENT");
  });

  // Each test builds its own VPC (fresh ids), so the emulator is not reset between tests.
  beforeEach(async () => {
    resetClients();
    ec2 = new EC2Client({});
    net = await createNetwork(ec2);
    process.env.ROUTE_TABLE_IDS = net.routeTableIds.join(",");
    process.env.NAT_ASG_NAME = GROUP;
  });

  afterAll(() => resetClients());

  afterEach(() => {
    ec2.destroy();
    delete process.env.ROUTE_TABLE_IDS;
    delete process.env.NAT_ASG_NAME;
  });

  it("points every private default route at the new instance's interface and disables source/dest check", async () => {
    const old = await runInstance(ec2, net.publicSubnetId);
    const [first, second] = net.routeTableIds as [string, string];
    await routeVia(ec2, first, { eni: primaryInterface(old) }); // the previous NAT instance
    const instance = await runInstance(ec2, net.publicSubnetId);
    const eni = primaryInterface(instance);
    expect((await describeInstance(ec2, instance.InstanceId as string)).SourceDestCheck).toBe(true);

    const result = await handler(launchSuccessful(GROUP, instance.InstanceId as string));

    expect(await defaultTargets(ec2, net.routeTableIds)).toEqual([eni, eni]);
    expect((await describeInstance(ec2, instance.InstanceId as string)).SourceDestCheck).toBe(false);
    expect(result).toEqual({
      instanceId: instance.InstanceId,
      networkInterfaceId: eni,
      sourceDestCheckDisabled: true,
      routes: [
        { routeTableId: first, action: "replaced", previousTarget: primaryInterface(old) },
        { routeTableId: second, action: "created" },
      ],
    });
  });

  it("is idempotent: a second run with the same event changes nothing", async () => {
    const instance = await runInstance(ec2, net.publicSubnetId);
    const event = launchSuccessful(GROUP, instance.InstanceId as string);
    await handler(event);
    const again = await handler(event);
    expect(again.sourceDestCheckDisabled).toBe(false);
    expect(again.routes.map((r) => r.action)).toEqual(["unchanged", "unchanged"]);
    const eni = primaryInterface(instance);
    expect(await defaultTargets(ec2, net.routeTableIds)).toEqual([eni, eni]);
  });

  it("replaces a default route that targets something else (an internet gateway)", async () => {
    const [first] = net.routeTableIds as [string];
    await routeVia(ec2, first, { igw: net.igwId });
    const instance = await runInstance(ec2, net.publicSubnetId);
    const result = await handler(launchSuccessful(GROUP, instance.InstanceId as string));
    expect(result.routes[0]).toEqual({ routeTableId: first, action: "replaced", previousTarget: net.igwId });
    expect((await defaultTargets(ec2, [first]))[0]).toBe(primaryInterface(instance));
  });

  it("fails clearly and changes nothing when the instance has no interface any more (terminated)", async () => {
    const current = await runInstance(ec2, net.publicSubnetId);
    const [first] = net.routeTableIds as [string];
    await routeVia(ec2, first, { eni: primaryInterface(current) });
    const gone = await runInstance(ec2, net.publicSubnetId);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone.InstanceId as string] }));

    const run = handler(launchSuccessful(GROUP, gone.InstanceId as string));
    await expect(run).rejects.toThrow(NoNetworkInterfaceError);
    await expect(run).rejects.toThrow(
      `instance ${gone.InstanceId} (state terminated) has no primary network interface`,
    );
    expect(await defaultTargets(ec2, net.routeTableIds)).toEqual([primaryInterface(current), undefined]);
  });

  it("fails clearly for an instance that does not exist", async () => {
    await expect(handler(launchSuccessful(GROUP, "i-0123456789abcdef0"))).rejects.toThrow(
      new InstanceNotFoundError("i-0123456789abcdef0"),
    );
  });

  it("refuses an event for another Auto Scaling group", async () => {
    const instance = await runInstance(ec2, net.publicSubnetId);
    await expect(
      handler(launchSuccessful("someone-elses-asg", instance.InstanceId as string)),
    ).rejects.toThrow(ForeignGroupError);
    expect(await defaultTargets(ec2, net.routeTableIds)).toEqual([undefined, undefined]);
  });

  it("reconciles from the group's InService instance when asked to", async () => {
    const autoscaling = new AutoScalingClient({});
    try {
      const instanceId = await createGroup(autoscaling, ec2, GROUP, net.publicSubnetId);
      const result = await handler({ action: "reconcile" });
      const eni = primaryInterface(await describeInstance(ec2, instanceId));
      expect(result.instanceId).toBe(instanceId);
      expect(await defaultTargets(ec2, net.routeTableIds)).toEqual([eni, eni]);
    } finally {
      autoscaling.destroy();
    }
  });

  it("fails a reconcile when the group has no instance", async () => {
    process.env.NAT_ASG_NAME = "tradai-test-no-such-group";
    await expect(handler({ action: "reconcile" })).rejects.toThrow(
      new NoNatInstanceError("tradai-test-no-such-group"),
    );
  });

  it("rejects an event that is neither a launch event nor a reconcile request", async () => {
    const event = launchSuccessful(GROUP, "not-an-instance");
    const run = handler(event);
    await expect(run).rejects.toThrow(InvalidNatEventError);
    await expect(run).rejects.toThrow("detail.EC2InstanceId: expected an instance id (i-...)");
    await expect(handler({ "detail-type": "EC2 Instance Terminate Successful" })).rejects.toThrow(
      InvalidNatEventError,
    );
  });

  it("names the missing environment variable", async () => {
    delete process.env.ROUTE_TABLE_IDS;
    process.env.NAT_ASG_NAME = "";
    const run = handler({ action: "reconcile" });
    await expect(run).rejects.toThrow(NatRoutesConfigError);
    await expect(run).rejects.toThrow(/ROUTE_TABLE_IDS is not set; NAT_ASG_NAME must not be empty/);
  });
});
