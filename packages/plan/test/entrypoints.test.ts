import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, stackDir } from "@tradai/components/platform";
import { LAYERS } from "@tradai/contracts";
import { parse as parseYaml } from "yaml";

/**
 * How `pulumi up` loads a CommonJS TypeScript program (@pulumi/pulumi cmd/run): `require(<project dir>)`,
 * then it calls the export only if the export itself is a function. An `export default` would be an
 * object here and the stack would deploy nothing, so each program must be `export = async function`.
 */
const programs = [
  ...LAYERS.map((layer) => ({ name: layer, project: stackDir(layer), dir: stackDir(layer) })),
  { name: "bootstrap", project: REPO_ROOT, dir: path.join(REPO_ROOT, "stacks", "bootstrap") },
];

describe.each(programs)("the $name program as the Pulumi engine loads it", ({ project, dir }) => {
  it("is the module's export itself, a function", () => {
    const exported: unknown = require(dir);
    expect(typeof exported).toBe("function");
  });

  it("is what the project's Pulumi.yaml runs, with the TypeScript runtime", () => {
    const doc = parseYaml(fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8")) as {
      main?: string;
      runtime: { name: string; options?: { typescript?: boolean } };
    };
    expect(doc.runtime.name).toBe("nodejs");
    expect(doc.runtime.options?.typescript).toBe(true);
    expect(path.resolve(project, doc.main ?? ".")).toBe(path.resolve(dir));
    expect(fs.existsSync(path.join(dir, "index.ts"))).toBe(true);
  });
});
