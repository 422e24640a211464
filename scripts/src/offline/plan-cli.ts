/**
 * `pnpm plan [--env dev|staging|prod]... [--layer <name>]... [--out plan]`
 * Exit 0: written, no mandatory policy violation; 1: written, mandatory violations; 2: bad arguments.
 */
import { parseArgs } from "node:util";
import {
  ENVIRONMENTS,
  type Environment,
  type Layer,
  parseEnvironment,
  parseLayer,
  UnknownNameError,
} from "@tradai/components";
import { plan } from "./plan";
import { policyEvaluation } from "./policy-hook";

function usage(message: string): never {
  process.stderr.write(
    `pnpm plan: ${message}\nusage: pnpm plan [--env dev|staging|prod]... [--layer <layer>]... [--out <dir>]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { env?: string[]; layer?: string[]; out?: string };
  try {
    ({ values } = parseArgs({
      options: {
        env: { type: "string", multiple: true },
        layer: { type: "string", multiple: true },
        out: { type: "string", default: "plan" },
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
