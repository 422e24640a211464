import { z } from "zod";
import { sma } from "../engine/indicators";
import type { BuiltInStrategy } from "./types";

const Params = z
  .strictObject({
    fast: z.number().int().min(2).max(500).default(10),
    slow: z.number().int().min(3).max(1000).default(30),
  })
  .refine((p) => p.fast < p.slow, { message: "fast must be shorter than slow", path: ["fast"] });
type Params = z.infer<typeof Params>;

/** Long while the fast SMA of closes is above the slow SMA; flat otherwise. */
export const smaCrossover: BuiltInStrategy<Params> = {
  id: "sma-crossover",
  name: "SMA crossover",
  description: "Long while the fast simple moving average of closes is above the slow one, flat otherwise.",
  parameters: Params,
  grid() {
    const sets: Params[] = [];
    for (const fast of [5, 10, 20])
      for (const slow of [20, 30, 50]) if (fast < slow) sets.push({ fast, slow });
    return sets;
  },
  exposure(candles, { fast, slow }) {
    const closes = candles.map((c) => c.close);
    const f = sma(closes, fast);
    const s = sma(closes, slow);
    return closes.map((_, i) => {
      const a = f[i];
      const b = s[i];
      return a !== undefined && b !== undefined && a > b ? 1 : 0;
    });
  },
};
