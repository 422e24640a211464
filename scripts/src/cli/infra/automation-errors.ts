/**
 * Automation API errors turned into operator messages: the SDK's `CommandError` message is the raw
 * `code/stdout/stderr/err` dump of the `pulumi` process.
 */
import { CliError, messageOf } from "../errors";

/** The `stderr:` section of a CommandError message (what pulumi printed as the reason), else the message. */
export function pulumiReason(message: string): string {
  const match = /\n\s*stderr:([\s\S]*?)(?:\n\s*err\?:|$)/.exec(message);
  const stderr = (match?.[1] ?? message).trim();
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  return (lines.length > 20 ? lines.slice(-20) : lines).join("\n") || message.trim();
}

/** The CliError for a failed Automation API call on `layer`'s `env` stack. */
export function automationError(error: unknown, layer: string, env: string): CliError {
  if (error instanceof CliError) return error;
  const message = messageOf(error);
  if (/spawn pulumi ENOENT|pulumi: (command )?not found/.test(message)) {
    return new CliError(
      "the Pulumi CLI is not installed (or not on PATH)",
      "install it (https://www.pulumi.com/docs/install/; in CI: pulumi/actions) and log in: pnpm tradai infra setup",
    );
  }
  const name = error instanceof Error ? error.constructor.name : "";
  if (
    name === "ConcurrentUpdateError" ||
    /\[409\] Conflict|currently (being )?(updated|locked)|locked by/.test(message)
  ) {
    return new CliError(
      `stack ${env} of ${layer} is locked by another update`,
      `wait for it, or if it was interrupted: pnpm tradai infra recover ${layer} ${env}`,
    );
  }
  return new CliError(`pulumi failed on ${layer} (${env}):\n${pulumiReason(message)}`);
}
