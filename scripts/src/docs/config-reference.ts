/**
 * Generates docs/configuration.md: every stack config key of every layer and of the root project
 * `tradai-bootstrap`, with its type and per-environment default (from the zod schemas in
 * `components/src/config`), its documentation (the TSDoc comment above the key, read with the TypeScript
 * compiler API) and the value each `Pulumi.<env>.yaml` sets. Each stack file's values are validated by the
 * schema on the way, so the reference never shows a value the program would refuse.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { bootstrapConfigSchema } from "@tradai/components/config/bootstrap";
import { computeConfigSchema } from "@tradai/components/config/compute";
import { edgeConfigSchema } from "@tradai/components/config/edge";
import { foundationConfigSchema } from "@tradai/components/config/foundation";
import { persistentConfigSchema } from "@tradai/components/config/persistent";
import { ENVIRONMENTS, type Environment } from "@tradai/contracts";
import * as ts from "typescript";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** One program whose stack configuration is documented. */
export interface ConfigProgram {
  /** Heading: the layer, or `bootstrap` for the root project. */
  name: string;
  /** Source of the schema function, relative to the repository root. */
  schemaFile: string;
  /** Name of the exported schema function in it, e.g. `persistentConfigSchema`. */
  schemaFunction: string;
  schema: (env: Environment) => z.ZodType;
  /** Directory holding `Pulumi.<env>.yaml`, relative to the repository root. */
  stackDir: string;
}

export const CONFIG_PROGRAMS: readonly ConfigProgram[] = [
  {
    name: "bootstrap",
    schemaFile: "components/src/config/bootstrap.ts",
    schemaFunction: "bootstrapConfigSchema",
    schema: bootstrapConfigSchema,
    stackDir: ".",
  },
  ...(
    [
      ["persistent", persistentConfigSchema],
      ["foundation", foundationConfigSchema],
      ["compute", computeConfigSchema],
      ["edge", edgeConfigSchema],
    ] as const
  ).map(([layer, schema]) => ({
    name: layer,
    schemaFile: `components/src/config/${layer}.ts`,
    schemaFunction: `${layer}ConfigSchema`,
    schema,
    stackDir: `stacks/${layer}`,
  })),
];

const NAMESPACE = "tradai";

// --- documentation from the TSDoc comments -------------------------------------------------------------

/** The text of the `/** ... *\/` comment directly above `node`, without the comment syntax. */
function tsdocAbove(node: ts.Node, source: ts.SourceFile): string | undefined {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const doc = ranges.filter((r) => source.text.startsWith("/**", r.pos)).at(-1);
  if (!doc) return undefined;
  return source.text
    .slice(doc.pos + 3, doc.end - 2)
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, "").trimEnd())
    .join("\n")
    .trim();
}

/**
 * A doc that lists keys as bullets (`` - `tradai:key` (...): text ``), as the shared keys' doc does:
 * key (with `<layer>` as a pattern) -> text.
 */
