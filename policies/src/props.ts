/** Small readers for resource inputs, which arrive as untyped JSON (possibly behind the unknown proxy). */
import { isUnknownValueError } from "./internals";

export type Props = Record<string, unknown>;

/** True for a plain object (or the analyzer's proxy around one). */
export function isRecord(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A nested object, or undefined. */
export function recordAt(value: unknown, key: string): Props | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return isRecord(field) ? field : undefined;
}

/** The value as a list: arrays as they are, a single value as a one-element list, nothing as []. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A non-empty string, or undefined. */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * Whether `key` holds a value, treating a value unknown during preview as set. Stack policies use
 * this so one computed input (e.g. a redrive policy naming a not-yet-created ARN) does not stop the
 * whole policy from running.
 */
export function isSet(props: Props, key: string): boolean {
  try {
    const value = props[key];
    return value !== undefined && value !== null && value !== "" && value !== false;
  } catch (error) {
    if (isUnknownValueError(error)) return true;
    throw error;
  }
}

/** The value of `key`, or undefined when it is unknown during preview. */
export function knownValue(props: Props, key: string): unknown {
  try {
    return props[key];
  } catch (error) {
    if (isUnknownValueError(error)) return undefined;
    throw error;
  }
}

/**
 * A JSON object given either as an object or as a JSON string (IAM documents, and provider inputs
 * such as the AWS provider's `defaultTags`, which its SDK serialises). Undefined when absent; throws
 * a SyntaxError when the string is not JSON.
 */
export function jsonObject(value: unknown): Props | undefined {
  if (typeof value === "string") {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  }
  return isRecord(value) ? value : undefined;
}
