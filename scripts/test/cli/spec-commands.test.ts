/**
 * Every `just` recipe the spec's command tables name exists in the justfile, takes the spec's arguments,
 * and delegates to a real `tradai` command (resolved through the commander tree, options included).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { LAYERS, REPO_ROOT } from "../../src/cli/platform";
import { createProgram } from "../../src/cli/program";
import { CapturedIo, testContext } from "./helpers";

interface Recipe {
  name: string;
  required: string[];
  optional: string[];
  body: string[];
}

/** The justfile's recipes: `name param param="default":` followed by indented body lines. */
function parseJustfile(text: string): Map<string, Recipe> {
  const recipes = new Map<string, Recipe>();
  let current: Recipe | undefined;
  for (const line of text.split("\n")) {
    const header = /^([a-z][a-z0-9-]*)((?:\s+[a-z_]+(?:=(?:"[^"]*"|\S+))?)*)\s*:\s*$/.exec(line);
    if (header?.[1]) {
      const params = (header[2] ?? "").trim().split(/\s+/).filter(Boolean);
      current = {
        name: header[1],
        required: params.filter((p) => !p.includes("=")),
        optional: params.filter((p) => p.includes("=")).map((p) => p.split("=")[0] ?? p),
        body: [],
      };
      recipes.set(current.name, current);
    } else if (current && /^\s+\S/.test(line)) {
      current.body.push(line.trim());
    } else if (line.trim() === "" || line.startsWith("#")) {
      current = undefined;
    }
  }
  return recipes;
}

const spec = JSON.parse(
  fs.readFileSync(path.join(__dirname, "fixtures", "spec-commands.json"), "utf8"),
) as Record<string, string[] | string>;
const specEntries = Object.entries(spec)
  .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]))
  .flatMap(([section, commands]) =>
    commands.flatMap((command) => {
      const [name = "", ...args] = command.split(/\s+/);
      const names = name.includes("<layer>") ? LAYERS.map((l) => name.replace("<layer>", l)) : [name];
      return names.map((n) => ({ section, name: n, args: args.map((a) => a.replace(/[<>]/g, "")) }));
    }),
  );
const recipes = parseJustfile(fs.readFileSync(path.join(REPO_ROOT, "justfile"), "utf8"));
const program = createProgram(() => testContext(), new CapturedIo());

const SAMPLE: Record<string, string> = {
  name: "sqs-consumer",
  service: "strategy-service",
  stack: "dev",
  env: "dev",
  layer: "compute",
};

/** Resolves argv to a leaf command, checking its options and positional count. */
function resolve(argv: string[]): Command {
  let command: Command = program;
  let i = 0;
  for (; i < argv.length; i++) {
    const sub = command.commands.find((c) => c.name() === argv[i]);
    if (!sub) break;
    command = sub;
  }
  const positionals: string[] = [];
  for (let j = i; j < argv.length; j++) {
    const arg = argv[j] ?? "";
    if (arg.startsWith("--")) {
      const option = command.options.find((o) => o.long === arg);
      if (!option) throw new Error(`"${command.name()}" has no option ${arg}`);
      if (option.required || option.optional) j++;
    } else {
      positionals.push(arg);
    }
  }
  if (command.commands.length > 0)
    throw new Error(`"${argv.join(" ")}" names a command group, not a command`);
  const args = command.registeredArguments;
  const required = args.filter((a) => a.required).length;
  if (positionals.length < required || positionals.length > args.length) {
    throw new Error(
      `"${argv.join(" ")}": ${positionals.length} arguments, command takes ${required}..${args.length}`,
    );
  }
  return command;
}

function delegation(recipe: Recipe): string[] {
  expect(recipe.body).toHaveLength(1);
  const [pnpm, tradai, ...rest] = (recipe.body[0] ?? "").split(/\s+/);
  expect([pnpm, tradai]).toEqual(["pnpm", "tradai"]);
  return rest
    .map((word) => word.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_m, p: string) => SAMPLE[p] ?? `<${p}>`))
    .filter(Boolean);
}

describe("the spec's command tables", () => {
  it("lists every table's commands", () => {
    expect(specEntries.length).toBeGreaterThanOrEqual(47);
    expect(new Set(specEntries.map((e) => e.section))).toEqual(new Set(["4.2", "5.2", "6", "7"]));
  });

  it.each(specEntries.map((e) => [e.name, e]))(
    "%s has a justfile recipe delegating to a tradai command",
    (_n, entry) => {
      const recipe = recipes.get(entry.name);
      if (!recipe) throw new Error(`justfile has no recipe ${entry.name}`);
      expect(recipe.required).toEqual(entry.args);
      const argv = delegation(recipe);
      expect(argv.join(" ")).not.toContain("<");
      expect(resolve(argv).name()).toBeTruthy();
    },
  );
});

describe("the justfile", () => {
  it("has only recipes that delegate to existing tradai commands", () => {
    for (const recipe of recipes.values()) {
      if (recipe.name === "default") continue;
      expect([recipe.name, resolve(delegation(recipe)).name()]).toEqual([recipe.name, expect.any(String)]);
    }
  });

  it("resolution rejects commands that do not exist", () => {
    expect(() => resolve(["infra", "deploy", "dev"])).toThrow("command group");
    expect(() => resolve(["infra", "up", "compute"])).toThrow("arguments");
    expect(() => resolve(["lambda", "build", "--stack", "dev"])).toThrow("no option --stack");
  });
});
