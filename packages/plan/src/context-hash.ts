/**
 * docker-build's context hash, computed exactly as `@pulumi/docker-build` computes it, so the offline
 * plan predicts which images a change rebuilds. docker-build diffs `contextHash` against state and
 * rebuilds on any difference. Its algorithm at v0.0.22, the version this repository pins
 * (pulumi/pulumi-docker-build@v0.0.22, provider/internal/context.go `hashBuildContext`), step by step:
 *
 * 1. One SHA-256 over everything below, hex-encoded.
 * 2. Ignore patterns: `<dockerfile>.dockerignore` if it exists, else `<context>/.dockerignore`
 *    (`getIgnorePatterns`), parsed like moby/patternmatcher `ignorefile.ReadAll`.
 * 3. The Dockerfile's content, if it is a local file (content only, not its name: `hashDockerfile`).
 * 4. The context, if a local directory: every entry in `filepath.WalkDir` order (each directory's names
 *    sorted), filtered by tonistiigi/fsutil's FilterFS with the patterns (moby/patternmatcher
 *    `MatchesUsingParentResults`, and FilterFS's skip of excluded directories no exception can reach).
 *    For each regular file or symlink (`hashFile`): its content (a symlink's target's; a symlink to a
 *    directory is skipped entirely), then its slash-separated clean relative path, then Go's
 *    `FileMode.String()` of its lstat mode (e.g. `-rw-r--r--`, `Lrwxrwxrwx`).
 * 5. Named contexts, by sorted key, each that is a local directory: hashed like step 4 with the SAME
 *    ignore patterns as the main context (v0.0.22 passes them on; later versions read the named
 *    context's own .dockerignore). `docker-image://...` contexts are not hashed: their change shows in
 *    the `context.named` input, which docker-build compares too.
 *
 * Relative locations are resolved against `cwd`: the provider runs in the Pulumi program's directory.
 */
import { createHash, type Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** One file that entered the hash: slash path (relative to its context), Go mode string, content hash. */
export interface HashedFile {
  path: string;
  mode: string;
  sha256: string;
}

export interface ContextHash {
  /** The value docker-build stores as `contextHash`. */
  hash: string;
  /** sha256 of the Dockerfile's content, or null when it is not a local file. */
  dockerfile: string | null;
  /** The ignore file that applied (relative to cwd), or null. */
  ignoreFile: string | null;
  files: HashedFile[];
  /** Named context -> its hashed files, or "remote" when it is not a local directory. */
  named: Record<string, HashedFile[] | "remote">;
}

/** moby/patternmatcher ignorefile.ReadAll: the patterns of a .dockerignore file. */
export function parseIgnoreFile(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  // bufio.Scanner drops a final empty line; a trailing "\n" leaves one here, which is skipped as empty.
  lines.forEach((raw, index) => {
    let line = index === 0 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.startsWith("#")) return;
    line = line.trim();
    if (line === "") return;
    const invert = line.startsWith("!");
    if (invert) line = line.slice(1).trim();
    if (line.length > 0) {
      line = goClean(line);
      if (line.length > 1 && line.startsWith("/")) line = line.slice(1);
    }
    out.push(invert ? `!${line}` : line);
  });
  return out;
}

/** Go's path.Clean (slash paths). */
export function goClean(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const parts: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!rooted) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

type MatchType = "exact" | "prefix" | "suffix" | "regexp";

interface Pattern {
  cleaned: string;
  exclusion: boolean;
  type: MatchType;
  regexp?: RegExp;
}

const ESCAPE = new Set([...".+()|{}$"]);

/** moby/patternmatcher Pattern.compile, for "/" as separator. */
function compile(cleaned: string): { type: MatchType; regexp?: RegExp } {
  let reg = "^";
  let type: MatchType = "exact";
  const chars = [...cleaned];
  for (let i = 0, pos = 0; pos < chars.length; i++) {
    const ch = chars[pos++] as string;
    if (ch === "*") {
      if (chars[pos] === "*") {
        pos++;
        if (chars[pos] === "/") pos++;
        if (pos >= chars.length) {
          if (type === "exact") type = "prefix";
          else {
            reg += ".*";
            type = "regexp";
          }
        } else {
          reg += "(.*/)?";
          type = "regexp";
        }
        if (i === 0) type = "suffix";
      } else {
        reg += "[^/]*";
        type = "regexp";
      }
    } else if (ch === "?") {
      reg += "[^/]";
      type = "regexp";
    } else if (ESCAPE.has(ch)) {
      reg += `\\${ch}`;
    } else if (ch === "\\") {
      if (pos < chars.length) {
        reg += `\\${chars[pos++]}`;
        type = "regexp";
      } else reg += "\\\\";
    } else if (ch === "[" || ch === "]") {
      reg += ch;
      type = "regexp";
    } else {
      reg += ch;
    }
  }
  if (type === "regexp") return { type, regexp: new RegExp(`${reg}$`, "u") };
  return { type };
}

