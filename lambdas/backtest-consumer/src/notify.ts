/** The notification published when a backtest finishes. */
import { PublishCommand } from "@aws-sdk/client-sns";
import { type BacktestResultMessage, NotificationMessage } from "@tradai/contracts";
import { sns } from "@tradai/lambda-common";
import type { Config } from "./config";

/** Builds the NotificationMessage for a result (validated, so a malformed one never leaves). */
export function backtestNotification(
  result: BacktestResultMessage,
  environment?: string,
): NotificationMessage {
  const outcome = result.status === "COMPLETED" ? "completed" : "failed";
  return NotificationMessage.parse({
    kind: "backtest",
    outcome,
    jobId: result.jobId,
    title: `Backtest ${result.jobId} ${outcome}`,
    timestamp: new Date().toISOString(),
    environment,
    metrics: result.metrics,
    resultKey: result.resultKey,
    error: result.error,
  });
}

/** The message attributes subscription filters select on. */
export function notificationAttributes(message: NotificationMessage): Record<string, string> {
  return { kind: message.kind, outcome: message.outcome };
}

/** Publishes to the notifications topic with `kind`/`outcome` attributes for subscription filters. */
export async function publishNotification(
  message: NotificationMessage,
  cfg: Config,
): Promise<string | undefined> {
  const out = await sns().send(
    new PublishCommand({
      TopicArn: cfg.NOTIFICATIONS_TOPIC_ARN,
      Subject: message.title.slice(0, 100),
      Message: JSON.stringify(message),
      MessageAttributes: Object.fromEntries(
        Object.entries(notificationAttributes(message)).map(([k, v]) => [
          k,
          { DataType: "String", StringValue: v },
        ]),
      ),
    }),
  );
  return out.MessageId;
}
