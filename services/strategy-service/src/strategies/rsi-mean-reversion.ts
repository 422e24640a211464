import { z } from "zod";
import { rsi } from "../engine/indicators";
import type { BuiltInStrategy } from "./types";

const Params = z
  .strictObject({
    period: z.number().int().min(2).max(100).default(14),
    lower: z.number().min(1).max(99).default(30),
    upper: z.number().min(1).max(99).default(70),
  })
  .refine((p) => p.lower < p.upper, { message: "lower must be below upper", path: ["lower"] });
type Params = z.infer<typeof Params>;

/** Buys when RSI falls below `lower`, sells when it rises above `upper`. */
export const rsiMeanReversion: BuiltInStrategy<Params> = {
  id: "rsi-mean-reversion",
  name: "RSI mean reversion",
  description:
    "Enters long when RSI drops below the lower band and exits when it rises above the upper band.",
  parameters: Params,
  grid() {
    const sets: Params[] = [];
    for (const period of [7, 14, 21])
      for (const [lower, upper] of [
        [25, 75],
        [30, 70],
        [35, 65],
      ] as const)
        sets.push({ period, lower, upper });
    return sets;
  },
  exposure(candles, { period, lower, upper }) {
    const values = rsi(
      candles.map((c) => c.close),
      period,
    );
    let position: 0 | 1 = 0;
    return values.map((value) => {
      if (value !== undefined) {
        if (position === 0 && value < lower) position = 1;
        else if (position === 1 && value > upper) position = 0;
      }
      return position;
    });
  },
};
