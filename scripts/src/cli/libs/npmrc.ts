/** Editing `.npmrc` files: set keys in place, keep every other line. */
import * as fs from "node:fs";

/** The auth key npm looks up for a registry URL: `//host/path/:_authToken`. */
export function authTokenKey(registryUrl: string): string {
  const url = new URL(registryUrl);
  const pathname = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
  return `//${url.host}${pathname}:_authToken`;
}

/** `content` with each key set to its value: existing lines of a key are replaced, new keys appended. */
export function setNpmrcKeys(content: string, entries: Record<string, string>): string {
  const pending = new Map(Object.entries(entries));
  const lines = content === "" ? [] : content.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  for (const line of lines) {
    const key = line.split("=", 1)[0]?.trim();
    if (key !== undefined && pending.has(key)) {
      out.push(`${key}=${pending.get(key)}`);
      pending.delete(key);
    } else if (key === undefined || !(key in entries)) {
      out.push(line);
    }
  }
  for (const [key, value] of pending) out.push(`${key}=${value}`);
  return `${out.join("\n")}\n`;
}

/** Sets keys in an `.npmrc` file (created if missing), readable by its owner only: it holds a token. */
export function writeNpmrc(file: string, entries: Record<string, string>): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  fs.writeFileSync(file, setNpmrcKeys(current, entries), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
