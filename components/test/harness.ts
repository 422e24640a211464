/**
 * Runs one component under Pulumi mocks, in the style of pulumi-awsx's unit tests, and returns what it
 * registered: each resource's type, logical name, resolved inputs (as the mock monitor received them),
 * its options and its parent. No layer program runs, so a component test takes a second or two.
 *
 * The parent and options come from a resource transformation given to the component: Pulumi passes a
 * component's transformations down to every resource created with it as (grand)parent, so a child created
 * without `parent: this` is missing from `tree` while the mock monitor still sees it (`orphans`).
 */
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT_ID = "123456789012";
export const REGION = "eu-central-1";

type Answer = (inputs: Record<string, unknown>) => Record<string, unknown>;

/** Invokes answered by every test (more through {@link mockPulumi}'s `calls`). */
const BASE_CALLS: Record<string, Answer> = {
  "aws:index/getRegion:getRegion": () => ({ name: REGION, region: REGION, id: REGION }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: ACCOUNT_ID,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`,
    userId: "AIDTEST",
    id: ACCOUNT_ID,
  }),
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    zoneIds: ["euc1-az2", "euc1-az3", "euc1-az1"],
    id: REGION,
  }),
  // What an image component pushes with (docker-build's registry login).
  "aws:ecr/getAuthorizationToken:getAuthorizationToken": () => ({
    userName: "AWS",
    password: "token",
    authorizationToken: "x",
    proxyEndpoint: "https://x",
    expiresAt: "later",
    id: "t",
  }),
};

/** The ARN-ish identifier the mocks give a resource (its service from the type token). */
export function mockArn(type: string, name: string): string {
  const service = type.split(":")[1]?.split("/")[0] ?? "test";
  return `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${name}`;
}

interface Received {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

let received: Received[] = [];

export interface MockOptions {
  /** Answers to further invokes, by token. */
  calls?: Record<string, Answer>;
  /** Further output state of resources of a type (beyond inputs, id, name and ARN). */
  state?: Record<string, Answer>;
}

/**
 * Installs the mocks (call once per test file, before creating resources). Every resource gets an id,
 * an ARN and its inputs back as state.
 */
export function mockPulumi(options: MockOptions = {}): void {
  const answers = { ...BASE_CALLS, ...options.calls };
  const extra = options.state ?? {};
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        received.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const inputs = args.inputs as Record<string, unknown>;
        const name = typeof inputs.name === "string" ? inputs.name : args.name;
        return {
          id: `${args.name}-id`,
          state: {
            ...inputs,
            name,
            arn: mockArn(args.type, name),
            ...(args.type === "aws:sqs/queue:Queue" ? { url: `https://sqs.${REGION}/${name}` } : {}),
            ...extra[args.type]?.(inputs),
          },
        };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const answer = answers[args.token];
        if (!answer) throw new Error(`harness: no mock for the invoke ${args.token}`);
        return answer(args.inputs as Record<string, unknown>);
      },
    },
    "components-test",
    "test",
    false,
  );
}

/** `value` with each secret replaced by its plain value (`rawInputs` keeps the secret markers). */
function unsecret(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unsecret);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unsecret(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unsecret(v)]));
}

/** Whether an input the mock monitor received is (or contains, at its top level) a secret. */
export function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** One resource the component registered. */
export interface Registered {
  type: string;
  name: string;
  /** The inputs the engine would receive (Outputs resolved). */
  // biome-ignore lint/suspicious/noExplicitAny: assertions walk the resolved inputs of any resource type.
  inputs: Record<string, any>;
  /** The inputs with secrets still marked (see {@link isSecret}). */
  rawInputs: Record<string, unknown>;
  opts: pulumi.CustomResourceOptions;
  resource: pulumi.Resource;
  /** The parent's logical name and type; undefined for the component itself. */
  parent: { name: string; type: string } | undefined;
}

export interface Captured<T> {
  component: T;
  /** The component and every resource under it, in registration order. */
  tree: Registered[];
  /** Resources the mock monitor received that are not under the component (a missing `parent`). */
  orphans: string[];
  /** Resources of `type` under the component. */
  ofType(type: string): Registered[];
  /** The one resource of `type` named `name` (throws when absent, so a renamed resource fails loudly). */
  one(type: string, name: string): Registered;
}

/** The plain value of an Output (every value is known under mocks). */
export function resolve<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((done) => {
    pulumi.output(value).apply((plain) => {
      done(plain as pulumi.Unwrap<T>);
      return plain;
    });
  });
}

