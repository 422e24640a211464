/**
 * `pnpm plan --base <dir>`: what a change rebuilds and updates, from two offline plans of the same
 * environment (the earlier one in `<dir>`). Images rebuild as docker-build decides (image-build.ts:
 * context hash and compared inputs); a Lambda function or ECS service updates when its inputs change,
 * which for an image consumer means a new digest (the plan's digests are content digests, as a
 * reproducible build gives), and for a service also when its task definition changes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Environment, Layer } from "@tradai/contracts";
import { IMAGE_TYPE, type RebuildReason, rebuildReason, stableJson } from "./image-build";
import type { LayerPlan, PlannedResource } from "./plan-types";

const FUNCTION_TYPE = "aws:lambda/function:Function";
const SERVICE_TYPE = "aws:ecs/service:Service";
const TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";

export interface ImageChange {
  /** Display name: `sqs-consumer`, `lambda-base`, `backend`. */
  name: string;
  /** `rebuild` with docker-build's reasons, or the image is new / gone. */
  change: "rebuild" | "create" | "delete";
  reason?: RebuildReason;
}

export interface ConsumerChange {
  name: string;
  change: "update" | "create" | "delete";
  /** Inputs that differ (`taskDefinition` for a service whose task definition changed). */
  inputs: string[];
}

export interface PlanChanges {
  env: Environment;
  layers: Layer[];
  images: ImageChange[];
  functions: ConsumerChange[];
  services: ConsumerChange[];
  /** Why the image list may be incomplete (a base plan from before build records), if so. */
  notes: string[];
}

/** `images-lambda-sqs-consumer` -> `sqs-consumer`; `images-lambda-base` -> `lambda-base`. */
export function imageDisplayName(resourceName: string): string {
  const name = resourceName.replace(/^images-/, "");
  return name === "lambda-base" ? name : name.replace(/^lambda-/, "");
}

function changedInputs(base: PlannedResource, head: PlannedResource): string[] {
  const keys = new Set([...Object.keys(base.inputs), ...Object.keys(head.inputs)]);
  return [...keys].filter((k) => stableJson(base.inputs[k]) !== stableJson(head.inputs[k])).sort();
}

function byUrn(plans: readonly LayerPlan[], type: string): Map<string, PlannedResource> {
  return new Map(plans.flatMap((p) => p.resources.filter((r) => r.type === type).map((r) => [r.urn, r])));
}

/** Compares the plans of one environment (same layers on both sides). */
export function comparePlans(base: readonly LayerPlan[], head: readonly LayerPlan[]): PlanChanges {
  const env = (head[0] ?? base[0])?.stack ?? "dev";
  const notes: string[] = [];
  const images: ImageChange[] = [];
  const baseImages = byUrn(base, IMAGE_TYPE);
  const headImages = byUrn(head, IMAGE_TYPE);
  for (const [urn, h] of headImages) {
    const b = baseImages.get(urn);
    const name = imageDisplayName(h.name);
    if (!b) images.push({ name, change: "create" });
    else if (!b.build || !h.build) {
      notes.push(`${name}: the base plan has no build record (planned before context hashes were recorded)`);
      images.push({ name, change: "rebuild" });
    } else {
      const reason = rebuildReason(b.build, h.build);
      if (reason) images.push({ name, change: "rebuild", reason });
    }
  }
  for (const [urn, b] of baseImages) {
    if (!headImages.has(urn)) images.push({ name: imageDisplayName(b.name), change: "delete" });
  }

  const consumers = (type: string, extra?: (b: PlannedResource, h: PlannedResource) => string[]) => {
    const out: ConsumerChange[] = [];
    const before = byUrn(base, type);
    const after = byUrn(head, type);
    for (const [urn, h] of after) {
      const b = before.get(urn);
      if (!b) {
        out.push({ name: h.name, change: "create", inputs: [] });
        continue;
      }
      const inputs = [...changedInputs(b, h), ...(extra?.(b, h) ?? [])];
      if (inputs.length > 0) out.push({ name: h.name, change: "update", inputs });
    }
    for (const [urn, b] of before)
      if (!after.has(urn)) out.push({ name: b.name, change: "delete", inputs: [] });
    return out.sort((x, y) => x.name.localeCompare(y.name));
  };

  const baseTasks = byUrn(base, TASK_DEFINITION_TYPE);
  const headTasks = byUrn(head, TASK_DEFINITION_TYPE);
  // A service rolls when its task definition gets a new revision (the mock ARN does not show it).
  const taskChanged = (b: PlannedResource, h: PlannedResource): string[] => {
    const [bt] = b.propertyDependencies.taskDefinition ?? [];
    const [ht] = h.propertyDependencies.taskDefinition ?? [];
    const before = bt ? baseTasks.get(bt) : undefined;
    const after = ht ? headTasks.get(ht) : undefined;
    if (!before || !after) return before === after ? [] : ["taskDefinition"];
    const inputs = changedInputs(before, after);
    return inputs.length > 0 ? [`taskDefinition(${inputs.join(", ")})`] : [];
  };

  return {
    env,
    layers: head.map((p) => p.layer),
    images: images.sort((x, y) => x.name.localeCompare(y.name)),
    functions: consumers(FUNCTION_TYPE),
    services: consumers(SERVICE_TYPE, taskChanged),
    notes: [...new Set(notes)],
  };
}

