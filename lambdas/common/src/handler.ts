/**
 * The one shape of every TradAI Lambda handler: the Powertools logger gets the invocation's context, a
 * failure is logged once as `<name> failed` with the error and rethrown (so Lambda, Step Functions or the
 * event source sees it), and keys appended during an invocation do not leak into the next one.
 *
 * This mirrors what Powertools' own `logger.injectLambdaContext({ resetKeys: true })` decorator does,
 * as a plain higher-order function: the decorator only applies to class methods and its middy middleware
 * would add `@middy/core` (ESM only) to every image for two calls.
 */
import type { Context } from "aws-lambda";
import { logger } from "./powertools/logger";
import { metrics } from "./powertools/metrics";

export interface HandlerOptions {
  /**
   * Publish the Powertools metrics stored during the invocation, after success and after failure.
   * @default false (functions that add no Powertools metric would log an empty-metrics warning)
   */
  publishMetrics?: boolean;
}

/**
 * What a handler does with one invocation. `C` is `Context` for handlers that need it (idempotency reads
 * the remaining time) and `Context | undefined` for those tests may call without one.
 */
export type HandlerBody<R, C extends Context | undefined = Context | undefined> = (
  event: unknown,
  context: C,
) => Promise<R>;

/** The Lambda handler built by {@link lambdaHandler}: the context is optional unless the body needs it. */
export type LambdaHandler<R, C extends Context | undefined = Context | undefined> = undefined extends C
  ? (event: unknown, context?: Context) => Promise<R>
  : (event: unknown, context: Context) => Promise<R>;

/**
 * `body` as a Lambda handler named `name` (the function, e.g. `cleanup-resources`): logger context,
 * one error log line `<name> failed` with the error, rethrow, and per-invocation key reset.
 */
export function lambdaHandler<R, C extends Context | undefined = Context | undefined>(
  name: string,
  body: HandlerBody<R, C>,
  options: HandlerOptions = {},
): LambdaHandler<R, C> {
  const invoke = async (event: unknown, context: C): Promise<R> => {
    logger.refreshSampleRateCalculation();
    if (context) logger.addContext(context);
    logger.logEventIfEnabled(event);
    try {
      return await body(event, context);
    } catch (error) {
      logger.error(`${name} failed`, { error: error as Error });
      throw error;
    } finally {
      logger.resetKeys();
      if (options.publishMetrics) metrics.publishStoredMetrics();
    }
  };
  return invoke as LambdaHandler<R, C>;
}

// The light entry point (`@tradai/lambda-common/handler`) also hands out the logger it configures.
export { logger };
