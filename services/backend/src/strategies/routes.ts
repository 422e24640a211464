import { Slug, type StrategyDefinition, validateStrategy } from "@tradai/contracts";
import { HttpError, parseRequest, RequestValidationError, type ServiceApp } from "@tradai/service-common";
import { z } from "zod";
import type { StrategyStore } from "./store";
import { requireValidStrategy, type StrategyValidator } from "./validator";

export const StrategyIdParams = z.object({ id: Slug });
export const ListStrategiesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  nextToken: z.string().min(1).optional(),
});
/** Optional optimistic-concurrency precondition: the item version the client last read. */
const IfMatch = z.coerce.number().int().min(1);

/**
 * Validates a strategy body with the validate-strategy Lambda (its errors go back to the caller), then
 * parses it with the same shared schema for its typed form.
 */
async function validBody(validator: StrategyValidator, body: unknown): Promise<StrategyDefinition> {
  await requireValidStrategy(validator, body);
  const result = validateStrategy(body);
  if (!result.valid) {
    throw new RequestValidationError(
      result.errors.map((e) => ({ field: e.path ? `body.${e.path}` : "body", message: e.message })),
      "invalid strategy definition",
    );
  }
  return result.strategy;
}

function principalId(request: { principal?: { sub: string } }): string {
  if (!request.principal) throw new HttpError(401, "not authenticated");
  return request.principal.sub;
}

/** `/v1/strategies` CRUD. */
export function registerStrategyRoutes(
  app: ServiceApp,
  store: StrategyStore,
  validator: StrategyValidator,
): void {
  app.get("/v1/strategies", async (request) => {
    const query = parseRequest(ListStrategiesQuery, request.query, "query");
    return store.list(query.limit, query.nextToken);
  });

  app.post("/v1/strategies", async (request, reply) => {
    const definition = await validBody(validator, request.body);
    const item = await store.create(definition, principalId(request));
    return reply.status(201).header("location", `/v1/strategies/${item.strategyId}`).send(item);
  });

  app.get("/v1/strategies/:id", async (request) => {
    const { id } = parseRequest(StrategyIdParams, request.params, "params");
    const item = await store.get(id);
    if (!item) throw new HttpError(404, `strategy ${id} not found`);
    return item;
  });

  app.put("/v1/strategies/:id", async (request) => {
    const { id } = parseRequest(StrategyIdParams, request.params, "params");
    const definition = await validBody(validator, request.body);
    if (definition.id !== id) {
      throw new RequestValidationError([{ field: "body.id", message: `must equal the path id ${id}` }]);
    }
    const header = request.headers["if-match"];
    const expected =
      header === undefined
        ? undefined
        : parseRequest(IfMatch, String(header).replaceAll('"', ""), "headers.if-match");
    return store.update(definition, principalId(request), expected);
  });

  app.delete("/v1/strategies/:id", async (request, reply) => {
    const { id } = parseRequest(StrategyIdParams, request.params, "params");
    await store.delete(id);
    return reply.status(204).send();
  });
}
