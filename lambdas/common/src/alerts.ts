/** Publishing an `AlertMessage` (docs/runtime-contracts.md) to the alerts topic. */
import { PublishCommand } from "@aws-sdk/client-sns";
import type { AlertMessage } from "@tradai/contracts";
import { sns } from "./clients";

/** What the caller provides; source, environment and timestamp are filled in. */
export type AlertInput = Pick<AlertMessage, "severity" | "title" | "message"> & {
  details?: Record<string, unknown>;
};

/** SNS subjects are at most 100 printable ASCII characters: others become `?`, longer ones end in `...`. */
function alertSubject(severity: string, title: string, environment?: string): string {
  const ascii = `[${severity}] ${environment ? `${environment}: ` : ""}${title}`.replace(
    /[^\x20-\x7e]/g,
    "?",
  );
  return ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii;
}

/**
 * Publishes one alert from `source` with the subject `[severity] environment: title` and the attributes
 * `severity` and `source` (for subscription filters); returns the SNS message id.
 */
export async function publishAlert(
  topicArn: string,
  source: string,
  alert: AlertInput,
  environment: string | undefined,
  now: Date = new Date(),
): Promise<string | undefined> {
  const message: AlertMessage = {
    severity: alert.severity,
    source,
    title: alert.title,
    message: alert.message,
    timestamp: now.toISOString(),
    ...(environment ? { environment } : {}),
    ...(alert.details ? { details: alert.details } : {}),
  };
  const out = await sns().send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: alertSubject(alert.severity, alert.title, environment),
      Message: JSON.stringify(message),
      MessageAttributes: {
        severity: { DataType: "String", StringValue: alert.severity },
        source: { DataType: "String", StringValue: source },
      },
    }),
  );
  return out.MessageId;
}
