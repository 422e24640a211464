/** Entry point of `pnpm policy:check` (see policy-check.ts). */
import { runPolicyCheck } from "./policy-check";

const code = runPolicyCheck(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