function bulletDocs(doc: string): { pattern: RegExp; text: string }[] {
  const bullets = doc.split(/\n(?=- `)/).filter((b) => b.startsWith("- `"));
  return bullets.flatMap((bullet) => {
    const match = /^- `tradai:([^`]+)`\s*(\(([^)]*)\))?:?\s*([\s\S]*)$/.exec(bullet);
    if (!match?.[1]) return [];
    const key = match[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("<layer>", "([a-z]+)");
    const note = match[3] ? ` (${match[3]})` : "";
    const text = (match[4] ?? "").replace(/\s+/g, " ").trim();
    return [
      { pattern: new RegExp(`^${key}$`), text: `${text.charAt(0).toUpperCase()}${text.slice(1)}${note}` },
    ];
  });
}

function findVariable(source: ts.SourceFile, name: string): ts.VariableStatement | undefined {
  return source.statements.find(
    (s): s is ts.VariableStatement =>
      ts.isVariableStatement(s) &&
      s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name),
  );
}

function readSource(root: string, file: string): ts.SourceFile {
  const full = path.join(root, file);
  return ts.createSourceFile(full, fs.readFileSync(full, "utf8"), ts.ScriptTarget.ES2022, true);
}

/** The first `z.object({...})` literal inside `node`. */
function objectLiteralOf(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (n: ts.Node) => {
    if (found) return;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === "object" &&
      ts.isIdentifier(n.expression.expression) &&
      n.expression.expression.text === "z"
    ) {
      const arg = n.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) {
        found = arg;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/**
 * Key -> documentation for the object a schema function builds: each property's TSDoc; for a spread
 * (`...commonConfigShape`, resolved through its import) each key's doc is the property's own TSDoc or the
 * bullet naming it in the spread object's doc.
 */
export function keyDocs(root: string, program: Pick<ConfigProgram, "schemaFile" | "schemaFunction">) {
  const source = readSource(root, program.schemaFile);
  const fn = source.statements.find(
    (s): s is ts.FunctionDeclaration =>
      ts.isFunctionDeclaration(s) && s.name?.text === program.schemaFunction,
  );
  if (!fn) throw new Error(`${program.schemaFile}: no function ${program.schemaFunction}`);
  const literal = objectLiteralOf(fn);
  if (!literal) throw new Error(`${program.schemaFile}: ${program.schemaFunction} builds no z.object({...})`);
  const docs = new Map<string, string>();
  collect(root, source, literal, [], docs);
  return docs;
}

function collect(
  root: string,
  source: ts.SourceFile,
  literal: ts.ObjectLiteralExpression,
  bullets: { pattern: RegExp; text: string }[],
  docs: Map<string, string>,
) {
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property) && ts.isIdentifier(property.expression)) {
      const spread = resolveSpread(root, source, property.expression.text);
      collect(root, spread.source, spread.literal, bulletDocs(spread.doc), docs);
      continue;
    }
    if (!property.name) continue;
    const key = propertyName(property.name);
    if (!key) continue;
    const own = tsdocAbove(property, source)?.replace(/\s+/g, " ");
    // A bullet written for `<layer>Stack` reads with the key's own layer in place of `<layer>`.
    const matched = bullets.map((b) => ({ b, m: b.pattern.exec(key) })).find(({ m }) => m);
    const bullet = matched ? matched.b.text.replaceAll("<layer>", matched.m?.[1] ?? "<layer>") : undefined;
    docs.set(key, own ?? bullet ?? "");
  }
}

/** Follows `import { name } from "./module"` to `export const name = { ... }`. */
function resolveSpread(root: string, source: ts.SourceFile, name: string) {
  let file = source.fileName;
  if (!findVariable(source, name)) {
    const from = source.statements
      .filter(ts.isImportDeclaration)
      .find((i) =>
        i.importClause?.namedBindings && ts.isNamedImports(i.importClause.namedBindings)
          ? i.importClause.namedBindings.elements.some((e) => e.name.text === name)
          : false,
      );
    if (!from || !ts.isStringLiteral(from.moduleSpecifier)) {
      throw new Error(`${source.fileName}: cannot resolve the spread ...${name}`);
    }
    file = path.resolve(path.dirname(source.fileName), `${from.moduleSpecifier.text}.ts`);
  }
  const target = readSource(root, path.relative(root, file));
  const statement = findVariable(target, name);
  const declaration = statement?.declarationList.declarations[0];
  const literal = declaration?.initializer;
  if (!statement || !literal || !ts.isObjectLiteralExpression(literal)) {
    throw new Error(`${target.fileName}: ${name} is not an object literal`);
  }
  return { source: target, literal, doc: tsdocAbove(statement, target) ?? "" };
}

// --- types and defaults from the zod schemas ---------------------------------------------------------

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  propertyNames?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
}

const BIG = 1_000_000_000_000;

function range(s: JsonSchema): string {
  const parts: string[] = [];
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.minimum !== undefined && s.maximum !== undefined && s.maximum < BIG)
    return `${s.minimum}..${s.maximum}`;
  if (s.minimum !== undefined) parts.push(`>= ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < BIG) parts.push(`<= ${s.maximum}`);
  return parts.join(", ");
}

/** A short type description of one key's output schema (JSON Schema from zod). */
export function describeType(s: JsonSchema): string {
  if (s.enum) return `one of ${s.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  switch (s.type) {
    case "boolean":
      return "boolean";
    case "integer":
    case "number": {
      const r = range(s);
      return r ? `${s.type} ${r}` : s.type;
    }
    case "string":
      if (s.format === "email") return "email address";
      return "string";
    case "array": {
      const min = s.minItems ? ` (at least ${s.minItems})` : "";
      return `list of ${s.items ? describeType(s.items) : "values"}${min}`;
    }
    case "object": {
      if (s.properties) {
        const fields = Object.entries(s.properties).map(([k, v]) => `${k}: ${describeType(v)}`);
        return `{ ${fields.join("; ")} }`;
      }
      const names = s.propertyNames;
      const keys = names?.enum ? names.enum.map((v) => `\`${String(v)}\``).join(", ") : "string";
      const values =
        typeof s.additionalProperties === "object" ? describeType(s.additionalProperties) : "value";
      return `map from ${keys} to ${values}`;
    }
    default:
      return "any";
  }
}

