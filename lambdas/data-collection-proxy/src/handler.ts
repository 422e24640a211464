/**
 * data-collection-proxy (EventBridge schedule, direct invocation, API): forwards collection requests to
 * the data-collection service (`DATA_COLLECTION_URL` + `/v1/collect`) with a timeout and bounded retries on
 * 5xx, and returns the service's answer. A 4xx is a failure carrying the service's message, not retried.
 */
import { InvalidEventError, lambdaHandler, logger } from "@tradai/lambda-common";
import type { APIGatewayProxyResult } from "aws-lambda";
import { config, type ProxyEnv } from "./config";
import { CollectionRejectedError, CollectionUnavailableError, forwardCollection } from "./forward";
import { isApiEvent, parseInvocation } from "./requests";

/** One forwarded request of a scheduled run. */
export interface CollectionResult {
  request: unknown;
  status: number;
  answer: unknown;
}

/**
 * What the handler returns: the service's answer (direct invocation), `{ results }` (schedule) or an
 * `APIGatewayProxyResult` (API). Typed `unknown` because the service's answer is its own JSON.
 */
export type ProxyResult = unknown;

const forwardOptions = (env: ProxyEnv) => ({
  timeoutMs: env.DATA_COLLECTION_TIMEOUT_MS,
  maxAttempts: env.DATA_COLLECTION_MAX_ATTEMPTS,
  backoffMs: env.DATA_COLLECTION_RETRY_BACKOFF_MS,
});

const json = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** API invocations answer with HTTP semantics instead of throwing, so the caller gets the reason. */
async function handleApi(env: ProxyEnv, event: unknown): Promise<APIGatewayProxyResult> {
  let invocation: ReturnType<typeof parseInvocation>;
  try {
    invocation = parseInvocation(event, env.DEFAULT_COLLECTION_REQUESTS);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    logger.error("invalid API request", { error });
    return json(400, { error: error.message, errors: error.errors });
  }
  if (invocation.kind !== "api") throw new Error("unreachable: API envelope parsed as another kind");
  try {
    const answer = await forwardCollection(env.DATA_COLLECTION_URL, invocation.request, forwardOptions(env));
    return json(answer.status, answer.body);
  } catch (error) {
    logger.error("collection request failed", { error: error as Error, request: invocation.request });
    if (error instanceof CollectionRejectedError) return json(error.status, { error: error.serviceMessage });
    if (error instanceof CollectionUnavailableError) return json(502, { error: error.message });
    throw error;
  }
}

export const handler = lambdaHandler("data-collection-proxy", async (event): Promise<ProxyResult> => {
  const env = config();
  if (isApiEvent(event)) return handleApi(env, event);

  const invocation = parseInvocation(event, env.DEFAULT_COLLECTION_REQUESTS);
  if (invocation.kind === "schedule") {
    const results: CollectionResult[] = [];
    const failures: string[] = [];
    // One at a time: the service collects each request itself and must not be flooded by a schedule.
    for (const request of invocation.requests) {
      try {
        const answer = await forwardCollection(env.DATA_COLLECTION_URL, request, forwardOptions(env));
        results.push({ request, status: answer.status, answer: answer.body });
      } catch (error) {
        logger.error("scheduled collection request failed", { error: error as Error, request });
        failures.push(
          `${request.exchange} ${request.symbol} ${request.timeframe}: ${(error as Error).message}`,
        );
      }
    }
    if (failures.length > 0) {
      throw new Error(
        `${failures.length} of ${invocation.requests.length} scheduled collections failed: ${failures.join("; ")}`,
      );
    }
    return { results };
  }
  const answer = await forwardCollection(env.DATA_COLLECTION_URL, invocation.request, forwardOptions(env));
  return answer.body;
});
