/**
 * A long-lived planner for one checkout, used by the image scenarios (`pnpm bench:images` and its test):
 * started with the checkout's own modules (`tsx <checkout>/packages/plan/src/scenario-worker.ts`), it
 * plans persistent and foundation of dev once, then answers one JSON request per stdin line with a plan
 * of the compute layer written to `out`, so each scenario costs one compute plan, not three layers and a
 * process start. Reply per line: `{"ok":true}` or `{"ok":false,"error":"..."}`.
 *
 * Request: `{ "out": "<file>", "umask"?: 18, "config"?: { "tradai:releaseTag": "v1.0.0" } }`.
 */
import * as fs from "node:fs";
import * as readline from "node:readline";
import type { Layer } from "@tradai/contracts";
import { runLayer } from "./runtime";

interface Request {
  out: string;
  umask?: number;
  config?: Record<string, string>;
}

async function main(): Promise<void> {
  const upstream: Partial<Record<Layer, Record<string, unknown>>> = {};
  for (const layer of ["persistent", "foundation"] as const) {
    upstream[layer] = (await runLayer({ layer, env: "dev", upstream })).outputs;
  }
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line) as Request;
    const previous = process.umask(request.umask ?? 0o022);
    try {
      const plan = await runLayer({ layer: "compute", env: "dev", upstream, config: request.config });
      fs.writeFileSync(request.out, JSON.stringify(plan));
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    } finally {
      process.umask(previous);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`scenario worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
