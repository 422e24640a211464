/**
 * Writes docs/configuration.md from the config schemas and stack files (config-reference.ts).
 *
 *   pnpm docs:config            # regenerate the file
 *   pnpm docs:config --check    # exit 1 when the committed file is out of date (CI and the tests)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "@tradai/components/platform";
import { renderConfigReference } from "./config-reference";

/** Where the reference lives, relative to the repository root. */
export const CONFIG_REFERENCE_PATH = "docs/configuration.md";

export function main(argv: string[], root: string = REPO_ROOT): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length) {
    process.stderr.write(`error: unknown argument ${unknown.join(" ")}\nusage: docs:config [--check]\n`);
    return 2;
  }
  let markdown: string;
  try {
    markdown = renderConfigReference(root);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
  const file = path.join(root, CONFIG_REFERENCE_PATH);
  if (argv.includes("--check")) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (current === markdown) return 0;
    process.stderr.write(`${CONFIG_REFERENCE_PATH} is out of date: run pnpm docs:config and commit it\n`);
    return 1;
  }
  fs.writeFileSync(file, markdown);
  process.stdout.write(`wrote ${CONFIG_REFERENCE_PATH}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
