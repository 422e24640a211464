/**
 * Progress of multi-step work (one step per stack or per image). The interactive implementation is
 * listr2; `plainProgress` writes one line per event and is what non-TTY sessions and tests see.
 */
import { messageOf } from "./errors";
import type { Io } from "./io";

/** One unit of work; `log` streams detail lines, the returned string summarises the result. */
export interface ProgressStep {
  title: string;
  run(log: (line: string) => void): Promise<string | undefined>;
}

export interface StepOutcome {
  title: string;
  ok: boolean;
  summary?: string;
  error?: unknown;
}

export interface Progress {
  /**
   * Runs the steps in order. Without `continueOnError` the first failure stops the run and is thrown;
   * with it every step runs and the outcomes tell what failed.
   */
  run(steps: ProgressStep[], options?: { continueOnError?: boolean }): Promise<StepOutcome[]>;
}

/**
 * Line-per-event progress on stderr (stdout stays for data). Detail lines (Pulumi's output) are
 * forwarded too, indented, unless `quiet`: in CI logs they are the only record of what happened.
 */
export function plainProgress(io: Io, options: { quiet?: boolean } = {}): Progress {
  return {
    async run(steps, { continueOnError = false } = {}) {
      const outcomes: StepOutcome[] = [];
      for (const step of steps) {
        io.err(`-> ${step.title}`);
        try {
          const summary = await step.run((line) => {
            const text = line.trimEnd();
            if (!options.quiet && text) io.err(`   ${text}`);
          });
          io.err(`ok ${step.title}${summary ? `: ${summary}` : ""}`);
          outcomes.push({ title: step.title, ok: true, ...(summary ? { summary } : {}) });
        } catch (error) {
          io.err(`FAILED ${step.title}: ${messageOf(error)}`);
          outcomes.push({ title: step.title, ok: false, error });
          if (!continueOnError) throw error;
        }
      }
      return outcomes;
    },
  };
}

/** listr2 progress for terminals: a spinner per step with the engine's latest output line under it. */
export function listrProgress(): Progress {
  return {
    async run(steps, { continueOnError = false } = {}) {
      const { Listr } = await import("listr2");
      const outcomes: StepOutcome[] = [];
      const list = new Listr(
        steps.map((step) => ({
          title: step.title,
          task: async (_ctx: unknown, task: { output: string; title: string }) => {
            try {
              const summary = await step.run((line) => {
                const trimmed = line.trim();
                if (trimmed) task.output = trimmed;
              });
              if (summary) task.title = `${step.title}: ${summary}`;
              outcomes.push({ title: step.title, ok: true, ...(summary ? { summary } : {}) });
            } catch (error) {
              outcomes.push({ title: step.title, ok: false, error });
              throw error;
            }
          },
        })),
        { concurrent: false, exitOnError: !continueOnError, rendererOptions: { collapseErrors: false } },
      );
      try {
        await list.run();
      } catch (error) {
        if (!continueOnError) throw error;
      }
      return outcomes;
    },
  };
}

/** Summary text of resource operation counts (`2 create, 1 update`). */
export function describeChanges(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([op, n]) => n > 0 && op !== "same")
    .map(([op, n]) => `${n} ${op}`);
  return parts.length ? parts.join(", ") : "no changes";
}
