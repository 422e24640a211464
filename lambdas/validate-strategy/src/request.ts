/** The two ways a strategy arrives: as the event itself, or as the JSON body of an API Gateway request. */
import * as z from "zod";

/** An API Gateway (REST or HTTP API) proxy event: the strategy is the JSON in `body`. */
const ProxyEvent = z.looseObject({
  body: z.string().nullable(),
  isBase64Encoded: z.boolean().optional(),
});

export type StrategyRequest =
  | { via: "direct"; strategy: unknown }
  | { via: "api"; strategy: unknown }
  | { via: "api"; bodyError: string };

/** Whether the event is a proxy request rather than a strategy (a strategy has no `body`). */
export function isProxyEvent(event: unknown): boolean {
  return typeof event === "object" && event !== null && "body" in event;
}

/** Extracts the strategy to validate; a proxy body that is missing or not JSON is a `bodyError`. */
export function readRequest(event: unknown): StrategyRequest {
  if (!isProxyEvent(event)) return { via: "direct", strategy: event };
  const proxy = ProxyEvent.safeParse(event);
  if (!proxy.success) return { via: "api", bodyError: "body must be a string" };
  const { body, isBase64Encoded } = proxy.data;
  if (body === null || body.trim() === "") return { via: "api", bodyError: "request body is empty" };
  const text = isBase64Encoded ? Buffer.from(body, "base64").toString("utf8") : body;
  try {
    return { via: "api", strategy: JSON.parse(text) as unknown };
  } catch (error) {
    return { via: "api", bodyError: `request body is not JSON: ${(error as Error).message}` };
  }
}
