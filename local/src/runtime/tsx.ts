/** How local processes and workers run TypeScript sources directly: Node with the tsx loader. */
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** `--import <tsx loader>`, resolved from this package so it works from any working directory. */
export function tsxImportArgs(): string[] {
  const dir = path.dirname(require.resolve("tsx/package.json"));
  return ["--import", pathToFileURL(path.join(dir, "dist", "loader.mjs")).href];
}
