/**
 * The business flows, driven from the outside as a client or operator would: through the local API, the
 * emulator and the control plane. Each returns what it observed or throws naming the step that failed;
 * the flow tests run them on the plan as planned, the mutation tests on a plan with one wire cut.
 */
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type CandlePartition, DAY_MS, partitionKey } from "@tradai/service-common";
import { acceptedToken } from "../src/components/authorizer";
import type { Platform } from "../src/platform";
import { eventually, FlowError } from "./harness";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/** No single request of a flow may hang it: API Gateway's own integration timeout is 29 s. */
const REQUEST_TIMEOUT_MS = 30_000;

export function clients(p: Platform) {
  const config = { endpoint: p.urls.emulator, region: p.topology.region, credentials };
  return {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
  };
}

/** A bucket of the plan by its logical purpose (`market-data`, `artifacts`). */
export function bucket(p: Platform, purpose: string): string {
  const found = p.topology.buckets.find((b) => b.name.includes(`-${purpose}-`));
  if (!found) throw new Error(`the plan has no ${purpose} bucket`);
  return found.name;
}

/** Fixture candles: hourly, a slow sine wave on a trend, written as data-collection's day partitions. */
export async function seedCandles(
  p: Platform,
  fromDate: string,
  days: number,
  symbol = "BTC-USDT",
): Promise<void> {
  const { s3 } = clients(p);
  const start = Date.parse(`${fromDate}T00:00:00Z`);
  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY_MS;
    const date = new Date(dayStart).toISOString().slice(0, 10);
    const candles = Array.from({ length: 24 }, (_, h) => {
      const i = d * 24 + h;
      const close = 100 + i * 0.01 + 8 * Math.sin(i / 15);
      const open = 100 + (i - 1) * 0.01 + 8 * Math.sin((i - 1) / 15);
      return {
        time: dayStart + h * 3_600_000,
        open,
        high: Math.max(open, close) + 0.2,
        low: Math.min(open, close) - 0.2,
        close,
        volume: 10 + (i % 7),
      };
    });
    const partition: CandlePartition = {
      exchange: "binance",
      symbol,
      timeframe: "1h",
      date,
      complete: true,
      fetchedAt: new Date(dayStart + 2 * DAY_MS).toISOString(),
      candles,
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket(p, "market-data"),
        Key: partitionKey("binance", symbol, "1h", date),
        Body: JSON.stringify(partition),
      }),
    );
  }
  s3.destroy();
}

/** A client of the local API with a token the plan's authorizer accepts. */
export function apiClient(p: Platform, token = p.identity.mint(acceptedToken(p.topology))) {
  return async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${p.urls.api}${route}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json as Record<string, unknown> };
  };
}

