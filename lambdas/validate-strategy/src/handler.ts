/**
 * validate-strategy: validates a strategy definition (schema and constraints between fields) and returns
 * every error. Invoked directly or by Step Functions with the strategy as the event, it returns
 * `{ valid, errors }`; behind API Gateway (proxy integration, strategy as the JSON body) it returns that
 * as the response body with 200 (valid), 422 (invalid) or 400 (body not JSON).
 */

import { type ValidationError, validateStrategy } from "@tradai/contracts";
import { lambdaHandler, logger } from "@tradai/lambda-common";
import type { APIGatewayProxyResult } from "aws-lambda";
import { readRequest } from "./request";

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

function respond(statusCode: number, body: object): APIGatewayProxyResult {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

export const handler = lambdaHandler(
  "validate-strategy",
  async (event): Promise<ValidationResult | APIGatewayProxyResult> => {
    const request = readRequest(event);
    if ("bodyError" in request) {
      logger.error("validate-strategy: unreadable request", { error: request.bodyError });
      return respond(400, { valid: false, errors: [{ path: "", message: request.bodyError }] });
    }
    const result = validateStrategy(request.strategy);
    const outcome: ValidationResult = { valid: result.valid, errors: result.errors };
    if (!result.valid)
      logger.info("strategy rejected", { errorCount: result.errors.length, errors: result.errors });
    return request.via === "api" ? respond(result.valid ? 200 : 422, outcome) : outcome;
  },
);
