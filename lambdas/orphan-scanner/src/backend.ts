/** The Pulumi DIY state backend on S3: where stack checkpoints live. */

/** A parsed `s3://bucket[/prefix]` backend URL. `prefix` has no leading or trailing slash ("" for none). */
export interface S3Backend {
  bucket: string;
  prefix: string;
}

/**
 * Parses `PULUMI_BACKEND_URL`. Query parameters (`?region=...&awssdk=v2`) are allowed and ignored: the
 * Lambda's own region and credentials are used.
 */
export function parseBackendUrl(value: string): S3Backend {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PULUMI_BACKEND_URL is not a URL: ${value}`);
  }
  if (url.protocol !== "s3:")
    throw new Error(`PULUMI_BACKEND_URL must be an s3:// URL, got ${url.protocol}//`);
  if (url.hostname === "") throw new Error(`PULUMI_BACKEND_URL has no bucket: ${value}`);
  return { bucket: url.hostname, prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "") };
}

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
