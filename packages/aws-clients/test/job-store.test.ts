import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { JobRecord } from "@tradai/contracts";
import { useMoto } from "@tradai/testing";
import {
  IllegalTransitionError,
  JobAlreadyExistsError,
  JobNotFoundError,
  JobStore,
  type JobStoreOptions,
  StaleVersionError,
} from "../src/index";
import { createJobsTable } from "../testing/index";

describe("JobStore against the emulator", () => {
  useMoto();
  const tableName = "tradai-test-jobs";
  const opened: DynamoDBClient[] = [];
  /**
   * The two writers of the jobs table, each with a client of its own built as its code builds it: the
   * backend (services/backend/src/app.ts: removeUndefinedValues, the TTL from JOB_TTL_DAYS) and a Lambda
   * (lambda-common's shared document client is passed as a getter). The Lambda side here marshals without
   * removeUndefinedValues, so the store cannot rely on its client dropping `undefined`.
   */
  const sides = {
    backend: (options: Partial<JobStoreOptions> = {}) => {
      const raw = new DynamoDBClient({});
      opened.push(raw);
      const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
      return new JobStore({ tableName, client: db, ttlDays: 90, ...options });
    },
    lambda: (options: Partial<JobStoreOptions> = {}) => {
      const raw = new DynamoDBClient({});
      opened.push(raw);
      const db = DynamoDBDocumentClient.from(raw);
      return new JobStore({ tableName, client: () => db, ...options });
    },
  };
  type Side = keyof typeof sides;
  const SIDES = Object.keys(sides) as Side[];
  let store: JobStore;

  beforeAll(async () => {
    await createJobsTable(tableName);
    store = sides.lambda();
  });
  afterAll(() => {
    for (const client of opened) client.destroy();
  });

  it.each(SIDES)(
    "%s: creates a job at version 1 and refuses a second create with the same id",
    async (side) => {
      const writer = sides[side]();
      const jobId = randomUUID();
      const created = await writer.create({ jobId, kind: "backtest", request: { symbol: "BTC/USDT" } });
      expect(created).toMatchObject({ jobId, status: "PENDING", version: 1 });
      await expect(writer.create({ jobId, kind: "backtest" })).rejects.toBeInstanceOf(JobAlreadyExistsError);
      // The other side is refused the same way.
      await expect(
        sides[side === "backend" ? "lambda" : "backend"]().create({ jobId, kind: "backtest" }),
      ).rejects.toBeInstanceOf(JobAlreadyExistsError);
      expect(await store.get(jobId)).toEqual(created);
    },
  );

  it("returns undefined / JobNotFoundError for a job that does not exist", async () => {
    const jobId = randomUUID();
    expect(await store.get(jobId)).toBeUndefined();
    await expect(store.require(jobId)).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(store.transition(jobId, "RUNNING")).rejects.toBeInstanceOf(JobNotFoundError);
    await expect(store.update(jobId, { reason: "x" })).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it("applies legal transitions, bumping the version, and rejects illegal ones without writing", async () => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "backtest" });
    const running = await store.transition(jobId, "RUNNING", { taskArn: "arn:task" });
    expect(running).toMatchObject({ status: "RUNNING", version: 2, taskArn: "arn:task" });
    const done = await store.transition(jobId, "COMPLETED", { resultKey: `backtests/${jobId}/result.json` });
    expect(done).toMatchObject({ status: "COMPLETED", version: 3 });

    await expect(store.transition(jobId, "RUNNING")).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(store.transition(jobId, "FAILED")).rejects.toThrow(/COMPLETED -> FAILED/);
    expect(await store.get(jobId)).toEqual(done);
  });

  it.each(SIDES)("%s: removes attributes patched to undefined", async (side) => {
    const writer = sides[side]();
    const jobId = randomUUID();
    await writer.create({ jobId, kind: "backtest", reason: "queued", error: undefined });
    expect(await writer.get(jobId)).not.toHaveProperty("error");
    const updated = await writer.update(jobId, { reason: undefined, taskArn: "arn:t" });
    expect(updated.reason).toBeUndefined();
    expect(await writer.get(jobId)).not.toHaveProperty("reason");
    expect((await writer.get(jobId))?.taskArn).toBe("arn:t");
  });

  it("stamps the TTL attribute from ttlDays; none without it; a job's own expiresAt wins", async () => {
    const at = new Date("2026-03-01T00:00:00Z");
    const epoch = at.getTime() / 1000;
    const cases: { options: Partial<JobStoreOptions>; expiresAt?: number; want: number | undefined }[] = [
      { options: { ttlDays: 90 }, want: epoch + 90 * 86_400 },
      { options: { ttlDays: 1 }, want: epoch + 86_400 },
      { options: { ttlDays: undefined }, want: undefined },
      { options: { ttlDays: 90 }, expiresAt: epoch + 60, want: epoch + 60 },
    ];
    for (const { options, expiresAt, want } of cases) {
      const jobId = randomUUID();
      const writer = sides.backend({ now: () => at, ...options });
      await writer.create({ jobId, kind: "backtest", ...(expiresAt ? { expiresAt } : {}) });
      expect((await store.get(jobId))?.expiresAt).toBe(want);
    }
  });

  it("loses no update when 10 writers of both sides patch the same job in parallel", async () => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "backtest", events: [] });
    const appendOne = (i: number) =>
      // Separate stores (and so separate client instances) act like separate processes.
      sides[SIDES[i % 2] as Side]().update(jobId, (current) => ({
        events: [...((current.events as number[] | undefined) ?? []), i],
      }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendOne(i)));

    const job = await store.get(jobId);
    expect(job?.version).toBe(11);
    expect([...((job?.events as number[]) ?? [])].sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it("lets exactly one of several racing transitions out of RUNNING win", async () => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "backtest", status: "RUNNING" });
    const results = await Promise.allSettled([
      sides.lambda().transition(jobId, "COMPLETED"),
      sides.backend().transition(jobId, "FAILED"),
      sides.lambda().transition(jobId, "CANCELLED"),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.map((r) => (r as PromiseRejectedResult).reason)).toEqual([
      expect.any(IllegalTransitionError),
      expect.any(IllegalTransitionError),
    ]);
    expect((await store.get(jobId))?.version).toBe(2);
  });

  /** Writes made against the version the writer read (the backend undoing a job it created, for one). */
  const guarded: { op: string; write: (s: JobStore, jobId: string, version: number) => Promise<unknown> }[] =
    [
      { op: "delete", write: (s, jobId, version) => s.delete(jobId, { expectedVersion: version }) },
      {
        op: "transition",
        write: (s, jobId, version) =>
          s.transition(jobId, "FAILED", { error: "undo" }, { expectedVersion: version }),
      },
      {
        op: "update",
        write: (s, jobId, version) => s.update(jobId, { reason: "late" }, { expectedVersion: version }),
      },
    ];
  /** How the other side moves the job on: starting it, or only recording something while it is PENDING. */
  const moves: { move: string; apply: (s: JobStore, jobId: string) => Promise<JobRecord> }[] = [
    { move: "started it", apply: (s, jobId) => s.transition(jobId, "RUNNING", { taskArn: "arn:task" }) },
    { move: "updated it, still PENDING", apply: (s, jobId) => s.update(jobId, { reason: "seen" }) },
  ];
  const races = guarded.flatMap((g) =>
    moves.flatMap((m) =>
      SIDES.map((stale) => ({
        ...g,
        ...m,
        stale,
        other: (stale === "backend" ? "lambda" : "backend") as Side,
      })),
    ),
  );

  it.each(races)(
    "$stale's $op at version 1 after $other $move is refused with StaleVersionError; nothing written",
    async ({ write, apply, stale, other }) => {
      const jobId = randomUUID();
      const created = await sides[stale]().create({ jobId, kind: "backtest" });
      const moved = await apply(sides[other](), jobId);
      expect(moved.version).toBe(created.version + 1);

      const refused = await write(sides[stale](), jobId, created.version).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(StaleVersionError);
      expect(refused).toMatchObject({ jobId, expected: 1, actual: 2 });
      expect(await store.get(jobId)).toEqual(moved);
    },
  );

  it.each(guarded)(
    "$op at the version read succeeds; at the version of a deleted job it is refused",
    async ({ op, write }) => {
      const jobId = randomUUID();
      const created = await sides.backend().create({ jobId, kind: "backtest" });
      await write(sides.backend(), jobId, created.version);
      const after = await store.get(jobId);
      if (op === "delete") expect(after).toBeUndefined();
      else expect(after).toMatchObject({ version: 2 } satisfies Partial<JobRecord>);

      const gone = randomUUID();
      await store.create({ jobId: gone, kind: "backtest" });
      await store.delete(gone, { expectedVersion: 1 });
      const refused = await write(sides.lambda(), gone, 1).catch((error: unknown) => error);
      // A mutation of a job that is gone is JobNotFoundError; a guarded delete cannot tell and says stale.
      if (op === "delete") expect(refused).toMatchObject({ name: "StaleVersionError", actual: undefined });
      else expect(refused).toBeInstanceOf(JobNotFoundError);
    },
  );

  it("lists jobs by status through the GSI, optionally only those updated before or after a time", async () => {
    let clock = new Date("2026-01-01T00:00:00Z");
    const timed = sides.lambda({ now: () => clock });
    const old = randomUUID();
    const recent = randomUUID();
    await timed.create({ jobId: old, kind: "backtest", status: "RUNNING" });
    clock = new Date("2026-01-01T02:00:00Z");
    await timed.create({ jobId: recent, kind: "backtest", status: "RUNNING" });

    const running = (await timed.listByStatus("RUNNING")).map((j) => j.jobId);
    expect(running).toEqual(expect.arrayContaining([old, recent]));
    const stuck = (await timed.listByStatus("RUNNING", new Date("2026-01-01T01:00:00Z"))).map((j) => j.jobId);
    expect(stuck).toContain(old);
    expect(stuck).not.toContain(recent);
    const fresh = (await timed.listByStatus("RUNNING", undefined, new Date("2026-01-01T01:00:00Z"))).map(
      (j) => j.jobId,
    );
    expect(fresh).toContain(recent);
    expect(fresh).not.toContain(old);
    const between = (
      await timed.listByStatus("RUNNING", new Date("2026-01-01T03:00:00Z"), new Date("2026-01-01T01:00:00Z"))
    ).map((j) => j.jobId);
    expect(between).toContain(recent);
    expect(between).not.toContain(old);
  });
});
