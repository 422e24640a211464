/**
 * The bad-input properties' own guard: `expectRejectedWithoutChange` must catch a rejected input that
 * still wrote to the emulator, on whichever run of a property does it, and must not blame later runs.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { useMoto } from "@tradai/testing";
import { InvalidEventError } from "../src/errors";
import { expectRejectedWithoutChange } from "../testing";

const BUCKET = "tradai-test-guard";
const reject = () => Promise.reject(new InvalidEventError("event", [{ path: "", message: "bad" }]));

describe("expectRejectedWithoutChange", () => {
  useMoto();
  let s3: S3Client;
  beforeAll(async () => {
    s3 = new S3Client({ forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(() => s3.destroy());

  const writeThenReject = (key: string) => async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: "x" }));
    return reject();
  };

  it("passes runs that reject and write nothing", async () => {
    for (let run = 0; run < 3; run++) await expectRejectedWithoutChange(reject, InvalidEventError);
  });

  it("fails the run that wrote, after clean runs, and compares the next run with the state it left", async () => {
    await expectRejectedWithoutChange(reject, InvalidEventError);
    await expect(
      expectRejectedWithoutChange(writeThenReject("second-run"), InvalidEventError),
    ).rejects.toThrow(/toEqual/);
    // The object is still there, but this run did not write it: it passes.
    await expectRejectedWithoutChange(reject, InvalidEventError);
  });

  it("fails a write even on the first run of a test", async () => {
    await expect(
      expectRejectedWithoutChange(writeThenReject("first-run"), InvalidEventError),
    ).rejects.toThrow(/toEqual/);
  });

  it("takes a fresh snapshot after a run that failed before its own snapshot", async () => {
    await expect(
      expectRejectedWithoutChange(async () => {
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "accepted", Body: "x" }));
        return "accepted";
      }, InvalidEventError),
    ).rejects.toThrow(/accepted instead of rejected/);
    await expectRejectedWithoutChange(reject, InvalidEventError);
  });
});
