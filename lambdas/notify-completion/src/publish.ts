/** The messages notify-completion sends. */
import { PublishCommand } from "@aws-sdk/client-sns";
import { AlertMessage, NotificationMessage } from "@tradai/contracts";
import { assertFitsSns, putOperationalMetrics, sns } from "@tradai/lambda-common";
import type { Config } from "./config";
import type { CompletionInput } from "./input";

const TITLES: Record<CompletionInput["outcome"], string> = {
  promoted: "promoted a new model version",
  "not-promoted": "kept the current model (candidate not better)",
  skipped: "skipped (retraining not needed)",
  failed: "failed",
};

export function completionNotification(input: CompletionInput, cfg: Config): NotificationMessage {
  return NotificationMessage.parse({
    kind: "retraining",
    outcome: input.outcome,
    jobId: input.jobId,
    modelName: input.modelName,
    title: `Retraining of ${input.modelName} ${TITLES[input.outcome]}`,
    timestamp: new Date().toISOString(),
    environment: cfg.ENVIRONMENT,
    reasons: input.reasons,
    error: input.error,
  });
}

export function failureAlert(input: CompletionInput, cfg: Config): AlertMessage {
  return AlertMessage.parse({
    severity: "warning",
    source: "notify-completion",
    title: `Retraining of ${input.modelName} failed`,
    message: input.error ?? "the retraining workflow failed without an error message",
    environment: cfg.ENVIRONMENT,
    timestamp: new Date().toISOString(),
    details: { jobId: input.jobId, modelName: input.modelName, reasons: input.reasons ?? [] },
  });
}

async function publish(topicArn: string, subject: string, body: object, attributes: Record<string, string>) {
  const out = await sns().send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject.slice(0, 100),
      Message: JSON.stringify(body),
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
      ),
    }),
  );
  if (!out.MessageId) throw new Error(`SNS returned no MessageId for ${topicArn}`);
  return out.MessageId;
}

/**
 * Publishes the completion to the notifications topic and, for a failure, an alert to the alerts topic;
 * counts the outcome as the `RetrainingOutcome` metric. Returns the notification's message id.
 */
export async function notifyCompletion(input: CompletionInput, cfg: Config): Promise<string> {
  // Both messages are built and checked before the first is sent, so a bad input sends neither.
  const notification = completionNotification(input, cfg);
  const notificationAttributes = { kind: notification.kind, outcome: notification.outcome };
  assertFitsSns("completion notification", notification, notificationAttributes);
  const alert = input.outcome === "failed" ? failureAlert(input, cfg) : undefined;
  const alertAttributes: Record<string, string> = alert
    ? { severity: alert.severity, source: alert.source }
    : {};
  if (alert) assertFitsSns("failure alert", alert, alertAttributes);

  const messageId = await publish(
    cfg.NOTIFICATIONS_TOPIC_ARN,
    notification.title,
    notification,
    notificationAttributes,
  );
  if (alert) await publish(cfg.ALERTS_TOPIC_ARN, alert.title, alert, alertAttributes);
  await putOperationalMetrics([
    { name: "RetrainingOutcome", value: 1, unit: "Count", dimensions: { Outcome: input.outcome } },
  ]);
  return messageId;
}