function matchPattern(p: Pattern, file: string): boolean {
  switch (p.type) {
    case "exact":
      return file === p.cleaned;
    case "prefix":
      return file.startsWith(p.cleaned.slice(0, -2));
    case "suffix": {
      const suffix = p.cleaned.slice(2);
      if (file.endsWith(suffix)) return true;
      return suffix.startsWith("/") && file === suffix.slice(1);
    }
    case "regexp":
      return p.regexp?.test(file) ?? false;
  }
}

/** moby/patternmatcher PatternMatcher, the parts FilterFS uses. */
export class PatternMatcher {
  readonly patterns: Pattern[];
  readonly exclusions: boolean;

  constructor(patterns: readonly string[]) {
    this.patterns = [];
    let exclusions = false;
    for (let raw of patterns) {
      raw = raw.trim();
      if (raw === "") continue;
      let p = goClean(raw);
      let exclusion = false;
      if (p.startsWith("!")) {
        if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
        exclusion = true;
        exclusions = true;
        p = p.slice(1);
      }
      this.patterns.push({ cleaned: p, exclusion, ...compile(p) });
    }
    this.exclusions = exclusions;
  }

  /** MatchesUsingParentResults: [matched, this path's per-pattern results for its children]. */
  matchesUsingParentResults(file: string, parent: readonly boolean[]): [boolean, boolean[]] {
    let matched = false;
    const info: boolean[] = new Array(this.patterns.length).fill(false);
    this.patterns.forEach((pattern, i) => {
      let match = parent.length !== 0 ? (parent[i] ?? false) : false;
      if (!match) {
        if (pattern.exclusion !== matched) return;
        match = matchPattern(pattern, file);
        if (!match && parent.length === 0) {
          const dir = path.posix.dirname(file);
          if (dir !== ".") {
            const dirs = dir.split("/");
            for (let j = 0; j < dirs.length && !match; j++) {
              match = matchPattern(pattern, dirs.slice(0, j + 1).join("/"));
            }
          }
        }
      }
      info[i] = match;
      if (match) matched = !pattern.exclusion;
    });
    return [matched, info];
  }
}

/** fsutil's patternWithoutTrailingGlob. */
function withoutTrailingGlob(p: Pattern): string {
  let s = p.cleaned;
  if (s.endsWith("/**")) s = s.slice(0, -3);
  if (s.endsWith("/*")) s = s.slice(0, -2);
  return s;
}

const S_IFMT = 0o170000;
// A Map, not an object literal: numeric keys written in octal are not safe through the formatter.
const TYPES = new Map<number, string>([
  [0o040000, "d"],
  [0o120000, "L"],
  [0o010000, "p"],
  [0o140000, "S"],
  [0o060000, "D"],
  [0o020000, "Dc"],
]);

/** Go's `os.FileMode.String()` of an lstat `st_mode` (type letters in Go's order "dalTLDpSugct?"). */
export function goModeString(mode: number): string {
  const kind = TYPES.get(mode & S_IFMT) ?? "";
  // Go's order puts u, g after the type letters D/p/S and before c (char device) and t (sticky).
  let letters = kind.replace("c", "");
  if (mode & 0o4000) letters += "u";
  if (mode & 0o2000) letters += "g";
  if (kind.includes("c")) letters += "c";
  if (mode & 0o1000) letters += "t";
  const rwx = "rwxrwxrwx";
  let perm = "";
  for (let i = 0; i < 9; i++) perm += mode & (1 << (8 - i)) ? rwx[i] : "-";
  return `${letters || "-"}${perm}`;
}

