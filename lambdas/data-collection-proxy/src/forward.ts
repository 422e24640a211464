/**
 * Forwards one collection request to the data-collection service (`POST <base>/v1/collect`) with a
 * per-attempt timeout and bounded retries. Retried: 5xx answers, timeouts and connection errors (the
 * service may be restarting behind Cloud Map). Not retried: 4xx, which means the request itself is wrong.
 */

/** How hard to try. */
export interface ForwardOptions {
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Total attempts, first one included (>= 1). */
  maxAttempts: number;
  /** Delay before the second attempt; doubles for each further attempt. */
  backoffMs: number;
}

/** A 2xx answer of the service. `body` is the parsed JSON, or the text when the answer is not JSON. */
export interface ServiceAnswer {
  status: number;
  body: unknown;
  attempts: number;
}

/** The service refused the request (4xx): retrying cannot help. */
export class CollectionRejectedError extends Error {
  override readonly name = "CollectionRejectedError";
  constructor(
    readonly status: number,
    readonly serviceMessage: string,
  ) {
    super(`data-collection rejected the request (HTTP ${status}): ${serviceMessage}`);
  }
}

/** Every attempt failed with a 5xx, a timeout or a connection error. */
export class CollectionUnavailableError extends Error {
  override readonly name = "CollectionUnavailableError";
  constructor(
    readonly attempts: number,
    readonly lastFailure: string,
  ) {
    super(`data-collection unavailable after ${attempts} attempt(s): ${lastFailure}`);
  }
}

/** Joins the base URL and `/v1/collect` whether or not the base ends with a slash or has a path. */
export function collectUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/collect`;
  return url.toString();
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The service's own explanation: `message` or `error` of a JSON body, else the text. */
function messageOf(body: unknown, status: number): string {
  if (typeof body === "string" && body.trim() !== "") return body.trim();
  if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["message", "error", "detail"]) {
      const value = record[key];
      if (typeof value === "string" && value !== "") return value;
    }
    return JSON.stringify(body);
  }
  return `HTTP ${status} without a body`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends `request` and returns the service's 2xx answer; throws the errors above otherwise. */
export async function forwardCollection(
  baseUrl: string,
  request: unknown,
  options: ForwardOptions,
): Promise<ServiceAnswer> {
  const url = collectUrl(baseUrl);
  const payload = JSON.stringify(request);
  let lastFailure = "";
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (attempt > 1 && options.backoffMs > 0) await sleep(options.backoffMs * 2 ** (attempt - 2));
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      lastFailure =
        name === "TimeoutError" || name === "AbortError"
          ? `no answer within ${options.timeoutMs} ms`
          : `${(error as Error).message}${causeCode(error)}`;
      continue;
    }
    let body: unknown;
    try {
      body = await readBody(response);
    } catch (error) {
      // The headers arrived but the body did not finish within the timeout.
      lastFailure = `answer interrupted: ${(error as Error).message}`;
      continue;
    }
    if (response.ok) return { status: response.status, body, attempts: attempt };
    if (response.status >= 400 && response.status < 500) {
      throw new CollectionRejectedError(response.status, messageOf(body, response.status));
    }
    lastFailure = `HTTP ${response.status}: ${messageOf(body, response.status)}`;
  }
  throw new CollectionUnavailableError(options.maxAttempts, lastFailure);
}

function causeCode(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === "string" ? ` (${code})` : "";
}