/** Parses a JSON document input (IAM policies, redrive policies, dashboard bodies). */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary JSON.
export function json(value: unknown): any {
  if (typeof value !== "string") throw new Error(`expected a JSON string, got ${typeof value}`);
  return JSON.parse(value);
}

/** Waits until the runtime's queue of registrations has drained (`waitForRPCs`, as the plan does). */
async function waitForRegistrations(): Promise<void> {
  const settings = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (typeof settings.waitForRPCs !== "function") {
    throw new Error(
      "harness: @pulumi/pulumi no longer exposes waitForRPCs; update components/test/harness.ts",
    );
  }
  await settings.waitForRPCs();
}

/**
 * Creates the component (`build` must pass the given options to it) and waits until it and everything
 * under it is registered.
 */
export async function capture<T extends pulumi.ComponentResource>(
  build: (opts: pulumi.ComponentResourceOptions) => T,
): Promise<Captured<T>> {
  received = [];
  const seen: { resource: pulumi.Resource; type: string; name: string; opts: pulumi.ResourceOptions }[] = [];
  const component = build({
    transformations: [
      (args) => {
        seen.push({ resource: args.resource, type: args.type, name: args.name, opts: args.opts });
        return undefined;
      },
    ],
  });
  // Resources may be created inside `apply`: wait until a round registers nothing new, then until the
  // mock monitor has answered every registration (also of resources created outside the component).
  let settled = -1;
  while (settled !== seen.length) {
    settled = seen.length;
    await Promise.all(seen.map((s) => resolve(s.resource.urn)));
  }
  await waitForRegistrations();
  const byResource = new Map(seen.map((s) => [s.resource, s]));
  const key = (type: string, name: string) => `${type}::${name}`;
  const inputs = new Map<string, Record<string, unknown>>();
  for (const r of received) {
    if (inputs.has(key(r.type, r.name))) throw new Error(`harness: ${key(r.type, r.name)} registered twice`);
    inputs.set(key(r.type, r.name), r.inputs);
  }
  const tree: Registered[] = seen.map((s) => {
    const parent = s.resource === component ? undefined : s.opts.parent && byResource.get(s.opts.parent);
    return {
      type: s.type,
      name: s.name,
      inputs: unsecret(inputs.get(key(s.type, s.name)) ?? {}) as Record<string, unknown>,
      rawInputs: inputs.get(key(s.type, s.name)) ?? {},
      opts: s.opts as pulumi.CustomResourceOptions,
      resource: s.resource,
      parent: parent ? { name: parent.name, type: parent.type } : undefined,
    };
  });
  const inTree = new Set(tree.map((r) => key(r.type, r.name)));
  const orphans = received.map((r) => key(r.type, r.name)).filter((k) => !inTree.has(k));
  const ofType = (type: string) => tree.filter((r) => r.type === type);
  return {
    component,
    tree,
    orphans,
    ofType,
    one(type, name) {
      const found = ofType(type).filter((r) => r.name === name);
      if (found.length !== 1) {
        const names = ofType(type).map((r) => r.name);
        throw new Error(
          `expected one ${type} named ${name}; found ${found.length} (names: ${names.join(", ")})`,
        );
      }
      return found[0] as Registered;
    },
  };
}

/**
 * Runs a `build` expected to throw on bad arguments; returns the error and every resource the mock
 * monitor received meanwhile (bad input must change nothing: at most the component itself).
 */
export async function captureFailure(build: () => unknown): Promise<{ error: Error; registered: string[] }> {
  received = [];
  let error: unknown;
  try {
    build();
  } catch (thrown) {
    error = thrown;
  }
  await waitForRegistrations();
  if (!(error instanceof Error)) throw new Error("harness: expected the build to throw an Error");
  return { error, registered: received.map((r) => `${r.type}::${r.name}`) };
}

/**
 * What every component promises: its type token, every resource under it parented (directly or through a
 * child component) and nothing registered outside it, and each custom resource named after the component.
 */
export function expectWellFormed(
  captured: Captured<pulumi.ComponentResource>,
  type: string,
  name: string,
): void {
  const [root, ...children] = captured.tree;
  expect(root).toMatchObject({ type, name, parent: undefined });
  expect(captured.orphans).toEqual([]);
  for (const child of children) {
    expect({ resource: `${child.type}::${child.name}`, parented: child.parent !== undefined }).toEqual({
      resource: `${child.type}::${child.name}`,
      parented: true,
    });
    expect(child.name.startsWith(name)).toBe(true);
  }
}
