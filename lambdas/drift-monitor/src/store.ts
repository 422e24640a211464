/** Reading a model's reference and most recent distributions from the artifacts bucket. */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey } from "@aws-sdk/client-s3";
import { s3 } from "@tradai/lambda-common";
import { type DistributionFile, parseDistribution } from "./distribution";

const RECENT_FILE = /\/recent\/(\d{4}-\d{2}-\d{2})\.json$/;

export const referenceKey = (model: string) => `drift/${model}/reference.json`;
export const recentPrefix = (model: string) => `drift/${model}/recent/`;

/** Key of the newest `recent/<YYYY-MM-DD>.json` of a model, or undefined when there is none. */
export async function latestRecentKey(bucket: string, model: string): Promise<string | undefined> {
  let latest: { key: string; date: string } | undefined;
  let token: string | undefined;
  do {
    const page = await s3().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: recentPrefix(model), ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const date = object.Key?.match(RECENT_FILE)?.[1];
      if (object.Key && date && (!latest || date > latest.date)) latest = { key: object.Key, date };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return latest?.key;
}

/** Reads and validates one distribution file. @throws naming the missing or malformed object. */
export async function readDistribution(bucket: string, key: string): Promise<DistributionFile> {
  let text: string;
  try {
    const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await out.Body?.transformToString("utf-8")) ?? "";
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === "NoSuchKey") {
      throw new Error(`s3://${bucket}/${key} does not exist`);
    }
    throw error;
  }
  return parseDistribution(text, `s3://${bucket}/${key}`);
}
