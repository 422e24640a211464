/**
 * Start-up progress, one line per component. In a terminal `tradai local up` shows listr2 spinners
 * (children run concurrently); elsewhere (pipes, CI, tests) the same steps run with plain lines or
 * silently, without loading listr2 (an ES module).
 */

export interface Step {
  title: string;
  /** Runs the step; `update` replaces its title with what it found (addresses, counts). */
  run?: (update: (title: string) => void) => Promise<void>;
  /** Sub-steps started together once `run` (if any) is done. */
  concurrent?: Step[];
}

export type Renderer = "default" | "simple" | "silent";

/** How long each step took (concurrent children included), in the order they finished. */
export type StepTimings = { step: string; seconds: number }[];

async function runPlain(steps: Step[], write: (line: string) => void, timings: StepTimings): Promise<void> {
  for (const step of steps) {
    const started = Date.now();
    let title = step.title;
    await step.run?.((t) => {
      title = t;
    });
    if (step.concurrent) {
      await Promise.all(step.concurrent.map((child) => runPlain([child], (l) => write(`  ${l}`), timings)));
    }
    timings.push({ step: step.title, seconds: (Date.now() - started) / 1000 });
    write(`✔ ${title}`);
  }
}

/** Runs the steps in order; the first failure stops the rest and is rethrown. */
export async function runSteps(steps: Step[], renderer: Renderer): Promise<StepTimings> {
  const timings: StepTimings = [];
  if (renderer !== "default") {
    await runPlain(
      steps,
      renderer === "simple" ? (line) => process.stderr.write(`${line}\n`) : () => {},
      timings,
    );
    return timings;
  }
  const { Listr } = await import("listr2");
  type Task = { title: string; newListr: (tasks: unknown[], options: unknown) => unknown };
  const toListr = (step: Step) => ({
    title: step.title,
    task: async (_ctx: unknown, task: Task) => {
      const started = Date.now();
      await step.run?.((t) => {
        task.title = t;
      });
      if (!step.concurrent) timings.push({ step: step.title, seconds: (Date.now() - started) / 1000 });
      if (step.concurrent)
        return task.newListr(step.concurrent.map(toListr), { concurrent: true, exitOnError: true });
      return undefined;
    },
  });
  await new Listr(steps.map(toListr) as never, { exitOnError: true }).run();
  return timings;
}
