/**
 * The three ways the proxy is invoked and the collection requests each one carries: a `CollectionRequest`
 * itself (direct invocation), an EventBridge scheduled event (the configured defaults over a window
 * ending at the event's time) or an API-Gateway-proxy-like `{ body }`.
 */

import { CollectionRequest } from "@tradai/contracts";
import { InvalidEventError, parseEvent, parseJsonEvent, parseScheduledEvent } from "@tradai/lambda-common";
import type { ScheduledCollection } from "./config";

export type Invocation =
  | { kind: "direct"; request: CollectionRequest }
  | { kind: "schedule"; requests: CollectionRequest[] }
  | { kind: "api"; request: CollectionRequest };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An API-Gateway-proxy-like event: anything with a `body` (a collection request itself has none). */
export const isApiEvent = (event: unknown): event is Record<string, unknown> =>
  isRecord(event) && "body" in event;

/** The requests a schedule run sends: each default over `[time - lookbackHours, time]`. */
export function scheduledRequests(
  time: string,
  defaults: readonly ScheduledCollection[],
): CollectionRequest[] {
  const to = new Date(time);
  return defaults.map((d) =>
    parseEvent(
      CollectionRequest,
      {
        exchange: d.exchange,
        symbol: d.symbol,
        timeframe: d.timeframe,
        from: new Date(to.getTime() - d.lookbackHours * 3_600_000).toISOString(),
        to: to.toISOString(),
      },
      "scheduled collection request",
    ),
  );
}

/** An API request's body: a JSON string, base64-encoded when `isBase64Encoded`. */
function apiBody(event: Record<string, unknown>): string {
  const body = event.body;
  if (typeof body !== "string" || body === "") {
    throw new InvalidEventError("API request", [
      { path: "body", message: "a JSON collection request is required" },
    ]);
  }
  return event.isBase64Encoded === true ? Buffer.from(body, "base64").toString("utf8") : body;
}

/**
 * Tells the invocation kinds apart by their envelope and validates the request(s) inside.
 * @throws InvalidEventError naming the kind and every failing field.
 */
export function parseInvocation(event: unknown, defaults: readonly ScheduledCollection[]): Invocation {
  if (isRecord(event) && "detail-type" in event) {
    const scheduled = parseScheduledEvent(event);
    if (defaults.length === 0) {
      throw new InvalidEventError("EventBridge scheduled event", [
        { path: "", message: "DEFAULT_COLLECTION_REQUESTS is empty: a schedule has nothing to collect" },
      ]);
    }
    return { kind: "schedule", requests: scheduledRequests(scheduled.time, defaults) };
  }
  if (isApiEvent(event)) {
    return { kind: "api", request: parseJsonEvent(CollectionRequest, apiBody(event), "API request body") };
  }
  return { kind: "direct", request: parseEvent(CollectionRequest, event, "collection request") };
}
