/**
 * A snapshot of what the emulator holds, to assert that a rejected input changed nothing: every DynamoDB
 * item (whole), every S3 object's ETag, the messages waiting in every SQS queue (which include everything
 * published to a topic: each topic must have a probe queue subscribed, see `createTopicProbe`), every
 * ECS task, Step Functions execution and CloudWatch metric (with its data points), and every EC2 route.
 *
 * Read in one request from the test emulator's launcher (`EMULATOR_STATE_PATH`, which reads moto's
 * models), not through the AWS APIs: those took about 16 requests per snapshot (one per table, bucket,
 * queue, cluster, state machine), and the bad-input properties take one per run (471 per test run,
 * about 21 s of the workers' time). moto's own `/moto-api/data.json` is no substitute: it dumps every
 * model (7 MB, 150 ms per call once EC2 is used).
 */
import { EMULATOR_STATE_PATH } from "@tradai/testing";
import { z } from "zod";

const EmulatorStateSchema = z.strictObject({
  /** `<account>/<region>/<table>` -> its items (DynamoDB JSON, keys sorted at every level), sorted. */
  items: z.record(z.string(), z.array(z.string())),
  /** `bucket/key` -> ETag. */
  objects: z.record(z.string(), z.string()),
  /** Queue ARN -> messages visible, in flight and delayed. */
  queues: z.record(z.string(), z.string()),
  /** Cluster ARN -> task ARNs (running and stopped), sorted. */
  tasks: z.record(z.string(), z.array(z.string())),
  /** State machine ARN -> execution ARNs, sorted. */
  executions: z.record(z.string(), z.array(z.string())),
  /** `<account>/<region>/<namespace>/<name>{dimensions} x<data points>` of every metric, sorted. */
  metrics: z.array(z.string()),
  /** Route table id -> its routes (destination -> target), sorted. */
  routes: z.record(z.string(), z.array(z.string())),
});

export type EmulatorState = z.infer<typeof EmulatorStateSchema>;

const ResponseSchema = EmulatorStateSchema.extend({
  /** Topics no SQS queue is subscribed to: a publish to one would not show in the snapshot. */
  unprobedTopics: z.array(z.string()),
});

/** What the emulator holds now; compare two snapshots with `toEqual`. */
export async function emulatorState(): Promise<EmulatorState> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  if (!endpoint) throw new Error("emulatorState(): AWS_ENDPOINT_URL is not set (useMoto())");
  const response = await fetch(new URL(EMULATOR_STATE_PATH, endpoint));
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `emulatorState(): ${EMULATOR_STATE_PATH} answered ${response.status}: ${text.slice(0, 500)}`,
    );
  }
  const { unprobedTopics, ...state } = ResponseSchema.parse(JSON.parse(text));
  if (unprobedTopics.length > 0) {
    throw new Error(
      `emulatorState(): topic ${unprobedTopics.join(", ")} has no SQS probe; create it with createTopicProbe`,
    );
  }
  return state;
}
