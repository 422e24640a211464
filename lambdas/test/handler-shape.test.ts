/**
 * Every Lambda's handler has the one shape of `lambdaHandler` (lambda-common): the logger gets the
 * invocation's context, and a failure is logged once as `<function> failed` and rethrown. Checked by
 * behaviour, on every folder with a `src/handler.ts` (the 17 container Lambdas and update-nat-routes).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { logger } from "@tradai/lambda-common";
import { lambdaContext } from "@tradai/lambda-common/testing";

const LAMBDAS_DIR = path.resolve(__dirname, "..");
const FUNCTIONS = fs
  .readdirSync(LAMBDAS_DIR)
  // common holds the wrapper itself (src/handler.ts) and is no function.
  .filter((name) => name !== "common" && fs.existsSync(path.join(LAMBDAS_DIR, name, "src", "handler.ts")))
  .sort();

/** Answers a malformed event with a result instead of an error (its callers read the reasons). */
const ANSWERS_WITH_RESULT = new Set(["validate-strategy"]);

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

describe("handlers in one shape", () => {
  afterEach(() => jest.restoreAllMocks());

  it("finds the 17 container Lambdas and update-nat-routes", () => {
    expect(FUNCTIONS).toHaveLength(18);
  });

  it.each(FUNCTIONS)(
    "%s: adds the Lambda context to the logger; logs '<name> failed' and rethrows",
    async (name) => {
      const added = jest.spyOn(logger, "addContext");
      const logged = jest.spyOn(logger, "error").mockImplementation(() => undefined);
      jest.spyOn(logger, "info").mockImplementation(() => undefined);
      const { handler } = (await import(path.join(LAMBDAS_DIR, name, "src", "handler.ts"))) as {
        handler: Handler;
      };
      const context = lambdaContext(name);

      const outcome = handler(42, context);
      if (ANSWERS_WITH_RESULT.has(name)) {
        await expect(outcome).resolves.toBeDefined();
      } else {
        await expect(outcome).rejects.toThrow();
        expect(logged).toHaveBeenCalledWith(`${name} failed`, { error: expect.any(Error) });
        expect(logged.mock.calls.filter(([message]) => message === `${name} failed`)).toHaveLength(1);
      }
      expect(added).toHaveBeenCalledWith(context);
    },
  );
});
