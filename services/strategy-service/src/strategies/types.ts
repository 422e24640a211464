import type { Candle } from "@tradai/service-common";
import type { z } from "zod";

/** A strategy implemented in this service, runnable by id. */
export interface BuiltInStrategy<P extends Record<string, number> = Record<string, number>> {
  id: string;
  name: string;
  description: string;
  /** Parameter schema with defaults; unknown parameters are rejected. */
  parameters: z.ZodType<P>;
  /** Candidate parameter sets the training mode searches. */
  grid(): P[];
  /** Target exposure (0 flat, 1 long) decided at each candle's close. */
  exposure(candles: readonly Candle[], params: P): (0 | 1)[];
}
