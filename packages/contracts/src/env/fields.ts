/**
 * Field types of environment schemas: every value arrives as a string, and these say what it must hold.
 * The Lambdas and the services share them (one `requiredString`).
 */
import * as z from "zod";

/** A required, non-empty variable (surrounding white space does not count). */
export const requiredString = () => z.string().trim().min(1, "must not be empty");

/** A comma-separated list of non-empty ids (`subnet-1,subnet-2`), at least one. */
export const csvList = () =>
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(z.string()).min(1, "expected a comma-separated list with at least one id"));

/** A comma-separated list, possibly empty. */
export const commaList = () =>
  z.string().transform((value) =>
    value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  );

/** A variable holding JSON that must match `schema` (e.g. `RETRAINING_MODELS`). */
export const jsonString = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((value, ctx): unknown => {
      try {
        return JSON.parse(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "expected JSON", input: value });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** A positive number given as a string (`"15"`). */
export const positiveNumber = () => z.coerce.number().positive("expected a positive number");

/** A TCP port from a string variable. */
export const port = () => z.coerce.number().int().min(0).max(65535);

/** Settings every service's HTTP server shares. */
export const serverEnv = {
  PORT: port().default(8080),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long a graceful shutdown may take before the process gives up on draining. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().default(25),
};

/** A parsed `s3://bucket[/prefix]` Pulumi state backend URL. `prefix` has no leading or trailing slash ("" for none). */
export interface S3Backend {
  bucket: string;
  prefix: string;
}

/**
 * Parses `PULUMI_BACKEND_URL`. Query parameters (`?region=...&awssdk=v2`) are allowed and ignored: the
 * caller's own region and credentials are used.
 */
export function parseBackendUrl(value: string): S3Backend {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PULUMI_BACKEND_URL is not a URL: ${value}`);
  }
  if (url.protocol !== "s3:")
    throw new Error(`PULUMI_BACKEND_URL must be an s3:// URL, got ${url.protocol}//`);
  if (url.hostname === "") throw new Error(`PULUMI_BACKEND_URL has no bucket: ${value}`);
  return { bucket: url.hostname, prefix: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "") };
}

/** An `s3://bucket[/prefix]` state backend URL, parsed into bucket and prefix. */
export const s3BackendUrl = () =>
  requiredString().transform((value, ctx): S3Backend => {
    try {
      return parseBackendUrl(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message, input: value });
      return z.NEVER;
    }
  });