/** Stack config as the program receives it: strings, lists and maps as JSON (as Pulumi passes them). */
export function stackConfig(file: string): { tradai: Record<string, string>; other: Record<string, string> } {
  const tradai: Record<string, string> = {};
  const other: Record<string, string> = {};
  if (!fs.existsSync(file)) return { tradai, other };
  const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const text = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    if (key.startsWith(`${NAMESPACE}:`)) tradai[key.slice(NAMESPACE.length + 1)] = text;
    else other[key] = text;
  }
  return { tradai, other };
}

export interface KeyReference {
  key: string;
  type: string;
  doc: string;
  /** Default per environment, undefined when the key has none (optional). */
  defaults: Record<Environment, unknown>;
  /** Value set in each `Pulumi.<env>.yaml`, as written there. */
  set: Partial<Record<Environment, unknown>>;
}

export interface ProgramReference {
  program: ConfigProgram;
  keys: KeyReference[];
  /** Keys of other namespaces (e.g. `aws:region`) per environment. */
  other: Record<string, Partial<Record<Environment, string>>>;
}

/** Builds the reference of one program; throws when a stack file sets a value its schema refuses. */
export function programReference(root: string, program: ConfigProgram): ProgramReference {
  const docs = keyDocs(root, program);
  const json = z.toJSONSchema(program.schema("dev"), { io: "output", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchema>;
  };
  const properties = json.properties ?? {};
  const defaults = Object.fromEntries(
    ENVIRONMENTS.map((env) => [env, program.schema(env).parse({}) as Record<string, unknown>]),
  ) as Record<Environment, Record<string, unknown>>;
  const other: ProgramReference["other"] = {};
  const set: Partial<Record<Environment, Record<string, unknown>>> = {};
  for (const env of ENVIRONMENTS) {
    const file = path.join(root, program.stackDir, `Pulumi.${env}.yaml`);
    const config = stackConfig(file);
    const result = program.schema(env).safeParse(config.tradai);
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new Error(`${path.relative(root, file)} is invalid: ${problems.join("; ")}`);
    }
    const raw = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    set[env] = Object.fromEntries(
      Object.entries(raw.config ?? {})
        .filter(([k]) => k.startsWith(`${NAMESPACE}:`))
        .map(([k, v]) => [k.slice(NAMESPACE.length + 1), v]),
    );
    for (const [key, value] of Object.entries(config.other)) {
      other[key] = { ...other[key], [env]: value };
    }
  }
  const keys = Object.keys(properties).map((key) => {
    const doc = docs.get(key);
    if (doc === undefined) throw new Error(`${program.schemaFile}: key ${key} not found in the source`);
    return {
      key,
      type: describeType(properties[key] ?? {}),
      doc,
      defaults: Object.fromEntries(ENVIRONMENTS.map((env) => [env, defaults[env][key]])) as Record<
        Environment,
        unknown
      >,
      set: Object.fromEntries(
        ENVIRONMENTS.filter((env) => set[env]?.[key] !== undefined).map((env) => [env, set[env]?.[key]]),
      ),
    };
  });
  return { program, keys, other };
}

