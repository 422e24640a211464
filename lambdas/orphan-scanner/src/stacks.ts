/** Reading every stack checkpoint of the DIY S3 backend into one set of declared resources. */
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { s3 } from "@tradai/lambda-common";
import { isCheckpointKey, type S3Backend, stacksPrefix } from "./backend";
import { addCheckpoint, type Declared, emptyDeclared } from "./checkpoint";

export interface DeclaredStacks {
  declared: Declared;
  /** Checkpoint keys read, e.g. `.pulumi/stacks/tradai-compute/dev.json`. */
  stacks: string[];
  resourceCount: number;
}

async function readText(bucket: string, key: string): Promise<string> {
  const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await out.Body?.transformToByteArray();
  if (!bytes) throw new Error(`s3://${bucket}/${key} is empty`);
  return key.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : Buffer.from(bytes).toString("utf8");
}

/**
 * Reads every current checkpoint under `.pulumi/stacks/`.
 * @throws when there is none: comparing against nothing would report every resource as an orphan.
 */
export async function readDeclaredStacks(backend: S3Backend): Promise<DeclaredStacks> {
  const prefix = stacksPrefix(backend);
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client: s3() },
    { Bucket: backend.bucket, Prefix: prefix },
  )) {
    for (const object of page.Contents ?? [])
      if (object.Key && isCheckpointKey(object.Key)) keys.push(object.Key);
  }
  if (keys.length === 0) {
    throw new Error(
      `no stack checkpoints under s3://${backend.bucket}/${prefix}: refusing to report every resource as orphaned`,
    );
  }
  const declared = emptyDeclared();
  let resourceCount = 0;
  for (const key of keys.sort()) {
    resourceCount += addCheckpoint(
      declared,
      await readText(backend.bucket, key),
      `s3://${backend.bucket}/${key}`,
    );
  }
  return { declared, stacks: keys, resourceCount };
}
