/**
 * Amazon States Language, typed: the retraining workflow is built from these types so a missing `Next`
 * or a misspelt field is a compile error, and the result is checked against the ASL schema in tests.
 */

export interface RetryRule {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
}

export interface CatchRule {
  ErrorEquals: string[];
  ResultPath?: string | null;
  Next: string;
}

interface Transition {
  Next?: string;
  End?: true;
  Comment?: string;
}

export interface TaskState extends Transition {
  Type: "Task";
  Resource: string;
  Parameters?: Record<string, unknown>;
  ResultSelector?: Record<string, unknown>;
  ResultPath?: string | null;
  TimeoutSeconds?: number;
  Retry?: RetryRule[];
  Catch?: CatchRule[];
}

export interface ChoiceRule {
  Variable: string;
  BooleanEquals?: boolean;
  StringEquals?: string;
  Next: string;
}

export interface ChoiceState {
  Type: "Choice";
  Comment?: string;
  Choices: ChoiceRule[];
  Default: string;
}

export interface PassState extends Transition {
  Type: "Pass";
  Result?: unknown;
  ResultPath?: string | null;
  Parameters?: Record<string, unknown>;
}

export interface SucceedState {
  Type: "Succeed";
  Comment?: string;
}

export interface FailState {
  Type: "Fail";
  Comment?: string;
  Error?: string;
  Cause?: string;
}

export type State = TaskState | ChoiceState | PassState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, State>;
}

/** Names of the states a state can move to. */
export function transitions(state: State): string[] {
  switch (state.Type) {
    case "Choice":
      return [...state.Choices.map((c) => c.Next), state.Default];
    case "Task":
      return [...(state.Next ? [state.Next] : []), ...(state.Catch ?? []).map((c) => c.Next)];
    case "Pass":
      return state.Next ? [state.Next] : [];
    default:
      return [];
  }
}

/**
 * Problems a definition has beyond its schema: transitions to states that do not exist, and states that
 * can never be reached from `StartAt`.
 */
export function definitionProblems(definition: StateMachineDefinition): string[] {
  const problems: string[] = [];
  const names = new Set(Object.keys(definition.States));
  if (!names.has(definition.StartAt)) problems.push(`StartAt "${definition.StartAt}" is not a state`);
  for (const [name, state] of Object.entries(definition.States)) {
    for (const next of transitions(state)) {
      if (!names.has(next)) problems.push(`${name} moves to unknown state "${next}"`);
    }
  }
  const seen = new Set<string>();
  const queue = [definition.StartAt];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = definition.States[name];
    if (state) queue.push(...transitions(state));
  }
  for (const name of names) if (!seen.has(name)) problems.push(`${name} is unreachable`);
  return problems;
}
