/**
 * Principals are named after what the plan deploys: `function:<catalog name>` for a Lambda,
 * `ecs:<name>` for a task role (service or one-shot task), `states:<name>` for a state machine role.
 */

/** The strategy-service image runs as five principals, one per MODE (each has its own task role). */
export const STRATEGY_SERVICE_MODES = {
  api: "ecs:strategy-service",
  backtest: "ecs:backtest",
  training: "ecs:training",
  "dry-run": "ecs:dry-run-trading",
  live: "ecs:live-trading",
} as const;

/** Test files of strategy-service that exercise one mode (main.test.ts names the mode per spawn). */
const STRATEGY_SERVICE_TESTS: Record<string, string> = {
  "api-mode.test.ts": STRATEGY_SERVICE_MODES.api,
  "backtest-mode.test.ts": STRATEGY_SERVICE_MODES.backtest,
  "training.test.ts": STRATEGY_SERVICE_MODES.training,
  "trading.test.ts": STRATEGY_SERVICE_MODES["dry-run"],
  "main.test.ts": STRATEGY_SERVICE_MODES.api,
  "live-performance.test.ts": STRATEGY_SERVICE_MODES["dry-run"],
};

/**
 * The principal whose code a test file exercises, from its path relative to the repository root
 * (`lambdas/<name>/test/...`, `services/<name>/test/...`), or undefined for tests of shared code.
 */
export function principalForTestFile(relativePath: string): string | undefined {
  const parts = relativePath.split(/[\\/]/);
  const [area, name, dir, file] = parts;
  if (dir !== "test" || !name || !file) return undefined;
  if (area === "lambdas") return name === "common" || name === "base" ? undefined : `function:${name}`;
  if (area !== "services") return undefined;
  if (name === "backend") return "ecs:backend-api";
  if (name === "data-collection") return "ecs:data-collection";
  if (name === "strategy-service")
    return STRATEGY_SERVICE_TESTS[parts[parts.length - 1] ?? ""] ?? STRATEGY_SERVICE_MODES.api;
  return undefined;
}
