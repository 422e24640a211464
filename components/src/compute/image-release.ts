import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { formerType } from "../core/options";

/** Image name (`lambda-base`, `lambda-<fn>`, `<service>`) -> `sha256:...` digest. */
export type ReleaseDigests = Record<string, string>;

/** Every recorded release: tag -> the digests it shipped. */
export type ReleaseRecords = Record<string, ReleaseDigests>;

/** What the compute stack exports about releases, and reads back from its previous deployment. */
export interface ReleaseState {
  /** The most recent release, or null before the first one. */
  latest: string | null;
  releases: ReleaseRecords;
}

/** The release state after a deploy: `tag` recorded once (its first digests stay), or carried over. */
export function nextReleaseState(
  previous: ReleaseState | undefined,
  tag: string | undefined,
  digests: ReleaseDigests,
): ReleaseState {
  const releases = { ...(previous?.releases ?? {}) };
  if (!tag) return { latest: previous?.latest ?? null, releases };
  // A release is what shipped when it was first deployed: re-running it never moves its tag.
  if (!releases[tag]) releases[tag] = { ...digests };
  return { latest: tag, releases };
}

/** Reads a previous deployment's release state; anything malformed counts as none. */
export function parseReleaseState(value: unknown): ReleaseState | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { latest, releases } = value as { latest?: unknown; releases?: unknown };
  if (latest !== null && latest !== undefined && typeof latest !== "string") return undefined;
  if (!releases || typeof releases !== "object") return undefined;
  const out: ReleaseRecords = {};
  for (const [tag, digests] of Object.entries(releases as Record<string, unknown>)) {
    if (!digests || typeof digests !== "object") return undefined;
    out[tag] = Object.fromEntries(
      Object.entries(digests as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === "string",
      ),
    );
  }
  return { latest: typeof latest === "string" ? latest : null, releases: out };
}

/**
 * Tags an already-pushed digest in ECR (batch-get-image + put-image): a release without a rebuild. The
 * tag already on that digest is success; run by `@pulumi/command` on the deploying machine (AWS CLI).
 */
export const RETAG_SCRIPT = [
  "set -eu",
  // Nothing to tag before the first release, or for an image the release did not ship.
  '[ -n "$TAG" ] && [ -n "$DIGEST" ] || exit 0',
  'manifest="$(aws ecr batch-get-image --region "$REGION" --repository-name "$REPOSITORY" --image-ids imageDigest="$DIGEST" --query "images[0].imageManifest" --output text)"',
  '[ -n "$manifest" ] && [ "$manifest" != "None" ] || { echo "$REPOSITORY@$DIGEST is not in ECR" >&2; exit 1; }',
  'if ! out="$(aws ecr put-image --region "$REGION" --repository-name "$REPOSITORY" --image-tag "$TAG" --image-manifest "$manifest" 2>&1)"; then',
  '  case "$out" in *ImageAlreadyExistsException*) ;; *) echo "$out" >&2; exit 1 ;; esac',
  "fi",
].join("\n");

export interface ImageReleaseArgs {
  /** The release this deploy records (`tradai:releaseTag`), if any. */
  tag?: string;
  /** The stack's release state from its previous deployment (its own outputs). */
  previous: pulumi.Input<ReleaseState | undefined>;
  /** Every image: name -> its repository URL and the digest this deploy ships. */
  images: Record<string, { repositoryUrl: pulumi.Input<string>; digest: pulumi.Input<string> }>;
}

/**
 * Records releases without touching a build: the release -> digests map ({@link state}, exported by
 * compute) and one ECR retag per image of the latest release. Nothing here is an input of an image, so a
 * release rebuilds nothing and updates no function or service. Without `tag` the last release is carried
 * over unchanged (the retag commands keep their inputs), so a later deploy never flips it back.
 *
 * @example
 * new ImageRelease("release", { tag: config.releaseTag, previous, images }, ctx.opts);
 */
export class ImageRelease extends pulumi.ComponentResource {
  readonly state: pulumi.Output<ReleaseState>;

  constructor(name: string, args: ImageReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:compute:ImageRelease", name, {}, formerType("tradai:images:ImageRelease", opts));
    const digests = pulumi.all(
      Object.fromEntries(Object.entries(args.images).map(([image, i]) => [image, pulumi.output(i.digest)])),
    ) as pulumi.Output<ReleaseDigests>;
    this.state = pulumi
      .all([pulumi.output(args.previous), digests])
      .apply(([previous, current]) => nextReleaseState(previous, args.tag, current));

    for (const [image, { repositoryUrl }] of Object.entries(args.images)) {
      const url = pulumi.output(repositoryUrl);
      // Tag and digest both come from the recorded release: a deploy without a release, or with new
      // code, leaves these inputs (and the tag in ECR) as they are.
      const recorded = this.state.apply((s) => (s.latest ? s.releases[s.latest]?.[image] : undefined));
      new command.local.Command(
        `${name}-${image}`,
        {
          create: RETAG_SCRIPT,
          interpreter: ["/bin/bash", "-c"],
          environment: {
            REGION: url.apply((u) => u.split(".")[3] ?? ""),
            REPOSITORY: url.apply((u) => u.slice(u.indexOf("/") + 1)),
            TAG: this.state.apply((s) => s.latest ?? ""),
            DIGEST: recorded.apply((d) => d ?? ""),
          },
        },
        { parent: this },
      );
    }
    this.registerOutputs({ state: this.state });
  }
}
