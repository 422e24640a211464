/**
 * Bad input, as an error class callers tell apart. The job store's outcomes are @tradai/aws-clients' errors;
 * bad configuration is @tradai/contracts' ConfigError.
 */

/** An event or message failed validation. The message lists every failing field path. */
export class InvalidEventError extends Error {
  constructor(
    readonly what: string,
    readonly errors: readonly { path: string; message: string }[],
  ) {
    super(`invalid ${what}: ${errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`);
    this.name = "InvalidEventError";
  }
}
