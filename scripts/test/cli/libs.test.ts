/** `tradai libs ...`: .npmrc editing, CodeArtifact login, build and publish (recorded npm/tsc). */
import * as fs from "node:fs";
import * as path from "node:path";
import { authTokenKey, setNpmrcKeys } from "../../src/cli/libs/npmrc";
import { runCli } from "../../src/cli/program";
import { type TestContext, tempDir, testContext } from "./helpers";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A checkout holding a small `@tradai/lambda-common` at version 1.2.3. */
function libraryRoot(): string {
  const root = tempDir();
  dirs.push(root);
  const lib = path.join(root, "lambdas", "common");
  fs.mkdirSync(path.join(lib, "src", "schemas"), { recursive: true });
  fs.writeFileSync(
    path.join(lib, "package.json"),
    JSON.stringify({
      name: "@tradai/lambda-common",
      version: "1.2.3",
      private: true,
      main: "src/index.ts",
      exports: {
        ".": "./src/index.ts",
        "./schemas": "./src/schemas/index.ts",
        "./testing": "./testing/index.ts",
      },
      dependencies: { zod: "4.6.7" },
      devDependencies: { "@tradai/testing": "workspace:*" },
    }),
  );
  fs.writeFileSync(
    path.join(lib, "src", "index.ts"),
    'export * from "./schemas";\nexport const answer: number = 42;\n',
  );
  fs.writeFileSync(
    path.join(lib, "src", "schemas", "index.ts"),
    'import { z } from "zod";\nexport const Job = z.object({ jobId: z.string() });\n',
  );
  return root;
}

async function run(ctx: TestContext, ...argv: string[]): Promise<number> {
  return runCli(argv, () => ctx, ctx.io);
}

describe(".npmrc editing", () => {
  it("sets keys in place, keeps other lines, appends new keys and drops duplicates", () => {
    const before =
      "registry=https://registry.npmjs.org/\n@tradai:registry=https://old/\n# comment\n@tradai:registry=dup\n";
    expect(setNpmrcKeys(before, { "@tradai:registry": "https://new/", "//new/:_authToken": "t" })).toBe(
      "registry=https://registry.npmjs.org/\n@tradai:registry=https://new/\n# comment\n//new/:_authToken=t\n",
    );
    expect(setNpmrcKeys("", { a: "1" })).toBe("a=1\n");
  });

  it("derives npm's auth key from the registry URL", () => {
    expect(authTokenKey("https://d-1.d.codeartifact.eu-central-1.amazonaws.com/npm/tradai/")).toBe(
      "//d-1.d.codeartifact.eu-central-1.amazonaws.com/npm/tradai/:_authToken",
    );
    expect(authTokenKey("https://host/npm/repo")).toBe("//host/npm/repo/:_authToken");
  });
});

describe("libs codeartifact-login", () => {
  it("writes the scoped registry and token from the persistent outputs and says when it expires", async () => {
    const ctx = testContext();
    ctx.fake.outputs.set("persistent", {
      codeartifact: {
        value: { domain: "tradai-dev-packages", domainOwner: "111122223333", repository: "tradai" },
        secret: false,
      },
    });
    const dir = tempDir();
    dirs.push(dir);
    const npmrc = path.join(dir, ".npmrc");
    fs.writeFileSync(npmrc, "save-exact=true\n");
    expect(await run(ctx, "libs", "codeartifact-login", "dev", "--npmrc", npmrc)).toBe(0);
    const registry =
      "https://tradai-dev-packages-111122223333.d.codeartifact.eu-central-1.amazonaws.com/npm/tradai/";
    expect(fs.readFileSync(npmrc, "utf8")).toBe(
      `save-exact=true\n@tradai:registry=${registry}\n${authTokenKey(registry)}=token-for-tradai-dev-packages\n`,
    );
    expect(fs.statSync(npmrc).mode & 0o777).toBe(0o600);
    expect(ctx.codeArtifactFake.calls).toContain("token tradai-dev-packages 111122223333 43200");
    expect(ctx.io.stdout.join("\n")).toContain("token expires at 2030-01-01T12:00:00.000Z");
  });

  it("falls back to the persistent layer's names when its outputs cannot be read", async () => {
    const ctx = testContext();
    const dir = tempDir();
    dirs.push(dir);
    expect(
      await run(ctx, "libs", "codeartifact-login", "staging", "--npmrc", path.join(dir, ".npmrc"), "--json"),
    ).toBe(0);
    const result = JSON.parse(ctx.io.stdout.join("\n"));
    expect(result.location).toEqual({ domain: "tradai-staging-packages", repository: "tradai" });
    expect(result.expiresAt).toBe("2030-01-01T12:00:00.000Z");
  });
});

