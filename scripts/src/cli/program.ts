/**
 * The `tradai` command tree. Commands get their context lazily, so `--help` and argument errors do no
 * work; heavy modules (Pulumi Automation API, AWS SDK clients, listr2) are imported inside the actions.
 */

import { UnknownNameError } from "@tradai/contracts";
import { Command, CommanderError } from "commander";
import { registerEcs } from "./commands/ecs";
import { registerImages } from "./commands/images";
import { registerInfra } from "./commands/infra";
import { registerLibs } from "./commands/libs";
import { registerLocal } from "./commands/local";
import type { ContextSource } from "./commands/shared";
import { type CliContext, defaultContext } from "./context";
import { CliError, EXIT, messageOf } from "./errors";
import type { Io } from "./io";

/** Builds the program; `io` receives commander's help and usage errors. */
export function createProgram(context: ContextSource, io: Io): Command {
  const program = new Command("tradai")
    .description("TradAI operations: Pulumi stacks, images, ECS services, libraries, the local platform")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, "")),
      writeErr: (text) => io.err(text.replace(/\n$/, "")),
    });
  registerInfra(program, context);
  registerImages(program, context);
  registerEcs(program, context);
  registerLibs(program, context);
  registerLocal(program, context);
  // Every subcommand shares the program's error and output handling.
  const inherit = (command: Command) => {
    for (const sub of command.commands) {
      sub
        .exitOverride()
        .configureOutput(program.configureOutput())
        .showHelpAfterError("(run with --help for usage)");
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 failed, 2 wrong usage or unknown names (with the valid
 * choices), 3 refused for safety.
 */
export async function runCli(
  argv: readonly string[],
  make: () => CliContext = defaultContext,
  io?: Io,
): Promise<number> {
  let ctx: CliContext | undefined;
  const context = () => {
    ctx ??= make();
    return ctx;
  };
  const out = io ?? { out: (t: string) => context().io.out(t), err: (t: string) => context().io.err(t) };
  const program = createProgram(context, out);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.exitCode === 0
      ) {
        return 0;
      }
      if (error.code === "commander.help") return 0;
      return EXIT.usage;
    }
    if (error instanceof UnknownNameError) {
      out.err(`error: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof CliError) {
      out.err(`error: ${error.message}`);
      if (error.hint) out.err(`next: ${error.hint}`);
      return error.exitCode;
    }
    out.err(`error: ${messageOf(error)}`);
    if (process.env.TRADAI_DEBUG && error instanceof Error && error.stack) out.err(error.stack);
    return EXIT.failed;
  }
}
