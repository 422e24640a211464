/**
 * The OpenAPI 3.1 document of the backend API, generated from the same zod schemas the routes validate
 * with (zod 4 `z.toJSONSchema`), so the document cannot drift from the behaviour.
 */
import { JobRecord, StrategyDefinition } from "@tradai/contracts";
import { z } from "zod";
import { BacktestRequest } from "./jobs/backtests";

function schema(type: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  });
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ "application/json": { schema: ref(name) } });
const errorResponse = (description: string) => ({ description, content: json("Error") });

const StrategyItem = z.object({
  strategyId: z.string(),
  definition: StrategyDefinition,
  version: z.number().int().describe("item version, incremented by every write (optimistic concurrency)"),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().optional(),
  updatedBy: z.string().optional(),
});
const ErrorBody = z.object({
  error: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
const BacktestAccepted = z.object({ jobId: z.uuid(), status: z.literal("PENDING"), createdAt: z.string() });

/** Builds the document (cheap; computed once per app). */
export function openApiDocument(version = "0.1.0"): Record<string, unknown> {
  const idParam = (description: string) => ({
    name: "id",
    in: "path",
    required: true,
    description,
    schema: { type: "string" },
  });
  const secured = { security: [{ cognito: [] }] };
  return {
    openapi: "3.1.0",
    info: { title: "TradAI backend API", version },
    components: {
      securitySchemes: {
        cognito: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "Cognito user pool token",
        },
      },
      schemas: {
        StrategyDefinition: schema(StrategyDefinition, "input"),
        StrategyItem: schema(StrategyItem, "output"),
        BacktestRequest: schema(BacktestRequest, "input"),
        BacktestAccepted: schema(BacktestAccepted, "output"),
        JobRecord: schema(JobRecord, "output"),
        Error: schema(ErrorBody, "output"),
      },
    },
    paths: {
      "/health": {
        get: { summary: "Liveness", responses: { "200": { description: "the process answers" } } },
      },
      "/ready": {
        get: {
          summary: "Readiness (tables and queue reachable)",
          responses: {
            "200": { description: "ready" },
            "503": { description: "a dependency is unavailable" },
          },
        },
      },
      "/v1/strategies": {
        get: {
          ...secured,
          summary: "List strategies",
          parameters: [
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 100, default: 50 },
            },
            { name: "nextToken", in: "query", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "a page of strategies",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      items: { type: "array", items: ref("StrategyItem") },
                      nextToken: { type: "string" },
                    },
                  },
                },
              },
            },
            "401": errorResponse("missing or invalid token"),
          },
        },
        post: {
          ...secured,
          summary: "Create a strategy",
          requestBody: { required: true, content: json("StrategyDefinition") },
          responses: {
            "201": { description: "created", content: json("StrategyItem") },
            "400": errorResponse("invalid definition; `fields` lists every failing field"),
            "401": errorResponse("missing or invalid token"),
            "409": errorResponse("a strategy with this id exists"),
          },
        },
      },
      "/v1/strategies/{id}": {
        parameters: [idParam("strategy id")],
        get: {
          ...secured,
          summary: "Get a strategy",
          responses: {
            "200": { description: "the strategy", content: json("StrategyItem") },
            "404": errorResponse("not found"),
          },
        },
        put: {
          ...secured,
          summary: "Replace a strategy definition",
          parameters: [
            {
              name: "If-Match",
              in: "header",
              description: "item version last read",
              schema: { type: "integer" },
            },
          ],
          requestBody: { required: true, content: json("StrategyDefinition") },
          responses: {
            "200": { description: "updated", content: json("StrategyItem") },
            "400": errorResponse("invalid definition"),
            "404": errorResponse("not found"),
            "409": errorResponse("modified concurrently"),
          },
        },
        delete: {
          ...secured,
          summary: "Delete a strategy",
          responses: { "204": { description: "deleted" }, "404": errorResponse("not found") },
        },
      },
      "/v1/backtests": {
        post: {
          ...secured,
          summary: "Submit a backtest job",
          requestBody: { required: true, content: json("BacktestRequest") },
          responses: {
            "202": { description: "job created (PENDING) and enqueued", content: json("BacktestAccepted") },
            "400": errorResponse("invalid request; `fields` lists every failing field"),
            "503": errorResponse("the job could not be created and enqueued; nothing was left behind"),
          },
        },
      },
      "/v1/jobs/{id}": {
        parameters: [idParam("job id")],
        get: {
          ...secured,
          summary: "Get a job",
          responses: {
            "200": { description: "the job record", content: json("JobRecord") },
            "404": errorResponse("not found"),
          },
        },
      },
    },
  };
}