/** Subscribes a fresh queue to a planned topic; returns a reader of what was published. */
export async function tapTopic(p: Platform, topicSuffix: string) {
  const { sqs, sns } = clients(p);
  const topic = p.topology.topics.find((t) => t.name.endsWith(`-${topicSuffix}`));
  if (!topic) throw new Error(`the plan has no ${topicSuffix} topic`);
  const name = `e2e-tap-${topicSuffix}-${Date.now()}`;
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const queueUrl = created.QueueUrl ?? "";
  await sns.send(
    new SubscribeCommand({
      TopicArn: topic.arn,
      Protocol: "sqs",
      Endpoint: `arn:aws:sqs:${p.topology.region}:${p.topology.accountId}:${name}`,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  const seen: string[] = [];
  return {
    /** Waits until a published message contains `text`. */
    async waitFor(text: string, timeoutMs = 30_000): Promise<string> {
      return eventually(
        `a ${topicSuffix} message containing ${text}`,
        async () => {
          const received = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          for (const m of received.Messages ?? []) seen.push(m.Body ?? "");
          return seen.find((body) => body.includes(text));
        },
        timeoutMs,
      );
    },
    seen: () => [...seen],
  };
}

/** The SMA crossover strategy as a client stores it. */
export function smaStrategy(id: string): Record<string, unknown> {
  return {
    id,
    name: "SMA crossover (e2e)",
    version: "1.0.0",
    timeframe: "1h",
    symbols: ["BTC/USDT"],
    indicators: [
      { id: "fast", type: "sma", params: { period: 10 } },
      { id: "slow", type: "sma", params: { period: 30 } },
    ],
    entry: [{ left: { indicator: "fast" }, op: "crosses_above", right: { indicator: "slow" } }],
    exit: [{ left: { indicator: "fast" }, op: "crosses_below", right: { indicator: "slow" } }],
    position: { sizePct: 0.1 },
    risk: { stopLossPct: 0.02, takeProfitPct: 0.05, maxPositionPct: 0.2, maxOpenPositions: 1 },
  };
}

export interface JobView {
  jobId: string;
  status: string;
  metrics?: Record<string, unknown>;
  resultKey?: string;
  error?: string;
  [key: string]: unknown;
}

/** The emulator's URL of a planned queue. */
const plannedQueueUrl = (p: Platform, arn: string) =>
  `${p.urls.emulator}/${p.topology.accountId}/${arn.split(":").pop()}`;

/** Messages on a queue of the plan: visible, in flight and delayed. */
async function queueDepth(p: Platform, queueArn: string): Promise<number> {
  const { sqs } = clients(p);
  try {
    const { Attributes: a = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: plannedQueueUrl(p, queueArn),
        AttributeNames: [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    );
    return (
      Number(a.ApproximateNumberOfMessages ?? 0) +
      Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  } finally {
    sqs.destroy();
  }
}

/** Submits a backtest through the API and waits for the job to finish; returns the final job. */
export async function runBacktest(
  p: Platform,
  strategyId: string,
  timeoutMs = 90_000,
): Promise<{ submitted: JobView; final: JobView }> {
  const api = apiClient(p);
  const results = p.topology.queueTriggers.find((t) => t.functionKey === "backtest-consumer");
  if (!results) throw new Error("the plan feeds backtest-consumer from no queue");
  const submit = await api("POST", "/v1/backtests", {
    strategyId,
    exchange: "binance",
    symbol: "BTC/USDT",
    timeframe: "1h",
    from: "2024-01-01",
    to: "2024-01-10",
  });
  if (submit.status !== 202)
    throw new Error(`POST /v1/backtests answered ${submit.status}: ${JSON.stringify(submit.body)}`);
  const submitted = submit.body as unknown as JobView;
  const job = async () => (await api("GET", `/v1/jobs/${submitted.jobId}`)).body as unknown as JobView;
  // update-status (the task's stop event) may finish the job before backtest-consumer records the
  // result message; the flow is done when the result is on the job. The task sends its result before it
  // stops, and backtest-consumer records a result before its message is deleted: so once the job is
  // finished and the queue feeding backtest-consumer is empty (nothing visible, in flight or delayed), a
  // result not on the job (read after the queue) will never be. That fails now rather than at the timeout.
  const final = await eventually(
    `job ${submitted.jobId} to finish`,
    async () => {
      const view = await job();
      const finished = view.status === "COMPLETED" || view.status === "FAILED";
      if (finished && view.resultRecordedAt) return view;
      if (!finished || (await queueDepth(p, results.queueArn)) > 0) return undefined;
      const after = await job();
      if (after.resultRecordedAt) return after;
      throw new FlowError(
        `job ${submitted.jobId} ended ${after.status} but no result was recorded, and no result message is left on its queue: ${after.error ?? "no error"}`,
      );
    },
    timeoutMs,
  );
  return { submitted, final };
}

/** Flow 1: a stored strategy's backtest from the API to its stored result and notification. */
export async function backtestFlow(p: Platform, timeoutMs = 90_000) {
  await seedCandles(p, "2023-12-20", 25);
  const api = apiClient(p);
  const id = `e2e-sma-${Date.now()}`;
  const stored = await api("POST", "/v1/strategies", smaStrategy(id));
  if (stored.status !== 201)
    throw new Error(`POST /v1/strategies answered ${stored.status}: ${JSON.stringify(stored.body)}`);
  const notifications = await tapTopic(p, "notifications");
  const { submitted, final } = await runBacktest(p, id, timeoutMs);
  const { s3 } = clients(p);
  const head = final.resultKey
    ? await s3
        .send(new HeadObjectCommand({ Bucket: bucket(p, "artifacts"), Key: final.resultKey }))
        .catch(() => undefined)
    : undefined;
  s3.destroy();
  const notification =
    final.status === "COMPLETED" ? await notifications.waitFor(submitted.jobId) : undefined;
  return { submitted, final, resultObjectBytes: head?.ContentLength, notification };
}

/** A message on the backtest-jobs queue that no consumer can process: where does it end up? */
export async function poisonFlow(p: Platform, timeoutMs = 60_000) {
  const { sqs } = clients(p);
  const trigger = p.topology.queueTriggers.find((t) => t.functionKey === "sqs-consumer");
  const queue = p.topology.queues.find((q) => q.arn === trigger?.queueArn);
  if (!queue?.redrive) throw new Error("the plan's backtest-jobs queue has no redrive policy");
  const url = (arn: string) => plannedQueueUrl(p, arn);
  const body = `{"poison":${Date.now()}}`;
  await sqs.send(new SendMessageCommand({ QueueUrl: url(queue.arn), MessageBody: body }));
  const dlq = await eventually(
    "the poison message in the dead-letter queue",
    async () => {
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: url(queue.redrive?.deadLetterTargetArn ?? ""),
          AttributeNames: ["ApproximateNumberOfMessages"],
        }),
      );
      const count = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
      return count > 0 ? count : undefined;
    },
    timeoutMs,
  );
  sqs.destroy();
  return { deadLettered: dlq, maxReceiveCount: queue.redrive.maxReceiveCount };
}

/** A planned container's environment variable (throws when the plan lacks it: the flow depends on it). */
export function containerEnv(p: Platform, family: string, name: string): string {
  const td = p.topology.taskDefinitions.find((t) => t.family.endsWith(`-${family}`));
  const value = td?.containers[0]?.environment[name];
  if (value === undefined) throw new Error(`the ${family} task definition has no ${name}`);
  return value;
}

/** Flow 3: dry-run-trading beats while it runs; once stopped, trading-heartbeat-check alerts. */
export async function tradingFlow(p: Platform) {
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  const { DynamoDBDocumentClient, GetCommand } = await import("@aws-sdk/lib-dynamodb");
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: p.urls.emulator, region: p.topology.region, credentials }),
  );
  const table = containerEnv(p, "dry-run-trading", "HEARTBEATS_TABLE");
  // Candles for the trading loop's lookback, so it decides on data as it would in AWS.
  await seedCandles(p, new Date(Date.now() - 9 * 86_400_000).toISOString().slice(0, 10), 10);
  const beat = async () =>
    (await db.send(new GetCommand({ TableName: table, Key: { serviceId: "dry-run-trading" } }))).Item;
  const first = await eventually(
    "a dry-run-trading heartbeat",
    async () => (await beat())?.lastBeatAt as string | undefined,
    60_000,
  );
  const second = await eventually("a newer heartbeat", async () => {
    const at = (await beat())?.lastBeatAt as string | undefined;
    return at && at > first ? at : undefined;
  });
  // The trading lease: one item per trading service, held (and renewed) by the running instance.
  const leases = containerEnv(p, "dry-run-trading", "LEASES_TABLE");
  const lease = async () =>
    (await db.send(new GetCommand({ TableName: leases, Key: { leaseId: "dry-run-trading" } }))).Item as
      | { holder: string; leaseUntil: number }
      | undefined;
  const heldWhileRunning = await eventually("dry-run-trading to hold its trading lease", async () => {
    const item = await lease();
    return item && item.leaseUntil > Date.now() ? item : undefined;
  });
  const whileRunning = (await p.bus.runScheduled("trading-heartbeat-check")) as { stale: unknown[] };
  const alerts = await tapTopic(p, "alerts");
  await p.ecs.stopService("dry-run-trading");
  const staleSeconds = Number(
    p.functions.spec("trading-heartbeat-check").environment.HEARTBEAT_STALE_SECONDS,
  );
  const stoppedAt = Date.now();
  const leaseAfterStop = await lease();
  // The schedule would run the check every few minutes; here it runs until the last beat is older than
  // the planned threshold (a stopping service may beat once more on its way out).
  const afterStop = await eventually(
    "trading-heartbeat-check to report dry-run-trading stale",
    async () => {
      const report = (await p.bus.runScheduled("trading-heartbeat-check")) as {
        stale: { serviceId: string }[];
      };
      if (report.stale.length > 0) return report;
      await new Promise((r) => setTimeout(r, 1000));
      return undefined;
    },
    (staleSeconds + 15) * 1000,
  );
  const alert = await alerts.waitFor("dry-run-trading");
  db.destroy();
  return {
    beats: [first, second],
    heldWhileRunning,
    leaseAfterStop,
    whileRunning,
    afterStop,
    alert,
    waitedMs: Date.now() - stoppedAt,
  };
}

