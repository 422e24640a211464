/**
 * Strategies enter the platform through the backend, and every one is checked by the `validate-strategy`
 * Lambda (the platform's one validator: schema and constraints between fields, every error at once). The
 * caller gets the Lambda's errors; a validator that cannot answer is a 502, never a silent pass.
 */
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import { HttpError, RequestValidationError } from "@tradai/service-common";
import { z } from "zod";

/** What validate-strategy returns when invoked directly (`lambdas/validate-strategy/src/handler.ts`). */
export const ValidationOutcome = z.object({
  valid: z.boolean(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ValidationOutcome = z.infer<typeof ValidationOutcome>;

export interface StrategyValidator {
  validate(definition: unknown): Promise<ValidationOutcome>;
}

/** Invokes the validate-strategy function synchronously with the definition as the event. */
export class LambdaStrategyValidator implements StrategyValidator {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async validate(definition: unknown): Promise<ValidationOutcome> {
    let result: InvokeCommandOutput;
    try {
      result = await this.lambda.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(JSON.stringify(definition ?? null)),
        }),
      );
    } catch (error) {
      throw new HttpError(502, `strategy validation unavailable: ${(error as Error).message}`);
    }
    const text = result.Payload ? new TextDecoder().decode(result.Payload) : "";
    if (result.FunctionError) {
      throw new HttpError(502, `strategy validation failed (${result.FunctionError}): ${text.slice(0, 500)}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new HttpError(502, "strategy validation returned no JSON");
    }
    const outcome = ValidationOutcome.safeParse(answer);
    if (!outcome.success) throw new HttpError(502, "strategy validation returned an unexpected answer");
    return outcome.data;
  }
}

/** Throws the validator's errors as a 400 naming each field (`body.<path>`); returns when valid. */
export async function requireValidStrategy(
  validator: StrategyValidator,
  definition: unknown,
  message = "invalid strategy definition",
  prefix = "body",
): Promise<void> {
  const outcome = await validator.validate(definition);
  if (outcome.valid) return;
  throw new RequestValidationError(
    outcome.errors.map((e) => ({ field: e.path ? `${prefix}.${e.path}` : prefix, message: e.message })),
    message,
  );
}
