/** Names that make a day's retraining of a model unique (and so idempotent). */

/** `YYYY-MM-DD` (UTC) of a time. */
export function utcDate(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/**
 * `<modelName>-<YYYY-MM-DD>`: Step Functions refuses a second execution of this name, which makes the
 * schedule idempotent per day. Characters Step Functions does not allow in names become `-`, and the
 * model part is shortened so the whole name fits its 80 characters.
 */
export function executionName(modelName: string, date: string): string {
  const safe = modelName.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80 - date.length - 1);
  return `${safe}-${date}`;
}

/** The job id of a model's scheduled retraining on a date (deterministic, so re-runs reuse it). */
export function scheduledJobId(modelName: string, date: string): string {
  return `retrain-${executionName(modelName, date)}`;
}