/** Flow 4: what the edge refuses, and that a good request still passes (so the refusals are specific). */
export async function refusalsFlow(p: Platform) {
  const accepted = acceptedToken(p.topology);
  const wrongKind =
    accepted.kind === "access" ? { kind: "id" as const } : { kind: "access" as const, scopes: ["openid"] };
  const call = async (token: string | undefined, base = p.urls.api, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/v1/strategies`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: response.status, body: await response.text() };
  };
  return {
    good: await call(p.identity.mint(accepted)),
    wrongKind: await call(p.identity.mint(wrongKind)),
    expired: await call(p.identity.mint({ ...accepted, expiresIn: -60 })),
    otherPool: await call(
      p.identity.mint({
        ...accepted,
        issuer: "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Other",
      }),
    ),
    noToken: await call(undefined),
    // Straight at the load balancer (its public DNS name), without the header API Gateway adds.
    noOriginHeader: await call(p.identity.mint(accepted), p.urls.loadBalancer),
    forgedOriginHeader: await call(p.identity.mint(accepted), p.urls.loadBalancer, {
      "x-origin-verify": "guess",
    }),
  };
}

/** MLflow's REST API at a base URL (the plan's tracking URI, as reached locally). */
export function mlflowApi(baseUrl: string) {
  return async (method: "GET" | "POST", route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${baseUrl}/api/2.0/mlflow/${route}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`MLflow ${method} ${route} -> ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

/**
 * Flow 2: retraining-scheduler starts the plan's state machine for the planned model; the execution
 * checks (drift above the threshold), trains (the training task registers a candidate in MLflow),
 * compares, promotes (the champion alias moves) and notifies; then model-rollback restores the previous
 * champion.
 */
export async function retrainingFlow(p: Platform, timeoutMs = 240_000) {
  const { seedModelVersion } = await import("@tradai/testing");
  const { CloudWatchClient, PutMetricDataCommand } = await import("@aws-sdk/client-cloudwatch");
  const scheduler = p.functions.spec("retraining-scheduler").environment;
  const modelName = (JSON.parse(scheduler.RETRAINING_MODELS ?? "[]") as { modelName: string }[])[0]
    ?.modelName;
  if (!modelName) throw new Error("the plan's retraining-scheduler names no model");
  const trackingUri = p.localUrl(p.functions.spec("compare-models").environment.MLFLOW_TRACKING_URI ?? "");
  const mlflow = mlflowApi(trackingUri);
  // The market the training task learns from (its default lookback), up to today.
  await seedCandles(p, new Date(Date.now() - 92 * 86_400_000).toISOString().slice(0, 10), 93);
  // The current champion: trained long ago, poor on the compared metric.
  const previous = await seedModelVersion(trackingUri, {
    modelName,
    metrics: { sharpe: -5 },
    aliases: ["champion"],
  });
  // What drift-monitor would have published: the champion's inputs drifted past the planned threshold.
  const threshold = Number(p.functions.spec("check-retraining-needed").environment.DRIFT_THRESHOLD);
  const cloudwatch = new CloudWatchClient({
    endpoint: p.urls.emulator,
    region: p.topology.region,
    credentials,
  });
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: "TradAI",
      MetricData: [
        {
          MetricName: "DriftScore",
          Dimensions: [{ Name: "ModelName", Value: modelName }],
          Value: threshold * 3,
          // A minute ago, as a drift-monitor run before the schedule would have: moto answers a query
          // with its end time cut to the second, so a point from the same second as the check is missed.
          Timestamp: new Date(Date.now() - 60_000),
        },
      ],
    }),
  );
  cloudwatch.destroy();
  const notifications = await tapTopic(p, "notifications");
  const scheduled = (await p.bus.runScheduled("retraining-scheduler")) as {
    results: { modelName: string; outcome: string }[];
  };
  const execution = await eventually(
    "the retraining execution to start",
    async () => p.stepFunctions.list()[0],
    30_000,
  );
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    p.stepFunctions.wait(execution.executionArn),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the retraining execution did not finish")), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
  if (finished.status !== "SUCCEEDED") {
    throw new Error(
      `retraining execution ${finished.status} after ${finished.states.join(" -> ") || "no state"}: ${finished.error}: ${finished.cause}`,
    );
  }
  if (!finished.states.includes("PromoteModel")) {
    // Say which decision kept the champion (the check's or the comparison's reasons) before the rollback
    // below fails for want of a deployment.
    throw new Error(
      `retraining execution took ${finished.states.join(" -> ")} without promoting; its output: ${finished.output}`,
    );
  }
  const champion = async () =>
    String(
      (
        (await mlflow("GET", `registered-models/alias?name=${modelName}&alias=champion`)).model_version as {
          version: string;
        }
      ).version,
    );
  const promotedChampion = await champion();
  const notification = finished.status === "SUCCEEDED" ? await notifications.waitFor(modelName) : undefined;
  const rollback = await p.functions.invoke("model-rollback", { modelName, reason: "end-to-end test" });
  const restoredChampion = await champion();
  return {
    modelName,
    previous,
    scheduled,
    execution: finished,
    promotedChampion,
    notification,
    rollback,
    restoredChampion,
  };
}