/** Reads `<dir>/<env>/<layer>.json` for the given layers; a missing file is an error naming it. */
export function readPlans(dir: string, env: Environment, layers: readonly Layer[]): LayerPlan[] {
  return layers.map((layer) => {
    const file = path.join(dir, env, `${layer}.json`);
    if (!fs.existsSync(file))
      throw new Error(`base plan ${file} does not exist (plan the base with --out ${dir})`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as LayerPlan;
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const list = (items: { name: string }[]) => (items.length ? `: ${items.map((i) => i.name).join(", ")}` : "");

/** One line: "this change rebuilds 1 image: sqs-consumer; updates 1 function: sqs-consumer; 0 services". */
export function changesHeadline(c: PlanChanges): string {
  return (
    `this change rebuilds ${plural(c.images.length, "image")}${list(c.images)}; ` +
    `updates ${plural(c.functions.length, "function")}${list(c.functions)} ` +
    `and ${plural(c.services.length, "service")}${list(c.services)}`
  );
}

function describeReason(change: ImageChange): string {
  if (change.change !== "rebuild") return change.change === "create" ? "new image" : "image removed";
  const r = change.reason;
  if (!r) return "no build record in the base plan";
  const parts: string[] = [];
  if (r.inputs.length) parts.push(`inputs ${r.inputs.join(", ")}`);
  if (r.dockerfile) parts.push("Dockerfile");
  const files = [
    ...r.files.changed.map((f) => `~${f}`),
    ...r.files.added.map((f) => `+${f}`),
    ...r.files.removed.map((f) => `-${f}`),
  ];
  if (files.length) parts.push(`files ${files.join(" ")}`);
  if (r.contextHash && !r.dockerfile && files.length === 0) parts.push("context (ignore rules)");
  return parts.join("; ");
}

/** Markdown for the summary and the PR comment. */
export function renderChanges(c: PlanChanges): string {
  const lines = [`**${c.env}**: ${changesHeadline(c)}.`, ""];
  if (c.images.length) {
    lines.push("| image | why it rebuilds |", "|---|---|");
    for (const i of c.images) lines.push(`| ${i.name} | ${describeReason(i)} |`);
    lines.push("");
  }
  const consumers = [
    ...c.functions.map((f) => ({ kind: "function", ...f })),
    ...c.services.map((s) => ({ kind: "service", ...s })),
  ];
  if (consumers.length) {
    lines.push("| updates | what changes |", "|---|---|");
    for (const x of consumers)
      lines.push(`| ${x.kind} ${x.name} | ${x.change === "update" ? x.inputs.join(", ") : x.change} |`);
    lines.push("");
  }
  for (const note of c.notes) lines.push(`> ${note}`);
  return `${lines.join("\n").trimEnd()}\n`;
}