/** Hashes one context directory into `h` (fsutil FilterFS walk + hashFile); returns what entered. */
function hashDirectory(h: Hash, root: string, excludes: readonly string[]): HashedFile[] {
  const matcher = excludes.length > 0 ? new PatternMatcher(excludes) : undefined;
  const onlyPrefixExceptions =
    matcher?.patterns.every((p) => !p.exclusion || !/[*[\]?^\\]/.test(withoutTrailingGlob(p))) ?? true;
  const out: HashedFile[] = [];
  const realRoot = fs.realpathSync(root);

  const walk = (dirAbs: string, dirRel: string, parent: readonly boolean[]) => {
    for (const name of fs.readdirSync(dirAbs).sort(byteOrder)) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const abs = path.join(dirAbs, name);
      const stat = fs.lstatSync(abs);
      let info: boolean[] = [];
      if (matcher) {
        const [excluded, matchInfo] = matcher.matchesUsingParentResults(rel, parent);
        info = matchInfo;
        if (excluded) {
          if (stat.isDirectory()) {
            if (onlyPrefixExceptions) {
              if (!matcher.exclusions) continue;
              const reachable = matcher.patterns.some(
                (p) => p.exclusion && `${withoutTrailingGlob(p)}/`.startsWith(`${rel}/`),
              );
              if (!reachable) continue;
            }
            walk(abs, rel, info);
          }
          continue;
        }
      }
      if (stat.isDirectory()) {
        walk(abs, rel, info);
        continue;
      }
      if (!stat.isFile() && !stat.isSymbolicLink()) continue;
      let content: Buffer;
      try {
        content = fs.readFileSync(abs);
      } catch (error) {
        // A symlink to a directory: io.Copy fails with EISDIR and the entry is skipped.
        if ((error as NodeJS.ErrnoException).code === "EISDIR") continue;
        throw error;
      }
      const mode = goModeString(stat.mode);
      h.update(content);
      h.update(rel);
      h.update(mode);
      out.push({ path: rel, mode, sha256: createHash("sha256").update(content).digest("hex") });
    }
  };
  walk(realRoot, "", []);
  return out;
}

/** Go sorts names as byte strings. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();
const isFile = (p: string) => fs.existsSync(p) && !fs.statSync(p).isDirectory();

/** getIgnorePatterns: the first of `<dockerfile>.dockerignore`, `<context>/.dockerignore` that exists. */
function ignorePatterns(
  dockerfileIgnore: string,
  context: string,
): { file: string | null; patterns: string[] } {
  const candidates = [dockerfileIgnore];
  if (isDir(context)) candidates.push(path.join(context, ".dockerignore"));
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) {
      return { file: candidate, patterns: parseIgnoreFile(fs.readFileSync(candidate, "utf8")) };
    }
  }
  return { file: null, patterns: [] };
}

/** docker-build's `hashBuildContext(context, dockerfile, named)`, with relative paths resolved against cwd. */
export function dockerBuildContextHash(
  context: string,
  dockerfile: string,
  named: Record<string, string> = {},
  cwd: string = process.cwd(),
): ContextHash {
  const h = createHash("sha256");
  const contextPath = path.resolve(cwd, context);
  const dockerfilePath = dockerfile ? path.resolve(cwd, dockerfile) : "";
  let ignore: { file: string | null; patterns: string[] } = { file: null, patterns: [] };
  if (isDir(contextPath) || isFile(dockerfilePath)) {
    // v0.0.22 tries `<dockerfile>.dockerignore` even for an empty dockerfile path (`.dockerignore` in cwd).
    ignore = ignorePatterns(path.resolve(cwd, `${dockerfile}.dockerignore`), contextPath);
  }

  let dockerfileHash: string | null = null;
  if (dockerfilePath && isFile(dockerfilePath)) {
    const content = fs.readFileSync(dockerfilePath);
    h.update(content);
    dockerfileHash = createHash("sha256").update(content).digest("hex");
  }
  const files = isDir(contextPath) ? hashDirectory(h, contextPath, ignore.patterns) : [];
  const namedOut: Record<string, HashedFile[] | "remote"> = {};
  for (const key of Object.keys(named).sort(byteOrder)) {
    const location = named[key] ?? "";
    // A remote reference (docker-image://, URLs) is not a local directory: not hashed.
    const local = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? "" : path.resolve(cwd, location);
    if (local && isDir(local)) {
      namedOut[key] = hashDirectory(h, local, ignore.patterns);
    } else {
      namedOut[key] = "remote";
    }
  }
  return {
    hash: h.digest("hex"),
    dockerfile: dockerfileHash,
    ignoreFile: ignore.file ? path.relative(cwd, ignore.file).split(path.sep).join("/") : null,
    files,
    named: namedOut,
  };
}
