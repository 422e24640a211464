/**
 * Field types for stack configuration. Pulumi hands every config value to the program as a string, so
 * each field says how to read one: plain strings, numbers, booleans, or JSON for lists and maps.
 */
import { z } from "zod";

/** A whole or decimal number written as a string (`"3"`). */
export function num() {
  return z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, { error: "expected a number" })
    .transform(Number);
}

/** A positive whole number written as a string. */
export function int(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return num().pipe(
    z
      .number()
      .int({ error: "expected a whole number" })
      .min(min, { error: `expected at least ${min}` })
      .max(max, { error: `expected at most ${max}` }),
  );
}

/** `true` or `false`. */
export function bool() {
  return z.stringbool({ error: 'expected "true" or "false"' });
}

/** A JSON value (list or map) validated by `schema`; Pulumi passes YAML lists and maps as JSON text. */
export function json<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "expected a YAML list or map (JSON)" });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A CIDR block such as `10.0.0.0/16`. */
export function cidr() {
  return z
    .string()
    .regex(/^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, { error: "expected an IPv4 CIDR block" });
}

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A CloudWatch Logs retention in days: only the periods the service accepts. */
export function logRetention() {
  return int(1, 3653).refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    error: `expected one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
  });
}
