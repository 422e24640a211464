import type { z } from "zod";

/** One failing field of a request: its dotted path and why it failed. */
export interface FieldError {
  field: string;
  message: string;
}

/** An error with an HTTP status that the service error handler answers as-is. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(statusCode: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "HttpError";
    this.statusCode = statusCode;
    this.details = details;
  }
}

/** A 400 answer listing every failing field. */
export class RequestValidationError extends HttpError {
  readonly fields: readonly FieldError[];

  constructor(fields: readonly FieldError[], message = "request validation failed") {
    super(400, message, { fields });
    this.name = "RequestValidationError";
    this.fields = fields;
  }
}

/** Converts zod issues to field errors; `prefix` names the request part (`body`, `params`, `query`). */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== "").join("."),
    message: issue.message,
  }));
}

/** Parses `value` with `schema` or throws a {@link RequestValidationError} naming the failing fields. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new RequestValidationError(fieldErrors(result.error, prefix));
  return result.data;
}
