import { ConfigError, parseEnv, requiredString, serverEnv } from "@tradai/contracts";
import { z } from "zod";

describe("parseEnv", () => {
  const schema = z.object({ ...serverEnv, JOBS_TABLE: requiredString(), QUEUE_URL: z.url() });

  it("applies defaults and coerces numbers", () => {
    const config = parseEnv(schema, { JOBS_TABLE: "jobs", QUEUE_URL: "http://q", PORT: "9000" });
    expect(config).toMatchObject({ PORT: 9000, HOST: "0.0.0.0", LOG_LEVEL: "info", JOBS_TABLE: "jobs" });
  });

  it("names every failing variable at once", () => {
    let caught: unknown;
    try {
      parseEnv(schema, { PORT: "not-a-port", QUEUE_URL: "nope" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^JOBS_TABLE: is required/),
        expect.stringMatching(/^QUEUE_URL: /),
      ]),
    );
  });
});
