import * as fs from "node:fs";
import { buildInlineBundle, bundleInlineLambda, inlineBundlePath } from "../src/foundation/inline-lambda";

describe("inline Lambda bundles", () => {
  it("builds update-nat-routes deterministically into one file exporting the handler", async () => {
    const first = buildInlineBundle("update-nat-routes");
    const second = buildInlineBundle("update-nat-routes");
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(first.byteLength).toBeGreaterThan(10_000);

    const archive = bundleInlineLambda("update-nat-routes");
    const file = inlineBundlePath("update-nat-routes");
    expect(Buffer.from(fs.readFileSync(file)).equals(Buffer.from(first))).toBe(true);
    expect(Object.keys(await archive.assets)).toEqual(["index.js"]);
    const mod = require(file) as { handler?: unknown };
    expect(typeof mod.handler).toBe("function");
  });

  it("names the missing source", () => {
    expect(() => buildInlineBundle("no-such-lambda")).toThrow(
      /inline Lambda "no-such-lambda": .*handler\.ts does not exist/,
    );
  });
});
