import { selectExpiredKeys, selectOverdueTasks, selectStuckJobs } from "../src/select";

const now = new Date("2026-03-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const JOB = "0b5c3a52-8a3f-4c55-9a51-5d5e3d1f2a10";

describe("selectOverdueTasks", () => {
  it("selects running job tasks past the maximum runtime only", () => {
    const overdue = selectOverdueTasks(
      [
        { taskArn: "arn:t/overdue", startedBy: JOB, startedAt: minutesAgo(121), lastStatus: "RUNNING" },
        { taskArn: "arn:t/young", startedBy: JOB, startedAt: minutesAgo(119), lastStatus: "RUNNING" },
        { taskArn: "arn:t/pending", startedBy: JOB, createdAt: minutesAgo(200), lastStatus: "PROVISIONING" },
        { taskArn: "arn:t/service", startedBy: "ecs-svc/1234567890", startedAt: minutesAgo(9999) },
        { taskArn: "arn:t/manual", startedAt: minutesAgo(9999) },
        { taskArn: "arn:t/stopping", startedBy: JOB, startedAt: minutesAgo(500), desiredStatus: "STOPPED" },
        { taskArn: "arn:t/unknown-age", startedBy: JOB },
      ],
      now,
      120,
    );
    expect(overdue).toEqual([
      { taskArn: "arn:t/overdue", jobId: JOB, startedAt: minutesAgo(121), runtimeMinutes: 121 },
      { taskArn: "arn:t/pending", jobId: JOB, startedAt: minutesAgo(200), runtimeMinutes: 200 },
    ]);
  });
});

describe("selectStuckJobs", () => {
  it("selects RUNNING jobs not updated for longer than the threshold", () => {
    const jobs = [
      { jobId: "a", status: "RUNNING", updatedAt: minutesAgo(31).toISOString() },
      { jobId: "b", status: "RUNNING", updatedAt: minutesAgo(29).toISOString() },
      { jobId: "c", status: "PENDING", updatedAt: minutesAgo(999).toISOString() },
    ];
    expect(selectStuckJobs(jobs, now, 30).map((j) => j.jobId)).toEqual(["a"]);
  });
});

describe("selectExpiredKeys", () => {
  it("selects objects older than the retention", () => {
    const day = 86_400_000;
    const keys = selectExpiredKeys(
      [
        { Key: "backtests/old/result.json", LastModified: new Date(now.getTime() - 31 * day) },
        { Key: "backtests/new/result.json", LastModified: new Date(now.getTime() - 29 * day) },
        { Key: "backtests/no-date" },
      ],
      now,
      30,
    );
    expect(keys).toEqual(["backtests/old/result.json"]);
  });
});
