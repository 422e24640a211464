/**
 * Pulumi's runtime captures `new Error().stack` for every resource promise (`debuggablePromise` in
 * @pulumi/pulumi/runtime/debuggable.js) and reads those stacks only to name leaked promises when
 * PULUMI_DEBUG_PROMISE_LEAKS is set. Formatting them is most of that cost: source-mapped under tsx, a
 * quarter of the CPU of a compute plan (`--cpu-prof` of the scenario worker); through jest's formatter, a
 * third of a run of the layer-plan tests. Without that variable such a stack is its first line only
 * (nothing reads it), with it the frames as V8 would print them; every other error is formatted as before.
 *
 * This module loads nothing: the jest environment imports it for every test file.
 */

export type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** A stack as V8 formats it by default. */
export const plainStack = (error: Error, frames: NodeJS.CallSite[]) =>
  `${error.name}: ${error.message}${frames.map((frame) => `\n    at ${frame}`).join("")}`;

/** Marks a formatter installed here, so installing twice keeps one wrapper. */
const INSTALLED = Symbol.for("tradai.cheapPulumiDebugStacks");

/**
 * Installs on `target` (an `Error` constructor) a formatter that keeps Pulumi's promise stacks cheap and
 * hands every other stack to `formatOther()` (looked up per call; plain V8 text when it gives none).
 */
export function cheapPulumiDebugStacks(
  target: { prepareStackTrace?: PrepareStackTrace },
  formatOther: () => PrepareStackTrace | undefined,
): void {
  const format: PrepareStackTrace & { [INSTALLED]?: true } = (error, frames) => {
    if (frames[0]?.getFunctionName() === "debuggablePromise") {
      return process.env.PULUMI_DEBUG_PROMISE_LEAKS
        ? plainStack(error, frames)
        : `${error.name}: ${error.message}\n    at debuggablePromise (frames kept with PULUMI_DEBUG_PROMISE_LEAKS=1)`;
    }
    const other = formatOther();
    return other ? other(error, frames) : plainStack(error, frames);
  };
  format[INSTALLED] = true;
  target.prepareStackTrace = format;
}

/**
 * For a process that runs Pulumi programs (the offline planner): installs the cheap formatter on this
 * realm's `Error` in front of whatever formats stacks now (Node's own, source-mapped under tsx). Calling it
 * again, or where it is already installed (the jest environment), changes nothing.
 */
export function useCheapPulumiDebugStacks(): void {
  const realm = Error as { prepareStackTrace?: PrepareStackTrace & { [INSTALLED]?: true } };
  if (realm.prepareStackTrace?.[INSTALLED]) return;
  const previous = realm.prepareStackTrace;
  cheapPulumiDebugStacks(realm, () => previous);
}
