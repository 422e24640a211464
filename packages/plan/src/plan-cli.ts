/**
 * `pnpm plan [--env dev|staging|prod]... [--layer <name>]... [--out plan] [--base <dir>]`
 * Exit 0: written, no mandatory policy violation; 1: written, mandatory violations; 2: bad arguments.
 *
 * `--base <dir>`: an earlier plan (of the same environments and layers) to compare with: lists the images
 * the change rebuilds (and why: inputs, files) and the functions and services it updates, and writes
 * `<out>/<env>/changes.json` and `changes.md` (the PR comment shows them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  ENVIRONMENTS,
  type Environment,
  type Layer,
  parseEnvironment,
  parseLayer,
  UnknownNameError,
} from "@tradai/contracts";
import { plan } from "./plan";
import { comparePlans, readPlans, renderChanges } from "./plan-changes";
import { policyEvaluation } from "./policy-hook";

function usage(message: string): never {
  process.stderr.write(
    `pnpm plan: ${message}\nusage: pnpm plan [--env dev|staging|prod]... [--layer <layer>]... [--out <dir>] [--base <dir>]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { env?: string[]; layer?: string[]; out?: string; base?: string };
  try {
    ({ values } = parseArgs({
      options: {
        env: { type: "string", multiple: true },
        layer: { type: "string", multiple: true },
        out: { type: "string", default: "plan" },
        base: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    usage((error as Error).message);
  }
  let envs: Environment[];
  let layers: Layer[];
  try {
    envs = values.env?.length ? values.env.map(parseEnvironment) : [...ENVIRONMENTS];
    layers = (values.layer ?? []).map(parseLayer);
  } catch (error) {
    if (error instanceof UnknownNameError) usage(error.message);
    throw error;
  }
  if (values.base !== undefined && !fs.existsSync(values.base))
    usage(`--base ${values.base}: no such directory`);
  const { evaluate, renderPolicy, report } = policyEvaluation();
  const result = await plan({
    envs,
    layers,
    outDir: values.out ?? "plan",
    evaluate,
    renderPolicy,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(report(result.plans));
  if (values.base !== undefined) {
    for (const env of envs) {
      const head = result.plans.filter((p) => p.stack === env);
      const changes = comparePlans(
        readPlans(
          values.base,
          env,
          head.map((p) => p.layer),
        ),
        head,
      );
      const dir = path.join(values.out ?? "plan", env);
      fs.writeFileSync(path.join(dir, "changes.json"), `${JSON.stringify(changes, null, 2)}\n`);
      const markdown = renderChanges(changes);
      fs.writeFileSync(path.join(dir, "changes.md"), markdown);
      process.stdout.write(`\n${markdown}`);
    }
  }
  if (result.mandatoryViolations > 0) {
    process.stderr.write(
      `pnpm plan: ${result.mandatoryViolations} mandatory policy violation(s); see above\n`,
    );
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `pnpm plan failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
