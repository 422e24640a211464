import { HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { CandlePartition } from "@tradai/service-common";

/** S3 user metadata key that marks a final partition, read with a HEAD so skipping costs no download. */
const COMPLETE_METADATA = "complete";

/** The market-data bucket's OHLCV partitions. */
export class PartitionStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  /** Whether a final (complete) partition already exists at `key`. */
  async isComplete(key: string): Promise<boolean> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.Metadata?.[COMPLETE_METADATA] === "true";
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === "NotFound") return false;
      throw error;
    }
  }

  /** Writes one partition document in a single PUT (readers never see a half-written day). */
  async write(key: string, partition: CandlePartition): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(partition),
        ContentType: "application/json",
        Metadata: {
          [COMPLETE_METADATA]: String(partition.complete),
          candles: String(partition.candles.length),
        },
      }),
    );
  }
}
