/** The Pulumi DIY state backend on S3: where stack checkpoints live. */

import type { S3Backend } from "@tradai/contracts";

/** `PULUMI_BACKEND_URL`, parsed (the environment schema in @tradai/contracts parses it with this). */
export { parseBackendUrl, type S3Backend } from "@tradai/contracts";

/** Key prefix under which the backend keeps current checkpoints (`.pulumi/stacks/`). */
export function stacksPrefix(backend: S3Backend): string {
  return `${backend.prefix === "" ? "" : `${backend.prefix}/`}.pulumi/stacks/`;
}

/**
 * Whether a key under the stacks prefix is a current checkpoint: `<project>/<stack>.json` (or a legacy
 * project-less `<stack>.json`), optionally gzipped. Pulumi keeps `<stack>.json.bak` next to each
 * checkpoint; those describe a previous state and are skipped.
 */
export function isCheckpointKey(key: string): boolean {
  return /\.json(\.gz)?$/.test(key);
}
