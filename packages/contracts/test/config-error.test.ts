import { z } from "zod";
import { ConfigError, parseEnv } from "../src";

describe("parseEnv", () => {
  const schema = z.object({ JOBS_TABLE: z.string().min(1), PORT: z.coerce.number().int().default(8080) });

  it("returns the parsed environment, defaults applied", () => {
    expect(parseEnv(schema, { JOBS_TABLE: "jobs" })).toEqual({ JOBS_TABLE: "jobs", PORT: 8080 });
  });

  it("names every bad variable at once, saying which are missing", () => {
    let caught: unknown;
    try {
      parseEnv(schema, { PORT: "eighty" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems.map((p) => p.key)).toEqual(["JOBS_TABLE", "PORT"]);
    expect(problems[0]?.message).toMatch(/^is required/);
    expect((caught as Error).message).toMatch(
      /^Invalid configuration for the environment:\n {2}- JOBS_TABLE: is required/,
    );
  });
});
