/** Reading saved plan files (`plan/<env>/<layer>.json`) back for `pnpm policy:check`. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS, LAYERS } from "@tradai/contracts";
import { z } from "zod";
import type { LayerPlan } from "./plan-types";

/** A file or directory that cannot be read as plans; the message names it and what is wrong. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanFileError";
  }
}

const violation = z.object({
  policy: z.string(),
  enforcement: z.enum(["mandatory", "advisory"]),
  urn: z.string(),
  message: z.string(),
});

const plannedResource = z.object({
  urn: z.string().startsWith("urn:pulumi:"),
  stateUrn: z.string().startsWith("urn:pulumi:"),
  aliases: z.array(z.string()),
  type: z.string().min(1),
  name: z.string(),
  custom: z.boolean(),
  parent: z.string().nullable(),
  dependsOn: z.array(z.string()),
  propertyDependencies: z.record(z.string(), z.array(z.string())),
  protect: z.boolean(),
  retainOnDelete: z.boolean(),
  provider: z.string().nullable(),
  inputs: z.record(z.string(), z.unknown()),
});

const layerPlan = z.object({
  project: z.string(),
  stack: z.enum(ENVIRONMENTS),
  layer: z.enum(LAYERS),
  resources: z.array(plannedResource),
  outputs: z.record(z.string(), z.unknown()),
  policy: z.object({ violations: z.array(violation) }).optional(),
});

/** Parses one layer plan file; throws PlanFileError naming the file and the first problems. */
export function readLayerPlan(file: string): LayerPlan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new PlanFileError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = layerPlan.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    throw new PlanFileError(`${file}: not a layer plan (${problems})`);
  }
  const plan: LayerPlan = parsed.data;
  return plan;
}

const LAYER_FILES = new Set(LAYERS.map((l) => `${l}.json`));

function layerFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...layerFilesUnder(full));
    else if (entry.isFile() && LAYER_FILES.has(entry.name)) found.push(full);
  }
  return found;
}

/**
 * The plan files named by `args`: a file as given, a directory searched (recursively) for
 * `<layer>.json` files. Throws PlanFileError for a missing path or a directory with no layer plan.
 */
export function planFilesFor(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(arg);
    } catch {
      throw new PlanFileError(`${arg}: no such file or directory`);
    }
    if (!stat.isDirectory()) {
      files.push(arg);
      continue;
    }
    const found = layerFilesUnder(arg);
    if (found.length === 0) {
      throw new PlanFileError(`${arg}: no layer plan files (${[...LAYER_FILES].join(", ")}) under it`);
    }
    files.push(...found);
  }
  return [...new Set(files)];
}

/** Plans in environment then layer order, so reports read the way `pnpm plan` writes them. */
export function inPlanOrder(plans: LayerPlan[]): LayerPlan[] {
  const rank = (p: LayerPlan) => ENVIRONMENTS.indexOf(p.stack) * LAYERS.length + LAYERS.indexOf(p.layer);
  return [...plans].sort((a, b) => rank(a) - rank(b));
}
