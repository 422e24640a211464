/**
 * What the offline plan records for every `docker-build:index:Image`, and how a rebuild is predicted:
 * docker-build (v0.0.22, provider/internal/image.go `Diff`) rebuilds when its context hash differs from
 * state or when any of the inputs listed in {@link REBUILD_INPUTS} differs (registries by address and
 * username only: a new ECR password is not a change).
 */
import { createHash } from "node:crypto";
import { dockerBuildContextHash, type HashedFile } from "./context-hash";

export const IMAGE_TYPE = "docker-build:index:Image";

/** The inputs docker-build's Diff compares, in its order (`exec` is not among them). */
export const REBUILD_INPUTS = [
  "addHosts",
  "buildArgs",
  "buildOnPreview",
  "builder",
  "cacheFrom",
  "cacheTo",
  "context.location",
  "context.named",
  "dockerfile",
  "exports",
  "labels",
  "load",
  "network",
  "noCache",
  "platforms",
  "pull",
  "push",
  "secrets",
  "ssh",
  "tags",
  "target",
  "registries",
] as const;

/** The inputs that change what is built (and so its digest), as opposed to where it goes or is cached. */
const CONTENT_INPUTS = ["buildArgs", "context.named", "exports", "labels", "platforms", "target"] as const;

/** An image's build record in the plan. */
export interface ImageBuild {
  /** docker-build's `contextHash` for these inputs, computed as it does (context-hash.ts). */
  contextHash: string;
  /** sha256 of the Dockerfile's content. */
  dockerfile: string | null;
  ignoreFile: string | null;
  /** Files of the context that entered the hash: path -> `<mode> <sha256>`. */
  files: Record<string, string>;
  /** Every input docker-build compares, normalised (registries without passwords). */
  inputs: Record<string, unknown>;
}

function pick(inputs: Record<string, unknown>, key: string): unknown {
  const [head, tail] = key.split(".") as [string, string | undefined];
  const value = inputs[head];
  if (tail === undefined) return value;
  return value && typeof value === "object" ? (value as Record<string, unknown>)[tail] : undefined;
}

/** Stable JSON: object keys sorted, so equal values compare equal. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const stringOf = (v: unknown) => (typeof v === "string" ? v : "");

/** Named contexts as docker-build sees them: name -> location. */
function namedMap(inputs: Record<string, unknown>): Record<string, string> {
  const named = pick(inputs, "context.named");
  if (!named || typeof named !== "object") return {};
  return Object.fromEntries(
    Object.entries(named as Record<string, { location?: unknown }>).map(([k, v]) => [
      k,
      stringOf(v?.location),
    ]),
  );
}

/**
 * The build record of one image from its (plain) inputs; relative locations resolve against the program
 * directory, where docker-build runs.
 */
export function imageBuild(inputs: Record<string, unknown>, programDir: string): ImageBuild {
  const context = stringOf(pick(inputs, "context.location")) || ".";
  const dockerfileInput = pick(inputs, "dockerfile");
  // docker-build's default: `<context>/Dockerfile` when no location (Check sets it before Diff).
  const dockerfile =
    stringOf((dockerfileInput as { location?: unknown } | undefined)?.location) || `${context}/Dockerfile`;
  const hashed = dockerBuildContextHash(context, dockerfile, namedMap(inputs), programDir);
  const compared: Record<string, unknown> = {};
  for (const key of REBUILD_INPUTS) {
    let value = pick(inputs, key);
    if (key === "registries" && Array.isArray(value)) {
      value = value.map((r: { address?: unknown; username?: unknown }) => ({
        address: r?.address,
        username: r?.username,
      }));
    }
    if (value !== undefined) compared[key] = value;
  }
  const files = (list: HashedFile[], prefix = "") =>
    Object.fromEntries(list.map((f) => [`${prefix}${f.path}`, `${f.mode} ${f.sha256}`]));
  return {
    contextHash: hashed.hash,
    dockerfile: hashed.dockerfile,
    ignoreFile: hashed.ignoreFile,
    files: {
      ...files(hashed.files),
      ...Object.assign(
        {},
        ...Object.entries(hashed.named).map(([k, v]) => (v === "remote" ? {} : files(v, `[${k}]/`))),
      ),
    },
    inputs: compared,
  };
}

/**
 * The digest the mock registry answers with: a function of what the image is made of (context hash and
 * the content inputs), not of tags, caches or credentials. That is what reproducible builds give
 * (SOURCE_DATE_EPOCH + rewrite-timestamp): unchanged content, unchanged digest, no consumer update.
 */
export function contentDigest(build: ImageBuild): string {
  const content = Object.fromEntries(CONTENT_INPUTS.map((k) => [k, build.inputs[k]]));
  const hex = createHash("sha256")
    .update(stableJson({ contextHash: build.contextHash, content }))
    .digest("hex");
  return `sha256:${hex}`;
}

/** Why an image rebuilds between two plans: the inputs and context files that differ. */
export interface RebuildReason {
  inputs: string[];
  files: { added: string[]; removed: string[]; changed: string[] };
  /** The context hash differs (files, their modes, the Dockerfile, or the ignore rules). */
  contextHash: boolean;
  dockerfile: boolean;
}

/** docker-build's Diff between the build in state (`base`) and the new one; null when it would not rebuild. */
export function rebuildReason(base: ImageBuild, head: ImageBuild): RebuildReason | null {
  const inputs = REBUILD_INPUTS.filter((k) => stableJson(base.inputs[k]) !== stableJson(head.inputs[k]));
  const contextHash = base.contextHash !== head.contextHash;
  if (inputs.length === 0 && !contextHash) return null;
  const added = Object.keys(head.files).filter((f) => !(f in base.files));
  const removed = Object.keys(base.files).filter((f) => !(f in head.files));
  const changed = Object.keys(head.files).filter((f) => f in base.files && base.files[f] !== head.files[f]);
  return {
    inputs,
    files: { added, removed, changed },
    contextHash,
    dockerfile: base.dockerfile !== head.dockerfile,
  };
}
