/**
 * The two pieces of @pulumi/policy 1.21.0 that are not in its public typings but that both evaluation
 * paths must share: the proxy that turns a read of an unknown (computed) input into an
 * `UnknownValueError`, and the sentinel an unknown string is represented by. The version is pinned in
 * package.json; this module refuses to load (failing every test) if either disappears, and
 * `test/engine-parity.test.ts` checks the engine still reports what the offline path does.
 */
import * as proxyModule from "@pulumi/policy/proxy";

interface ProxyInternals {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
  unknownStringValue: string;
}

const internals = proxyModule as unknown as Partial<ProxyInternals>;
if (
  typeof internals.unknownCheckingProxy !== "function" ||
  typeof internals.UnknownValueError !== "function" ||
  typeof internals.unknownStringValue !== "string"
) {
  throw new Error(
    "@pulumi/policy/proxy no longer exposes unknownCheckingProxy/UnknownValueError (pinned 1.21.0)",
  );
}
const checked = internals as ProxyInternals;

/** Wraps inputs so that reading an unknown value throws, exactly as the policy analyzer does. */
export const unknownCheckingProxy = checked.unknownCheckingProxy;

/** The sentinel @pulumi/policy uses for a string whose value is not known during preview. */
export const UNKNOWN_STRING: string = checked.unknownStringValue;

/** True when `error` is the analyzer's "value can't be known during preview" error. */
export function isUnknownValueError(error: unknown): error is Error {
  return error instanceof checked.UnknownValueError;
}
