import { requireExactKeys, requireKey } from "../src/edge/upstream";

describe("upstream lookups", () => {
  it("names the missing key and the keys that exist", () => {
    expect(requireKey({ a: 1 }, "a", "x")).toBe(1);
    expect(() => requireKey({ a: 1, b: 2 }, "c", "compute output `services`")).toThrow(
      'compute output `services` has no "c" (has: a, b)',
    );
  });

  it("refuses a record whose keys differ from the expected ones, listing both sides", () => {
    expect(() => requireExactKeys({ a: 1, b: 2 }, ["b", "a"], "fns")).not.toThrow();
    expect(() =>
      requireExactKeys({ a: 1, ghost: 2 }, ["a", "health-check"], "compute output `functions`"),
    ).toThrow(
      "compute output `functions` does not match this checkout (missing: health-check; unexpected: ghost)",
    );
  });
});
