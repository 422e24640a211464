import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

// A plain require: an `import ts from` reads `__esModule` from the module, which is a first use.
const ts = require("typescript") as typeof import("typescript");
const LOADED = Symbol.for("tradai.lazyTypescript.loaded");
const loaded = () => (ts as unknown as Record<symbol, boolean>)[LOADED];
const realVersion = (
  JSON.parse(
    fs.readFileSync(
      path.join(path.dirname(require.resolve("typescript/package.json")), "package.json"),
      "utf8",
    ),
  ) as { version: string }
).version;

describe("typescript in test files", () => {
  it("is not evaluated when @pulumi/pulumi loads, and is the real module on first use", async () => {
    expect(pulumi.runtime).toBeDefined();
    expect(loaded()).toBe(false);
    expect(ts.version).toBe(realVersion);
    expect(loaded()).toBe(true);
    const source = ts.createSourceFile("x.ts", "const a: number = 1;", ts.ScriptTarget.Latest);
    expect(source.statements).toHaveLength(1);
  });

  it("serves Pulumi's closure serialization, which parses functions with it", async () => {
    const answer = 42;
    const serialized = await pulumi.runtime.serializeFunction(() => answer);
    expect(serialized.text).toContain("answer");
    expect(serialized.text).toContain("42");
  });
});
