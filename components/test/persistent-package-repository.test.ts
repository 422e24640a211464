import { PackageRepository } from "../src/persistent/package-repository";
import { capture, expectWellFormed, mockPulumi } from "./harness";

const DOMAIN = "aws:codeartifact/domain:Domain";
const REPOSITORY = "aws:codeartifact/repository:Repository";

beforeAll(() => mockPulumi({ state: { [DOMAIN]: (inputs) => ({ domain: inputs.domain }) } }));

describe("PackageRepository", () => {
  it("fronts the public npm registry through npm-store by default", async () => {
    const c = await capture(
      (opts) => new PackageRepository("packages", { domainName: "tradai-dev-packages" }, opts),
    );
    expectWellFormed(c, "tradai:persistent:PackageRepository", "packages");
    expect(c.one(DOMAIN, "packages").inputs).toEqual({ domain: "tradai-dev-packages" });
    expect(c.one(REPOSITORY, "packages-npm-store").inputs).toMatchObject({
      domain: "tradai-dev-packages",
      repository: "npm-store",
      externalConnections: { externalConnectionName: "public:npmjs" },
    });
    expect(c.one(REPOSITORY, "packages-npm").inputs).toMatchObject({
      domain: "tradai-dev-packages",
      repository: "tradai",
      upstreams: [{ repositoryName: "npm-store" }],
    });
    for (const r of c.tree.slice(1)) expect(r.opts).not.toHaveProperty("protect");
  });

  it("has no upstream when asked, its own repository name, and protects all three when asked", async () => {
    const c = await capture(
      (opts) =>
        new PackageRepository(
          "own",
          {
            domainName: "tradai-prod-packages",
            repositoryName: "libs",
            npmUpstream: false,
            protectData: true,
          },
          opts,
        ),
    );
    expect(c.ofType(REPOSITORY).map((r) => [r.name, r.inputs.repository, r.inputs.upstreams])).toEqual([
      ["own-npm", "libs", []],
    ]);
    for (const r of c.tree.slice(1)) expect(r.opts).toMatchObject({ protect: true, retainOnDelete: true });
  });
});
