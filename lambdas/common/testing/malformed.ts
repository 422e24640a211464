/**
 * Malformed events for the handlers' property tests (fast-check): what an attacker or a buggy caller
 * sends. A generator starts from one valid event and breaks it one way per run: junk instead of the event,
 * a required field dropped, or a field replaced by a wrong type, an empty or oversized value, or a value
 * in a looser format than the field's system of record uses.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import * as fc from "fast-check";
import { InvalidEventError } from "../src/errors";
import { logger } from "../src/powertools/logger";
import { scheduledEvent, sqsEvent } from "./events";
import { type EmulatorState, emulatorState } from "./state";

/** Runs per property: each run is one invocation followed by an emulator snapshot (tens of ms each). */
export const PROPERTY_RUNS = 25;

/**
 * The emulator's state after the previous run of the current test, which is the state before the next
 * run: nothing else writes to the emulator between two runs of a property. Snapshotting once per run
 * instead of twice halves the cost of the bad-input properties; the comparison is the same.
 */
let lastSnapshot: { test: string; state: EmulatorState } | undefined;

async function stateBeforeRun(): Promise<EmulatorState> {
  const test = expect.getState().currentTestName ?? "";
  const kept = lastSnapshot?.test === test ? lastSnapshot.state : undefined;
  // Consumed: a run that fails before its own snapshot leaves none, so the next run takes a fresh one.
  lastSnapshot = undefined;
  return kept ?? (await emulatorState());
}

/** Snapshots the emulator after a run and asserts it holds what it held before the run. */
async function expectUnchangedSince(before: EmulatorState): Promise<void> {
  const after = await emulatorState();
  // Kept even when different: a failing run's change must not be blamed on the runs that follow it
  // (fast-check's shrinking replays smaller inputs after a failure).
  lastSnapshot = { test: expect.getState().currentTestName ?? "", state: after };
  expect(after).toEqual(before);
}

/** A string of exactly `bytes` ASCII bytes: just over a limit, so the rejection is about size alone. */
export const stringOfBytes = (bytes: number, fill = "x"): string => fill.repeat(bytes);

/** Anything that is not a JSON object: what arrives when a caller sends the wrong thing entirely. */
export const notAnObject = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.double(),
    fc.string(),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
  );

/** A value of the wrong JSON type for a string field. */
export const notAString = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.object(),
  );

/** A value that is no identifier: empty, blank, with path or control characters, or far too long. */
export const badIdentifier = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    notAString(),
    fc.constantFrom("", " ", "../x", "a/b", "id\u0000", "id\n", "🙂", stringOfBytes(2049, "a")),
  );

/**
 * `valid` broken in one way per run: junk instead of the event, one required key dropped, or one key
 * replaced by a value of `bad[key]`.
 */
export function brokenEvent<T extends Record<string, unknown>>(
  valid: T,
  bad: { [K in keyof T]?: fc.Arbitrary<unknown> },
  required: readonly (keyof T & string)[] = Object.keys(valid) as (keyof T & string)[],
): fc.Arbitrary<unknown> {
  const variants: fc.Arbitrary<unknown>[] = [notAnObject()];
  if (required.length > 0) {
    variants.push(
      fc.constantFrom(...required).map((key) => {
        const copy: Record<string, unknown> = { ...valid };
        delete copy[key];
        return copy;
      }),
    );
  }
  for (const [key, values] of Object.entries(bad) as [string, fc.Arbitrary<unknown>][]) {
    variants.push(values.map((value) => ({ ...valid, [key]: value })));
  }
  return fc.oneof(...variants);
}

