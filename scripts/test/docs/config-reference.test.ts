/** docs/configuration.md is generated from the zod schemas, their TSDoc and the stack files. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "@tradai/components/platform";
import { z } from "zod";
import {
  CONFIG_PROGRAMS,
  type ConfigProgram,
  describeType,
  keyDocs,
  programReference,
  renderConfigReference,
} from "../../src/docs/config-reference";
import { CONFIG_REFERENCE_PATH, main } from "../../src/docs/config-reference-cli";

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "tradai-config-doc-"));
}

function write(root: string, rel: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

describe("the committed reference", () => {
  it("equals the generated one (run `pnpm docs:config` after changing a schema or a stack file)", () => {
    const committed = fs.readFileSync(path.join(REPO_ROOT, CONFIG_REFERENCE_PATH), "utf8");
    expect(committed).toBe(renderConfigReference(REPO_ROOT));
  });

  it("documents every key of every layer's and the bootstrap project's schema, each with a description", () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, CONFIG_REFERENCE_PATH), "utf8");
    for (const program of CONFIG_PROGRAMS) {
      const section = doc.split(`## ${program.name}\n`)[1]?.split("\n## ")[0] ?? "";
      const shape = z.toJSONSchema(program.schema("prod"), { io: "output", unrepresentable: "any" }) as {
        properties: Record<string, unknown>;
      };
      const keys = Object.keys(shape.properties);
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) {
        const row = section.split("\n").find((l) => l.startsWith(`| \`tradai:${key}\` |`));
        expect({ key, documented: row !== undefined && !row.endsWith("|  |") }).toEqual({
          key,
          documented: true,
        });
      }
    }
  });

  it("shows per-environment defaults and the values the stack files set", () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, CONFIG_REFERENCE_PATH), "utf8");
    expect(doc).toContain(
      "| `tradai:protectData` | boolean | dev: `false`<br>staging: `false`<br>prod: `true` |",
    );
    // Every stack file states its desired counts (what differs between environments lives there).
    expect(doc).toMatch(
      /\| `tradai:desiredCounts` \|[^\n]*\| `\{"backend-api":1,[^\n]*\| `\{"backend-api":1,[^\n]*\| `\{"backend-api":2,[^\n]*\|/,
    );
  });
});

describe("generator", () => {
  const SHARED = `import { z } from "zod";
/**
 * - \`tradai:owner\` (string, optional): who owns
 *   the stack.
 * - \`tradai:<layer>Stack\` (string): the \`<layer>\` stack to read.
 */
export const sharedShape = {
  owner: z.string().optional(),
  /** Its own doc wins over the bullet. */
  persistentStack: z.string().optional(),
  foundationStack: z.string().optional(),
};
`;
  const DEMO = `import { z } from "zod";
