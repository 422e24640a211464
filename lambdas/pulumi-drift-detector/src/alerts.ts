/** Publishing an `AlertMessage` (docs/runtime-contracts.md) to the alerts topic. */
import { PublishCommand } from "@aws-sdk/client-sns";
import { type AlertMessage, sns } from "@tradai/lambda-common";

/** Publishes `alert` with the SNS subject `[severity] env: title` (at most 100 ASCII characters). */
export async function publishAlert(topicArn: string, alert: AlertMessage): Promise<string | undefined> {
  const subject =
    `[${alert.severity}] ${alert.environment ? `${alert.environment}: ` : ""}${alert.title}`.replace(
      /[^\x20-\x7e]/g,
      "?",
    );
  const out = await sns().send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: subject.length > 100 ? `${subject.slice(0, 97)}...` : subject,
      Message: JSON.stringify(alert),
      MessageAttributes: {
        severity: { DataType: "String", StringValue: alert.severity },
        source: { DataType: "String", StringValue: alert.source },
      },
    }),
  );
  return out.MessageId;
}
