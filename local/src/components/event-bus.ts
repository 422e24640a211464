/**
 * EventBridge, locally: the plan's scheduled rules fire at their `rate(...)`/`cron(...)` (or on demand,
 * `tradai local run <function>`), and events put on the bus (the ECS task state changes of local tasks)
 * are matched against the plan's event patterns and delivered to the rule's function asynchronously,
 * with the target's retry policy of two retries.
 */
import { randomUUID } from "node:crypto";
import type { RuleTrigger, Topology } from "../topology";
import type { FunctionRuntime } from "./functions";

export interface BusEvent {
  source: string;
  "detail-type": string;
  detail: Record<string, unknown>;
  resources?: string[];
}

export interface EventBus {
  /** Delivers an event to every rule whose pattern matches; resolves when the targets have run. */
  put(event: BusEvent): Promise<void>;
  /** Runs a scheduled function now with the Scheduled Event its rule would send. */
  runScheduled(functionKey: string): Promise<unknown>;
  stop(): void;
}

/** EventBridge pattern matching for the forms the plan uses: value lists, `exists`, `prefix`, nesting. */
export function matchesPattern(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      return expected.some((candidate) => {
        if (candidate !== null && typeof candidate === "object") {
          const rule = candidate as Record<string, unknown>;
          if ("exists" in rule) return rule.exists === (actual !== undefined);
          if (typeof rule.prefix === "string")
            return typeof actual === "string" && actual.startsWith(rule.prefix);
          if (Array.isArray(rule["anything-but"]))
            return !(rule["anything-but"] as unknown[]).includes(actual);
          return false;
        }
        return Array.isArray(actual) ? actual.includes(candidate) : actual === candidate;
      });
    }
    if (expected !== null && typeof expected === "object") {
      return (
        actual !== null &&
        typeof actual === "object" &&
        matchesPattern(expected as Record<string, unknown>, actual as Record<string, unknown>)
      );
    }
    return actual === expected;
  });
}

/** Milliseconds between firings of `rate(N unit)`, or undefined for cron expressions. */
export function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return undefined;
  const unit = match[2]?.startsWith("minute")
    ? 60_000
    : match[2]?.startsWith("hour")
      ? 3_600_000
      : 86_400_000;
  return Number(match[1]) * unit;
}

function fieldMatches(field: string, value: number): boolean {
  if (field === "*" || field === "?") return true;
  return field.split(",").some((part) => {
    const [range, step] = part.split("/");
    const [from, to] = (range ?? "").split("-");
    const start = range === "*" ? 0 : Number(from);
    const end = to !== undefined ? Number(to) : step ? Number.MAX_SAFE_INTEGER : start;
    if (value < start || value > end) return false;
    return step ? (value - start) % Number(step) === 0 : true;
  });
}

/** Whether `cron(min hour day-of-month month day-of-week year)` fires in the UTC minute of `at`. */
export function cronMatches(expression: string, at: Date): boolean {
  const fields = /^cron\((.+)\)$/.exec(expression)?.[1]?.split(/\s+/);
  if (fields?.length !== 6) return false;
  const [minute, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  return (
    fieldMatches(minute, at.getUTCMinutes()) &&
    fieldMatches(hour, at.getUTCHours()) &&
    fieldMatches(dom, at.getUTCDate()) &&
    fieldMatches(month, at.getUTCMonth() + 1) &&
    fieldMatches(dow, at.getUTCDay() + 1) &&
    fieldMatches(year, at.getUTCFullYear())
  );
}

export function startEventBus(options: {
  topology: Topology;
  functions: FunctionRuntime;
  log: (line: string) => void;
  /** Fire schedules on their own; off when only on-demand runs are wanted. @default true */
  schedules?: boolean;
}): EventBus {
  const { topology, functions, log } = options;
  const timers: NodeJS.Timeout[] = [];
  const scheduledEvent = (rule: RuleTrigger) => ({
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: topology.accountId,
    time: new Date().toISOString(),
    region: topology.region,
    resources: [`arn:aws:events:${topology.region}:${topology.accountId}:rule/${rule.ruleName}`],
    detail: {},
  });
  /** Asynchronous invocation: the event's target retries twice, as the plan's retry policy says. */
  const deliver = async (rule: RuleTrigger, event: unknown) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await functions.invoke(rule.functionKey, event);
      } catch (error) {
        log(
          `${rule.ruleName} -> ${rule.functionKey}: attempt ${attempt + 1} failed: ${(error as Error).message}`,
        );
        if (attempt === 2) throw error;
      }
    }
    return undefined;
  };
  if (options.schedules !== false) {
    for (const rule of topology.rules) {
      if (!rule.scheduleExpression) continue;
      const every = rateMs(rule.scheduleExpression);
      if (every !== undefined) {
        timers.push(setInterval(() => void deliver(rule, scheduledEvent(rule)).catch(() => {}), every));
      }
    }
    const cronRules = topology.rules.filter((r) => r.scheduleExpression?.startsWith("cron("));
    if (cronRules.length > 0) {
      // Checked once a minute, a few seconds into it.
      timers.push(
        setInterval(() => {
          const now = new Date();
          if (now.getUTCSeconds() > 10) return;
          for (const rule of cronRules) {
            if (rule.scheduleExpression && cronMatches(rule.scheduleExpression, now)) {
              void deliver(rule, scheduledEvent(rule)).catch(() => {});
            }
          }
        }, 10_000),
      );
    }
  }
  for (const timer of timers) timer.unref();
  return {
    async put(event) {
      const full = {
        version: "0",
        id: randomUUID(),
        account: topology.accountId,
        time: new Date().toISOString(),
        region: topology.region,
        resources: [],
        ...event,
      };
      const targets = topology.rules.filter((r) => r.eventPattern && matchesPattern(r.eventPattern, full));
      await Promise.allSettled(targets.map((rule) => deliver(rule, full)));
    },
    async runScheduled(functionKey) {
      const rule = topology.rules.find((r) => r.functionKey === functionKey && r.scheduleExpression);
      if (!rule) {
        const scheduled = topology.rules.filter((r) => r.scheduleExpression).map((r) => r.functionKey);
        throw new Error(
          `${functionKey} has no schedule in the plan; scheduled functions: ${scheduled.join(", ")}`,
        );
      }
      return functions.invoke(rule.functionKey, scheduledEvent(rule));
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
