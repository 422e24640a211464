import { CreateBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { startMoto } from "../src/moto";
import { INSTALL_HOOK_TIMEOUT_MS } from "../src/python-env";

describe("startMoto", () => {
  it(
    "serves AWS APIs on a loopback port and forgets everything on reset",
    async () => {
      const moto = await startMoto();
      try {
        expect(moto.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const s3 = new S3Client({
          endpoint: moto.url,
          region: "eu-central-1",
          forcePathStyle: true,
          credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
        });
        await s3.send(
          new CreateBucketCommand({
            Bucket: "emulator-check",
            CreateBucketConfiguration: { LocationConstraint: "eu-central-1" },
          }),
        );
        expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([
          "emulator-check",
        ]);
        await moto.reset();
        expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
      } finally {
        await moto.stop();
      }
    },
    INSTALL_HOOK_TIMEOUT_MS,
  ); // the first test of a fresh checkout may install .venv
});
