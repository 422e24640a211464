import { randomUUID } from "node:crypto";
import { useMoto } from "@tradai/testing";
import {
  IllegalTransitionError,
  JobAlreadyExistsError,
  JobNotFoundError,
  JobStore,
  resetClients,
} from "../src/index";
import { createJobsTable } from "../testing/index";

describe("JobStore against the emulator", () => {
  useMoto();
  const tableName = "tradai-test-jobs";
  let store: JobStore;

  beforeAll(async () => {
    resetClients();
    await createJobsTable(tableName);
    store = new JobStore({ tableName });
  });
  afterAll(() => resetClients());

  it("creates a job at version 1 and refuses a second create with the same id", async () => {
    const jobId = randomUUID();
    const created = await store.create({ jobId, kind: "backtest", request: { symbol: "BTC/USDT" } });
    expect(created).toMatchObject({ jobId, status: "PENDING", version: 1 });
    await expect(store.create({ jobId, kind: "backtest" })).rejects.toBeInstanceOf(JobAlreadyExistsError);
    expect(await store.get(jobId)).toEqual(created);
  });

  it("returns undefined / JobNotFoundError for a job that does not exist", async () => {
    const jobId = randomUUID();
    expect(await store.get(jobId)).toBeUndefined();
    await expect(store.transition(jobId, "RUNNING")).rejects.toBeInstanceOf(JobNotFoundError);
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

  it("removes attributes patched to undefined", async () => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "backtest", reason: "queued" });
    const updated = await store.update(jobId, { reason: undefined, taskArn: "arn:t" });
    expect(updated.reason).toBeUndefined();
    expect(await store.get(jobId)).not.toHaveProperty("reason");
    expect((await store.get(jobId))?.taskArn).toBe("arn:t");
  });

  it("loses no update when 10 writers patch the same job in parallel", async () => {
    const jobId = randomUUID();
    await store.create({ jobId, kind: "backtest", events: [] });
    const appendOne = (i: number) =>
      // Separate stores (and so separate client instances) act like separate Lambda invocations.
      new JobStore({ tableName }).update(jobId, (current) => ({
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
      store.transition(jobId, "COMPLETED"),
      store.transition(jobId, "FAILED"),
      store.transition(jobId, "CANCELLED"),
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

  it("lists jobs by status through the GSI, optionally only those updated before a time", async () => {
    let clock = new Date("2026-01-01T00:00:00Z");
    const timed = new JobStore({ tableName, now: () => clock });
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
  });
});