import { sharedShape } from "./shared";
export function demoConfigSchema(env: string) {
  return z
    .object({
      ...sharedShape,
      /** Replicas per environment. */
      replicas: z.number().default(env === "prod" ? 3 : 1),
      /**
       * Which mode:
       * \`a\` or \`b\`.
       */
      mode: z.enum(["a", "b"]).default("a"),
    })
    .strict();
}
`;
  const schema = (env: string) =>
    z
      .object({
        owner: z.string().optional(),
        persistentStack: z.string().optional(),
        foundationStack: z.string().optional(),
        replicas: z
          .string()
          .transform(Number)
          .pipe(z.number().int().min(1).max(9))
          .default(env === "prod" ? 3 : 1),
        mode: z.enum(["a", "b"]).default("a"),
      })
      .strict();
  const program: ConfigProgram = {
    name: "demo",
    schemaFile: "config/demo.ts",
    schemaFunction: "demoConfigSchema",
    schema: schema as ConfigProgram["schema"],
    stackDir: "stacks/demo",
  };
  let root: string;
  beforeEach(() => {
    root = tempRoot();
    write(root, "config/shared.ts", SHARED);
    write(root, "config/demo.ts", DEMO);
    write(root, "stacks/demo/Pulumi.dev.yaml", "config:\n  aws:region: eu-west-1\n");
    write(root, "stacks/demo/Pulumi.staging.yaml", "config: {}\n");
    write(root, "stacks/demo/Pulumi.prod.yaml", "config:\n  tradai:replicas: 5\n  tradai:mode: b\n");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("reads each key's TSDoc, following a spread through its import to the bullets of its doc", () => {
    expect(Object.fromEntries(keyDocs(root, program))).toEqual({
      owner: "Who owns the stack. (string, optional)",
      persistentStack: "Its own doc wins over the bullet.",
      foundationStack: "The `foundation` stack to read. (string)",
      replicas: "Replicas per environment.",
      mode: "Which mode: `a` or `b`.",
    });
  });

  it("takes types and per-environment defaults from the schema and values from the stack files", () => {
    const ref = programReference(root, program);
    const replicas = ref.keys.find((k) => k.key === "replicas");
    expect(replicas).toEqual({
      key: "replicas",
      type: "integer 1..9",
      doc: "Replicas per environment.",
      defaults: { dev: 1, staging: 1, prod: 3 },
      set: { prod: 5 },
    });
    expect(ref.keys.find((k) => k.key === "owner")?.defaults).toEqual({
      dev: undefined,
      staging: undefined,
      prod: undefined,
    });
    expect(ref.other).toEqual({ "aws:region": { dev: "eu-west-1" } });
    const md = renderConfigReference(root, [program]);
    expect(md).toContain(
      "| `tradai:replicas` | integer 1..9 | dev: `1`<br>staging: `1`<br>prod: `3` | — | — | `5` | Replicas per environment. |",
    );
    expect(md).toContain("| `tradai:mode` | one of `a`, `b` | `a` | — | — | `b` | Which mode: `a` or `b`. |");
    expect(md).toContain("| `aws:region` | `eu-west-1` | — | — |");
  });

  it("refuses a stack file value the schema refuses, naming the file and the key", () => {
    write(root, "stacks/demo/Pulumi.staging.yaml", "config:\n  tradai:replicas: 12\n");
    expect(() => programReference(root, program)).toThrow(
      /stacks\/demo\/Pulumi\.staging\.yaml is invalid: replicas/,
    );
    write(root, "stacks/demo/Pulumi.staging.yaml", "config:\n  tradai:replicaz: 2\n");
    expect(() => programReference(root, program)).toThrow(/Pulumi\.staging\.yaml is invalid/);
  });

  it("refuses a schema key the source does not declare", () => {
    const extra = {
      ...program,
      schema: ((env: string) => schema(env).extend({ ghost: z.string().optional() })) as never,
    };
    expect(() => programReference(root, extra)).toThrow(/key ghost not found/);
  });

  it("describes types", () => {
    expect(describeType({ type: "number", exclusiveMinimum: 0, maximum: 100 })).toBe("number > 0, <= 100");
    expect(describeType({ type: "array", items: { type: "string" }, minItems: 1 })).toBe(
      "list of string (at least 1)",
    );
    expect(
      describeType({
        type: "object",
        propertyNames: { type: "string", enum: ["x", "y"] },
        additionalProperties: { type: "integer", minimum: 0, maximum: 2 },
      }),
    ).toBe("map from `x`, `y` to integer 0..2");
    expect(describeType({})).toBe("any");
  });
});

describe("docs:config CLI", () => {
  let root: string;
  beforeEach(() => {
    root = tempRoot();
    for (const program of CONFIG_PROGRAMS) {
      const source = fs.readFileSync(path.join(REPO_ROOT, program.schemaFile), "utf8");
      write(root, program.schemaFile, source);
      for (const env of ["dev", "staging", "prod"]) {
        const rel = path.join(program.stackDir, `Pulumi.${env}.yaml`);
        if (fs.existsSync(path.join(REPO_ROOT, rel)))
          write(root, rel, fs.readFileSync(path.join(REPO_ROOT, rel), "utf8"));
      }
    }
    write(
      root,
      "components/src/config/common.ts",
      fs.readFileSync(path.join(REPO_ROOT, "components/src/config/common.ts"), "utf8"),
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("--check fails on a stale file, and passes once the file is regenerated", () => {
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      write(root, CONFIG_REFERENCE_PATH, "# stale\n");
      expect(main(["--check"], root)).toBe(1);
      expect(fs.readFileSync(path.join(root, CONFIG_REFERENCE_PATH), "utf8")).toBe("# stale\n");
      expect(main([], root)).toBe(0);
      expect(main(["--check"], root)).toBe(0);
      expect(main(["--bogus"], root)).toBe(2);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  it("fails without writing when a stack file is invalid", () => {
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      write(root, "stacks/edge/Pulumi.dev.yaml", "config:\n  tradai:wafRateLimit: lots\n");
      expect(main([], root)).toBe(1);
      expect(fs.existsSync(path.join(root, CONFIG_REFERENCE_PATH))).toBe(false);
      expect(String(stderr.mock.calls[0]?.[0])).toContain(
        "stacks/edge/Pulumi.dev.yaml is invalid: wafRateLimit",
      );
    } finally {
      stderr.mockRestore();
    }
  });
});
