/**
 * Issue 13's seeded breaks, made for real: the compiler is run over the code on both sides of a
 * boundary with one side edited in memory, and must refuse it. Unlike `compute/test/env-contract.typecheck.ts`
 * (which states the rules as types), this edits the actual files a developer would edit: a variable renamed
 * in a Lambda's env schema only, or in the compute wiring only, and a field removed from a shared domain
 * schema that the services read.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CompileRequest, EditSet } from "./compile-request";

const REPO = path.resolve(__dirname, "..", "..");
const at = (file: string) => path.join(REPO, file);

/**
 * The program: the code on both sides of the boundaries below (the compute wiring, the update-status
 * Lambda, the two services); the compiler follows their imports.
 */
const PROJECT = path.join(__dirname, "tsconfig.seeded-breaks.json");

type Edit = { file: string; from: string | RegExp; to: string };

/** The files whose errors count: the two sides of each boundary (the rest is only type-checked as needed). */
const CHECKED = /^(stacks\/compute\/catalog|lambdas\/update-status\/src|services\/[^/]+\/src)\//;
/** The compute layer's wiring; the services. Each break is checked on the side it must break. */
const COMPUTE_WIRING = /^stacks\/compute\/catalog\//;
const SERVICES = /^services\/[^/]+\/src\//;

/** One edit set: `edits` applied to the files in memory, errors counted in the files `checked` matches. */
function editSet(edits: Edit[], checked: RegExp): EditSet {
  const texts: Record<string, string> = {};
  for (const edit of edits) {
    const file = at(edit.file);
    const text = texts[file] ?? fs.readFileSync(file, "utf8");
    const edited = text.replace(edit.from, edit.to);
    if (edited === text) throw new Error(`the seeded edit found no ${String(edit.from)} in ${edit.file}`);
    texts[file] = edited;
  }
  return { edits: texts, checked: checked.source };
}

/**
 * Type errors of each edit set, compiled in one session of the compiler (compile-with-edits.mts): the
 * files nothing edits are parsed and checked once.
 */
function compile(sets: EditSet[]): string[][] {
  const request: CompileRequest = { root: REPO, project: PROJECT, sets };
  const child = spawnSync(process.execPath, [path.join(__dirname, "compile-with-edits.mts")], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // Synchronous, so jest's hook timeout cannot interrupt it: bounded here instead.
    timeout: 170_000,
    killSignal: "SIGKILL",
  });
  if (child.status !== 0) {
    const how = child.signal ? `killed by ${child.signal} after 170 s` : `exit ${child.status}`;
    throw new Error(`the compiler failed (${how}): ${child.stderr}`);
  }
  return JSON.parse(child.stdout) as string[][];
}

const BREAKS = {
  envSchemaOnly: editSet(
    [
      {
        file: "packages/contracts/src/env/lambdas.ts",
        from: /export const UpdateStatusEnv = z\.object\(\{\n {2}JOBS_TABLE:/,
        to: "export const UpdateStatusEnv = z.object({\n  JOB_TABLE:",
      },
    ],
    COMPUTE_WIRING,
  ),
  wiringOnly: editSet(
    [
      {
        file: "stacks/compute/catalog/functions.ts",
        from: "const jobsTable = { JOBS_TABLE: p.tables.jobs.name };",
        to: "const jobsTable = { JOB_TABLE: p.tables.jobs.name };",
      },
    ],
    COMPUTE_WIRING,
  ),
  sharedSchemaField: editSet(
    [{ file: "packages/contracts/src/schemas/backtest.ts", from: "  strategyId: Slug,\n", to: "" }],
    SERVICES,
  ),
};

let unedited: string[] = [];
const errors: Record<keyof typeof BREAKS, string[]> = {
  envSchemaOnly: [],
  wiringOnly: [],
  sharedSchemaField: [],
};
beforeAll(() => {
  const names = Object.keys(BREAKS) as (keyof typeof BREAKS)[];
  const [first = [], ...rest] = compile([editSet([], CHECKED), ...names.map((name) => BREAKS[name])]);
  unedited = first;
  for (const [i, name] of names.entries()) errors[name] = rest[i] ?? [];
}, 180_000);

describe("seeded breaks fail at compile time", () => {
  it("the code as it is compiles (so each failure below is the edit's)", () => {
    expect(unedited).toEqual([]);
  });

  it("renaming a Lambda's variable in its env schema only: the compute wiring no longer compiles", () => {
    const wiring = errors.envSchemaOnly.filter((e) => e.startsWith("stacks/compute/catalog/functions.ts:"));
    expect(wiring).not.toEqual([]);
    expect(wiring.join("\n")).toMatch(/JOB_TABLE|JOBS_TABLE/);
  });

  it("renaming a Lambda's variable in the compute wiring only: the wiring no longer compiles", () => {
    const wiring = errors.wiringOnly.filter((e) => e.startsWith("stacks/compute/catalog/functions.ts:"));
    expect(wiring).not.toEqual([]);
    expect(wiring.join("\n")).toMatch(/JOB_TABLE|JOBS_TABLE/);
  });

  it("removing a field from a shared domain schema: the services that read it no longer compile", () => {
    const inServices = errors.sharedSchemaField.filter((e) => e.startsWith("services/"));
    expect(inServices.join("\n")).toMatch(/strategyId/);
  });

  it("refuses an edit that no longer finds its text, naming it", () => {
    expect(() =>
      editSet(
        [{ file: "stacks/compute/catalog/functions.ts", from: "no such text", to: "" }],
        COMPUTE_WIRING,
      ),
    ).toThrow("the seeded edit found no no such text in stacks/compute/catalog/functions.ts");
  });
});
