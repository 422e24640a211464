/**
 * Errors the CLI reports without a stack trace. Each carries the process exit code and, where there is
 * one, the next thing the operator should do.
 */

/** Exit codes: 1 = the operation failed, 2 = the command line was wrong, 3 = refused for safety. */
export const EXIT = { failed: 1, usage: 2, refused: 3 } as const;

/** A failure with a message meant for the operator (no stack trace) and an optional next step. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The command line names something that does not exist or misses an argument. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, hint, EXIT.usage);
    this.name = "UsageError";
  }
}

/** A safety rule refused the operation (missing confirmation, wrong account, non-interactive session). */
export class RefusedError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, hint, EXIT.refused);
    this.name = "RefusedError";
  }
}

/** Message of any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
