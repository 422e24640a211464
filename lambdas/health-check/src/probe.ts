/** HTTP probe of a service's `/health` endpoint with a hard timeout. */

/** Outcome of one probe. `status` is absent when no answer arrived (timeout, refused connection). */
export interface ProbeResult {
  url: string;
  ok: boolean;
  status?: number;
  error?: string;
  elapsedMs: number;
}

/**
 * GETs `url` and reports whether it answered 2xx within `timeoutMs`. Never throws: an unreachable or
 * hanging endpoint is a result, not an error, because one bad service must not hide the others.
 */
export async function probeHealth(url: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(url, {
      method: "GET",
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json" },
      redirect: "manual",
    });
    // The body is not needed; releasing it frees the socket.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { url, ok: true, status: response.status, elapsedMs: elapsed() };
    return {
      url,
      ok: false,
      status: response.status,
      error: `HTTP ${response.status}`,
      elapsedMs: elapsed(),
    };
  } catch (error) {
    const name = (error as Error).name;
    const message =
      name === "TimeoutError" || name === "AbortError"
        ? `no answer within ${timeoutMs} ms`
        : describeFetchError(error as Error);
    return { url, ok: false, error: message, elapsedMs: elapsed() };
  }
}

/** Node's fetch hides the socket error in `cause` (ECONNREFUSED, ENOTFOUND ...). */
function describeFetchError(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${error.message}: ${cause.code}`;
  if (cause?.message) return `${error.message}: ${cause.message}`;
  return error.message;
}
