/** Deleting `backtests/` artifacts older than `ARTIFACT_RETENTION_DAYS` from the artifacts bucket. */
import { DeleteObjectsCommand, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { logger, s3 } from "@tradai/lambda-common";
import { selectExpiredKeys } from "./select";

export const ARTIFACTS_PREFIX = "backtests/";

/** DeleteObjects takes at most 1000 keys per call. */
const DELETE_BATCH = 1000;

export interface ArtifactCleanup {
  expired: number;
  deleted: number;
}

export async function deleteExpiredArtifacts(
  bucket: string,
  retentionDays: number,
  now: Date,
  dryRun: boolean,
): Promise<ArtifactCleanup> {
  const expired: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3() },
    { Bucket: bucket, Prefix: ARTIFACTS_PREFIX },
  )) {
    expired.push(...selectExpiredKeys(page.Contents ?? [], now, retentionDays));
  }
  if (dryRun) {
    if (expired.length > 0)
      logger.info("dry run: would delete expired artifacts", {
        count: expired.length,
        sample: expired.slice(0, 20),
      });
    return { expired: expired.length, deleted: 0 };
  }
  let deleted = 0;
  for (let i = 0; i < expired.length; i += DELETE_BATCH) {
    const keys = expired.slice(i, i + DELETE_BATCH);
    const out = await s3().send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const errors = out.Errors ?? [];
    deleted += keys.length - errors.length;
    if (errors.length > 0) {
      throw new Error(
        `could not delete ${errors.length} artifact(s) from ${bucket}: ${errors
          .slice(0, 5)
          .map((e) => `${e.Key} (${e.Code})`)
          .join(", ")}`,
      );
    }
  }
  if (deleted > 0) logger.info("deleted expired artifacts", { count: deleted, retentionDays });
  return { expired: expired.length, deleted };
}