describe("libs build and publish", () => {
  const location = ["--domain", "tradai-dev-packages", "--repository", "tradai"];

  it("build writes a publishable package next to the sources", async () => {
    const ctx = testContext({ root: libraryRoot() });
    expect(await run(ctx, "libs", "build")).toBe(0);
    const out = path.join(ctx.root, "dist", "libs", "lambda-common");
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
    expect(manifest).toMatchObject({
      name: "@tradai/lambda-common",
      version: "1.2.3",
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: { "./schemas": { default: "./dist/schemas/index.js", types: "./dist/schemas/index.d.ts" } },
      dependencies: { zod: "4.6.7" },
    });
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.exports)).toEqual([".", "./schemas"]);
    const js = fs.readFileSync(path.join(out, "dist", "index.js"), "utf8");
    expect(js).toContain('require("zod")');
    expect(js).toContain("42");
    expect(fs.existsSync(path.join(out, "dist", "schemas", "index.js"))).toBe(true);
    const tsc = ctx.execCalls.find((c) => c.args.includes("tsc"));
    expect(tsc?.args).toEqual(
      expect.arrayContaining(["--emitDeclarationOnly", "--outDir", path.join(out, "dist")]),
    );
  });

  it("publish-all skips a version the repository already has", async () => {
    const ctx = testContext({ root: libraryRoot() });
    ctx.codeArtifactFake.versions.set("@tradai/lambda-common", ["1.2.2", "1.2.3"]);
    expect(await run(ctx, "libs", "publish-all", "dev", ...location, "--json")).toBe(0);
    expect(JSON.parse(ctx.io.stdout.join("\n"))).toEqual([
      { name: "@tradai/lambda-common", version: "1.2.3", status: "skipped" },
    ]);
    expect(ctx.execCalls).toEqual([]);
  });

  it("publish-all publishes a new version with a throw-away npm config", async () => {
    const ctx = testContext({ root: libraryRoot() });
    ctx.codeArtifactFake.versions.set("@tradai/lambda-common", ["1.2.2"]);
    expect(await run(ctx, "libs", "publish-all", "dev", ...location, "--json")).toBe(0);
    expect(JSON.parse(ctx.io.stdout.join("\n"))[0].status).toBe("published");
    const publish = ctx.execCalls.find((c) => c.command === "npm");
    const out = path.join(ctx.root, "dist", "libs", "lambda-common");
    expect(publish?.args.slice(0, 4)).toEqual([
      "publish",
      out,
      "--registry",
      "https://tradai-dev-packages-111111111111.d.codeartifact.eu-central-1.amazonaws.com/npm/tradai/",
    ]);
    const userconfig = publish?.args[5] ?? "";
    expect(publish?.args[4]).toBe("--userconfig");
    expect(userconfig.startsWith(ctx.root)).toBe(false);
    expect(fs.existsSync(userconfig)).toBe(false);
  });

  it("publish of an existing version fails and asks for a version bump", async () => {
    const ctx = testContext({ root: libraryRoot() });
    ctx.codeArtifactFake.versions.set("@tradai/lambda-common", ["1.2.3"]);
    expect(await run(ctx, "libs", "publish", "lambda-common", "dev", ...location)).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain('bump "version"');
    expect(ctx.execCalls).toEqual([]);
  });

  it("publish reports a failing npm publish", async () => {
    const ctx = testContext({ root: libraryRoot(), exitCodes: { npm: 1 } });
    expect(await run(ctx, "libs", "publish", "@tradai/lambda-common", "dev", ...location)).toBe(1);
    expect(ctx.io.stderr.join("\n")).toContain("npm publish of @tradai/lambda-common@1.2.3 failed");
  });
});
