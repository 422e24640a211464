import {
  cheapPulumiDebugStacks,
  type PrepareStackTrace,
  useCheapPulumiDebugStacks,
} from "../src/debug-stacks";

const frame = (name: string) =>
  ({ getFunctionName: () => name, toString: () => `${name} (/x/${name}.js:1:2)` }) as NodeJS.CallSite;

function spyFormatter() {
  const spy = { calls: 0, format: (() => "mapped") as PrepareStackTrace };
  spy.format = () => {
    spy.calls++;
    return "mapped";
  };
  return spy;
}

/** Runs `body` with PULUMI_DEBUG_PROMISE_LEAKS set to `value` (unset for undefined). */
function withLeakReports<T>(value: string | undefined, body: () => T): T {
  const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  if (value === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  else process.env.PULUMI_DEBUG_PROMISE_LEAKS = value;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
  }
}

describe("cheapPulumiDebugStacks", () => {
  /** Formats `frames` with the installed formatter, `other` formatting every other stack. */
  function format(frames: NodeJS.CallSite[], other: PrepareStackTrace | undefined): unknown {
    const target: { prepareStackTrace?: PrepareStackTrace } = {};
    cheapPulumiDebugStacks(target, () => other);
    return target.prepareStackTrace?.(new Error("m"), frames);
  }

  it("does not format the stack Pulumi captures for a resource promise, which only a leak report reads", () => {
    const other = spyFormatter();
    const frames = [frame("debuggablePromise"), frame("registerResource")];
    let formatted = 0;
    for (const f of frames) {
      f.toString = () => {
        formatted++;
        return "frame";
      };
    }
    expect(withLeakReports(undefined, () => format(frames, other.format))).toBe(
      "Error: m\n    at debuggablePromise (frames kept with PULUMI_DEBUG_PROMISE_LEAKS=1)",
    );
    expect({ other: other.calls, frames: formatted }).toEqual({ other: 0, frames: 0 });
  });

  it("formats it as V8 would, without the other formatter, when PULUMI_DEBUG_PROMISE_LEAKS asks for leak reports", () => {
    const other = spyFormatter();
    expect(
      withLeakReports("1", () =>
        format([frame("debuggablePromise"), frame("registerResource")], other.format),
      ),
    ).toBe(
      "Error: m\n    at debuggablePromise (/x/debuggablePromise.js:1:2)\n    at registerResource (/x/registerResource.js:1:2)",
    );
    expect(other.calls).toBe(0);
  });

  it("hands every other stack to the other formatter, or formats it as V8 would when there is none", () => {
    const other = spyFormatter();
    expect(format([frame("handler"), frame("debuggablePromise")], other.format)).toBe("mapped");
    expect(other.calls).toBe(1);
    expect(format([frame("handler")], undefined)).toBe("Error: m\n    at handler (/x/handler.js:1:2)");
  });
});

describe("useCheapPulumiDebugStacks (a planner process)", () => {
  const realm = Error as { prepareStackTrace?: PrepareStackTrace };
  let saved: PrepareStackTrace | undefined;
  beforeEach(() => {
    saved = realm.prepareStackTrace;
  });
  afterEach(() => {
    realm.prepareStackTrace = saved;
  });

  it("puts the cheap formatter in front of the one in place, once however often it is called", () => {
    const before = spyFormatter();
    realm.prepareStackTrace = before.format;
    useCheapPulumiDebugStacks();
    const installed = realm.prepareStackTrace;
    useCheapPulumiDebugStacks();
    expect(realm.prepareStackTrace).toBe(installed);
    expect(installed).not.toBe(before.format);

    const pulumi = withLeakReports(undefined, () =>
      realm.prepareStackTrace?.(new Error("p"), [frame("debuggablePromise")]),
    );
    expect(pulumi).toBe("Error: p\n    at debuggablePromise (frames kept with PULUMI_DEBUG_PROMISE_LEAKS=1)");
    expect(realm.prepareStackTrace?.(new Error("e"), [frame("handler")])).toBe("mapped");
    expect(before.calls).toBe(1);
  });

  it("makes a real Pulumi resource promise's captured stack one line, and leaves other errors' stacks whole", async () => {
    useCheapPulumiDebugStacks();
    const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as {
      debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
    };
    const promise = Promise.resolve(1);
    await withLeakReports(undefined, () => debuggablePromise(promise, "test"));
    const captured = (promise as unknown as { _debugStackTrace: string })._debugStackTrace;
    expect(captured.split("\n")).toHaveLength(2);
    expect(new Error("whole").stack?.split("\n").length).toBeGreaterThan(2);
  });
});
