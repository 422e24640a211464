/**
 * Issue 13's seeded breaks, made for real: the compiler is run over the code on both sides of a
 * boundary with one side edited in memory, and must refuse it. Unlike `compute/test/env-contract.typecheck.ts`
 * (which states the rules as types), this edits the actual files a developer would edit: a variable renamed
 * in a Lambda's env schema only, or in the compute wiring only, and a field removed from a shared domain
 * schema that the services read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const REPO = path.resolve(__dirname, "..", "..");
const at = (file: string) => path.join(REPO, file);

/** The code on both sides of the boundaries below; the compiler follows their imports. */
const ROOTS = [
  "stacks/compute/catalog/functions.ts",
  "lambdas/update-status/src/handler.ts",
  "services/backend/src/main.ts",
  "services/strategy-service/src/main.ts",
].map(at);

type Edit = { file: string; from: string | RegExp; to: string };

const parsed = ts.getParsedCommandLineOfConfigFile(
  at("tsconfig.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  },
);
if (!parsed) throw new Error("tsconfig.json could not be read");
const options = { ...parsed.options, noEmit: true };

/** The files whose errors count: the two sides of each boundary (the rest is only type-checked as needed). */
const CHECKED = /^(stacks\/compute\/catalog|lambdas\/update-status\/src|services\/[^/]+\/src)\//;

/** Parsed files shared by every compile: only the edited file is parsed again. */
const parsedFiles = new Map<string, ts.SourceFile | undefined>();
let previous: ts.Program | undefined;

/** The compute layer's wiring; the services. Each break is checked on the side it must break. */
const COMPUTE_WIRING = /^stacks\/compute\/catalog\//;
const SERVICES = /^services\/[^/]+\/src\//;

/**
 * Type errors in the files `checked` matches (default: both sides of every boundary), with `edits`
 * applied to the files in memory. The checker is lazy, so checking one side skips the other's types.
 */
function compile(edits: Edit[] = [], checked: RegExp = CHECKED): string[] {
  const host = ts.createCompilerHost(options, true);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    const mine = edits.filter((e) => path.resolve(fileName) === at(e.file));
    if (mine.length === 0) {
      if (!parsedFiles.has(fileName))
        parsedFiles.set(fileName, read(fileName, language, onError, shouldCreate));
      return parsedFiles.get(fileName);
    }
    let text = fs.readFileSync(fileName, "utf8");
    for (const edit of mine) {
      const edited = text.replace(edit.from, edit.to);
      if (edited === text) throw new Error(`the seeded edit found no ${String(edit.from)} in ${edit.file}`);
      text = edited;
    }
    return ts.createSourceFile(fileName, text, language, true);
  };
  const program = ts.createProgram({
    rootNames: ROOTS,
    options,
    host,
    ...(previous ? { oldProgram: previous } : {}),
  });
  previous = program;
  return program
    .getSourceFiles()
    .filter((file) => checked.test(path.relative(REPO, file.fileName)))
    .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
    .map((d) => {
      const file = d.file ? path.relative(REPO, d.file.fileName) : "(global)";
      return `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
}

jest.setTimeout(180_000);

describe("seeded breaks fail at compile time", () => {
  it("the code as it is compiles (so each failure below is the edit's)", () => {
    expect(compile()).toEqual([]);
  });

  it("renaming a Lambda's variable in its env schema only: the compute wiring no longer compiles", () => {
    const errors = compile(
      [
        {
          file: "packages/contracts/src/env/lambdas.ts",
          from: /export const UpdateStatusEnv = z\.object\(\{\n {2}JOBS_TABLE:/,
          to: "export const UpdateStatusEnv = z.object({\n  JOB_TABLE:",
        },
      ],
      COMPUTE_WIRING,
    );
    expect(errors.filter((e) => e.startsWith("stacks/compute/catalog/functions.ts:"))).not.toEqual([]);
    expect(errors.join("\n")).toMatch(/JOB_TABLE|JOBS_TABLE/);
  });

  it("renaming a Lambda's variable in the compute wiring only: the wiring no longer compiles", () => {
    const errors = compile(
      [
        {
          file: "stacks/compute/catalog/functions.ts",
          from: "const jobsTable = { JOBS_TABLE: p.tables.jobs.name };",
          to: "const jobsTable = { JOB_TABLE: p.tables.jobs.name };",
        },
      ],
      COMPUTE_WIRING,
    );
    expect(errors.filter((e) => e.startsWith("stacks/compute/catalog/functions.ts:"))).not.toEqual([]);
    expect(errors.join("\n")).toMatch(/JOB_TABLE|JOBS_TABLE/);
  });

  it("removing a field from a shared domain schema: the services that read it no longer compile", () => {
    const errors = compile(
      [{ file: "packages/contracts/src/schemas/backtest.ts", from: "  strategyId: Slug,\n", to: "" }],
      SERVICES,
    );
    const inServices = errors.filter((e) => e.startsWith("services/"));
    expect(inServices.join("\n")).toMatch(/strategyId/);
  });
});
