/**
 * notify-completion: the retraining workflow's final step (success and failure paths). Publishes a
 * structured NotificationMessage; failures also go to the alerts topic.
 */
import { logger, type NotifyCompletionOutput, parseEvent } from "@tradai/lambda-common";
import type { Context } from "aws-lambda";
import { config } from "./config";
import { CompletionInput } from "./input";
import { notifyCompletion } from "./publish";

export const handler = async (event: unknown, context?: Context): Promise<NotifyCompletionOutput> => {
  if (context) logger.addContext(context);
  try {
    const input = parseEvent(CompletionInput, event, "notify-completion input");
    const messageId = await notifyCompletion(input, config());
    logger.info("retraining completion published", { jobId: input.jobId, outcome: input.outcome, messageId });
    return { messageId };
  } catch (error) {
    logger.error("notify-completion failed", { error: error as Error });
    throw error;
  }
};