/** The error class a rejection must be an instance of (any constructor arity; matched with instanceof). */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Asserts that `invoke()` rejects with `rejection` and that the emulator (and `otherState`, e.g. an HTTP
 * server's received requests) holds exactly what it held before.
 */
export async function expectRejectedWithoutChange(
  invoke: () => Promise<unknown>,
  rejection: ErrorClass,
  otherState: () => Promise<unknown> | unknown = () => undefined,
): Promise<void> {
  const before = await stateBeforeRun();
  const otherBefore = await otherState();
  const outcome = await invoke().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) {
    throw new Error(`accepted instead of rejected with ${rejection.name}: ${JSON.stringify(outcome.value)}`);
  }
  if (!(outcome.error instanceof rejection)) {
    throw new Error(
      `rejected with ${(outcome.error as Error)?.name ?? typeof outcome.error} instead of ${rejection.name}: ${
        (outcome.error as Error)?.message ?? String(outcome.error)
      }`,
    );
  }
  await expectUnchangedSince(before);
  expect(await otherState()).toEqual(otherBefore);
}

/**
 * A broken EventBridge "Scheduled Event": junk, the envelope of another event, a time that is not an
 * ISO-8601 timestamp, or a required field missing.
 */
export function brokenScheduledEvent(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  return brokenEvent(
    valid,
    {
      "detail-type": fc.oneof(notAString(), fc.constantFrom("Object Created", "scheduled event", "")),
      source: fc.oneof(notAString(), fc.constantFrom("aws.s3", "custom.app", "")),
      time: fc.oneof(
        notAString(),
        fc.constantFrom("yesterday", "2026-13-01T00:00:00Z", "2026-01-01 00:00", "", stringOfBytes(300)),
      ),
    },
    ["detail-type", "source", "time"],
  );
}

/**
 * Jest: the property of a handler started by an EventBridge schedule. Every malformed scheduled event is
 * rejected with InvalidEventError and changes nothing; the valid event is not (so the property can fail).
 */
export function itRejectsMalformedScheduledEvents(
  invoke: (event: unknown) => Promise<unknown>,
  otherState?: () => Promise<unknown> | unknown,
): void {
  const valid = scheduledEvent(new Date());
  it("rejects every malformed scheduled event with InvalidEventError and changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(brokenScheduledEvent(valid as unknown as Record<string, unknown>), (event) =>
        expectRejectedWithoutChange(() => invoke(event), InvalidEventError, otherState),
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });
  it("does not reject the valid scheduled event as invalid", async () => {
    const error = await invoke(scheduledEvent(new Date())).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(InvalidEventError);
  });
}

/** Jest: keeps the shared logger quiet in a property test (hundreds of rejections would flood the output). */
export function quietLogger(): void {
  beforeEach(() => {
    for (const level of ["debug", "info", "warn", "error"] as const) {
      jest.spyOn(logger, level).mockImplementation(() => undefined);
    }
  });
  afterEach(() => jest.restoreAllMocks());
}

/**
 * Asserts that an SQS batch of malformed `bodies` comes back with every record failed,
 * each logged as invalid (InvalidEventError) under `failureMessage`, and that the emulator is unchanged.
 */
export async function expectBatchRejectedWithoutChange(
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  bodies: readonly string[],
  failureMessage: string,
): Promise<void> {
  const event = sqsEvent(bodies);
  const ids = event.Records.map((r) => r.messageId);
  const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
  const before = await stateBeforeRun();
  // Powertools reports a batch whose every record failed by throwing FullBatchFailureError (the whole
  // batch returns to the queue), otherwise by listing the failed records.
  const failed = await handler(event).then(
    (response) => response.batchItemFailures.map((f) => f.itemIdentifier),
    (error: unknown) => {
      if ((error as Error)?.name !== "FullBatchFailureError") throw error;
      return ids;
    },
  );
  expect([...failed].sort()).toEqual([...ids].sort());
  const invalid = logged.mock.calls
    .filter(([message]) => message === failureMessage)
    .map(([, details]) => details as { messageId: string; invalid: boolean })
    .filter((d) => ids.includes(d.messageId));
  expect(invalid.map((d) => [d.messageId, d.invalid]).sort()).toEqual(ids.map((id) => [id, true]).sort());
  await expectUnchangedSince(before);
}