// --- markdown -----------------------------------------------------------------------------------------

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function value(v: unknown): string {
  if (v === undefined) return "none";
  return `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;
}

function defaultsText(defaults: Record<Environment, unknown>): string {
  const texts = ENVIRONMENTS.map((env) => value(defaults[env]));
  if (texts.every((t) => t === texts[0])) return texts[0] ?? "none";
  return ENVIRONMENTS.map((env, i) => `${env}: ${texts[i]}`).join("<br>");
}

function programSection(ref: ProgramReference): string[] {
  const { program } = ref;
  const where =
    program.stackDir === "."
      ? "root project `tradai-bootstrap` (`Pulumi.yaml` at the repository root, program `stacks/bootstrap`)"
      : `\`${program.stackDir}\``;
  const lines = [
    `## ${program.name}`,
    "",
    `Stack files: ${where}, \`Pulumi.<env>.yaml\`. Schema: \`${program.schemaFunction}\` in \`${program.schemaFile}\`.`,
    "",
    "| key | type | default | dev | staging | prod | description |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const k of ref.keys) {
    const envs = ENVIRONMENTS.map((env) => (env in k.set ? value(k.set[env]) : "—"));
    lines.push(
      `| \`${NAMESPACE}:${k.key}\` | ${cell(k.type)} | ${cell(defaultsText(k.defaults))} | ${envs.map(cell).join(" | ")} | ${cell(k.doc)} |`,
    );
  }
  const others = Object.entries(ref.other).sort(([a], [b]) => a.localeCompare(b));
  if (others.length) {
    lines.push(
      "",
      "Other namespaces set in the stack files:",
      "",
      "| key | dev | staging | prod |",
      "|---|---|---|---|",
    );
    for (const [key, perEnv] of others) {
      const envs = ENVIRONMENTS.map((env) => (perEnv[env] === undefined ? "—" : value(perEnv[env])));
      lines.push(`| \`${key}\` | ${envs.map(cell).join(" | ")} |`);
    }
  }
  lines.push("");
  return lines;
}

/** The whole of docs/configuration.md. */
export function renderConfigReference(
  root: string,
  programs: readonly ConfigProgram[] = CONFIG_PROGRAMS,
): string {
  const lines = [
    "# Configuration reference",
    "",
    "<!-- Generated by `pnpm docs:config` (scripts/src/docs/config-reference.ts); do not edit by hand. -->",
    "",
    "Every stack configuration key of each layer and of the root project, under the `tradai:` namespace of",
    "the stack's `Pulumi.<env>.yaml`. Pulumi hands every value to the program as a string (lists and maps as",
    "JSON); the program validates them with the layer's zod schema before creating anything, and refuses an",
    "unknown key. Set one with `pulumi config set tradai:<key> <value> --stack <env>` in the stack's directory",
    "(`--path` or YAML for lists and maps), or edit the file and commit it.",
    "",
    "Columns: **default** is what the program uses when the stack file does not set the key (per environment",
    "where they differ); **dev / staging / prod** is the value each `Pulumi.<env>.yaml` sets (— when it sets",
    "none, so the default applies). `tradai:<layer>Stack` keys name the stack a later layer reads; by default",
    "`<org>/tradai-<layer>/<same environment>`.",
    "",
  ];
  for (const program of programs) lines.push(...programSection(programReference(root, program)));
  return `${lines.join("\n").trimEnd()}\n`;
}
