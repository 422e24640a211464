/** Entry point of `pnpm tradai ...` (and `scripts/bin/tradai`). */
import { loadDotEnv } from "./context";
import { processIo } from "./io";
import { REPO_ROOT } from "./platform";
import { runCli } from "./program";

loadDotEnv(REPO_ROOT);
runCli(process.argv.slice(2), undefined, processIo).then((code) => {
  process.exitCode = code;
});
