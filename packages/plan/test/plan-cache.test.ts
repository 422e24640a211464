import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { plan } from "../src/plan";
import { PLAN_CACHE_ENV } from "../src/plan-cache";
import { planLayers } from "../src/plan-view";

describe("planLayers' cache across processes (PLAN_CACHE_ENV)", () => {
  let dir: string;
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env[PLAN_CACHE_ENV];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-plan-cache-"));
    process.env[PLAN_CACHE_ENV] = dir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env[PLAN_CACHE_ENV];
    else process.env[PLAN_CACHE_ENV] = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores a plan made with the stack's own config and serves it to the next caller as it was", async () => {
    const first = (await planLayers("dev", "persistent")).persistent;
    const file = path.join(dir, "dev-persistent.json");
    expect(fs.existsSync(file)).toBe(true);
    const again = (await planLayers("dev", "persistent")).persistent;
    expect(again?.plan).toEqual(first?.plan);
    // What the next caller gets is the stored plan (a marker planted in it comes back).
    const stored = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...stored, outputs: { ...stored.outputs, planted: true } }));
    expect((await planLayers("dev", "persistent")).persistent?.outputs.planted).toBe(true);
  });

  it("never caches or serves a plan made with config overrides", async () => {
    // dev's cached plan carries the marker planted above; an overridden plan is made afresh.
    const overridden = (
      await planLayers("dev", "persistent", { config: { persistent: { "tradai:repository": "acme/other" } } })
    ).persistent;
    expect(overridden?.outputs.planted).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(path.join(dir, "dev-persistent.json"), "utf8")).outputs.planted).toBe(
      true,
    );
    await planLayers("staging", "persistent", {
      config: { persistent: { "tradai:repository": "acme/other" } },
    });
    expect(fs.existsSync(path.join(dir, "staging-persistent.json"))).toBe(false);
  });

  it("serves pnpm plan of this checkout too (the plan a test spawns), and a policy verdict is not cached", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tradai-plan-out-"));
    try {
      await plan({ envs: ["dev"], layers: ["persistent"], outDir: out, evaluate: () => [] });
      const written = JSON.parse(fs.readFileSync(path.join(out, "dev", "persistent.json"), "utf8"));
      expect(written.outputs.planted).toBe(true);
      expect(written.policy).toEqual({ violations: [] });
      expect(
        JSON.parse(fs.readFileSync(path.join(dir, "dev-persistent.json"), "utf8")).policy,
      ).toBeUndefined();
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
