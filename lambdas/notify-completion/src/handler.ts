/**
 * notify-completion: the retraining workflow's final step (success and failure paths). Publishes a
 * structured NotificationMessage; failures also go to the alerts topic.
 */

import type { NotifyCompletionOutput } from "@tradai/contracts";
import { lambdaHandler, logger, parseEvent } from "@tradai/lambda-common";
import { config } from "./config";
import { CompletionInput } from "./input";
import { notifyCompletion } from "./publish";

export const handler = lambdaHandler("notify-completion", async (event): Promise<NotifyCompletionOutput> => {
  const input = parseEvent(CompletionInput, event, "notify-completion input");
  const messageId = await notifyCompletion(input, config());
  logger.info("retraining completion published", { jobId: input.jobId, outcome: input.outcome, messageId });
  return { messageId };
});
