import * as fs from "node:fs";
import { seedModelVersion, startMlflow } from "../src/mlflow";

describe("startMlflow", () => {
  it("serves the MLflow REST API on a loopback port with a sqlite store, and cleans up on stop", async () => {
    const started = Date.now();
    const server = await startMlflow();
    process.stderr.write(`[mlflow.test] server ready in ${Date.now() - started} ms\n`);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fs.existsSync(`${server.dataDir}/mlflow.db`)).toBe(true);

      const seeded = await seedModelVersion(server.url, {
        modelName: "fixture-model",
        metrics: { accuracy: 0.9 },
        aliases: ["champion"],
      });
      expect(seeded.version).toBe("1");

      const response = await fetch(
        `${server.url}/api/2.0/mlflow/registered-models/alias?name=fixture-model&alias=champion`,
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { model_version: { version: string; run_id: string } };
      expect(body.model_version).toMatchObject({ version: "1", run_id: seeded.runId });

      const second = await seedModelVersion(server.url, { modelName: "fixture-model" });
      expect(second.version).toBe("2");
    } finally {
      await server.stop();
    }
    expect(fs.existsSync(server.dataDir)).toBe(false);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  }, 180_000);
});
