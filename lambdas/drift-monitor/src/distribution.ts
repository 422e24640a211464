/**
 * The feature distribution files drift-monitor reads from the artifacts bucket
 * (`drift/<model>/reference.json`, `drift/<model>/recent/<YYYY-MM-DD>.json`) and how a reference and a
 * recent distribution become two count vectors over the same bins.
 *
 * @example
 * {
 *   "features": {
 *     "rsi_14":     { "edges": [0, 30, 50, 70, 100], "counts": [120, 380, 390, 110] },
 *     "return_1h":  { "samples": [0.0012, -0.0031, 0.0007] }
 *   }
 * }
 */
import * as z from "zod";
import { histogram, quantileEdges } from "./bins";

/** A pre-binned feature: n + 1 strictly increasing edges and n non-negative counts. */
const Binned = z
  .strictObject({
    edges: z
      .array(z.number().finite())
      .min(2)
      .refine(
        (edges) => edges.every((edge, i) => i === 0 || edge > (edges[i - 1] as number)),
        "edges must be strictly increasing",
      ),
    counts: z.array(z.number().finite().nonnegative()),
  })
  .refine((f) => f.counts.length === f.edges.length - 1, "counts must have one entry fewer than edges");

/** A feature given as raw observations. */
const Samples = z.strictObject({ samples: z.array(z.number().finite()).min(1) });

const Feature = z.union([Binned, Samples]);

/** Schema of one distribution file. */
export const DistributionFile = z.strictObject({
  features: z
    .record(z.string().min(1), Feature)
    .refine((features) => Object.keys(features).length > 0, "at least one feature is required"),
});
export type DistributionFile = z.infer<typeof DistributionFile>;
export type FeatureDistribution = z.infer<typeof Feature>;

/** Parses a file's JSON text, naming the file in the error. */
export function parseDistribution(text: string, where: string): DistributionFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const result = DistributionFile.safeParse(json);
  if (!result.success)
    throw new Error(`${where} is not a valid distribution file:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Reference and recent counts over the same bins. */
export interface AlignedCounts {
  edges: number[];
  reference: number[];
  recent: number[];
}

/**
 * Puts one feature's reference and recent distributions on the reference's bins. The reference defines
 * the bins (its edges, or quantile edges of its samples); recent samples are counted into them, recent
 * counts must come with identical edges.
 */
export function alignFeature(
  feature: string,
  reference: FeatureDistribution,
  recent: FeatureDistribution,
): AlignedCounts {
  const edges = "edges" in reference ? reference.edges : quantileEdges(reference.samples);
  const referenceCounts = "counts" in reference ? reference.counts : histogram(reference.samples, edges);
  if ("samples" in recent)
    return { edges, reference: referenceCounts, recent: histogram(recent.samples, edges) };
  const same = recent.edges.length === edges.length && recent.edges.every((edge, i) => edge === edges[i]);
  if (!same) {
    throw new Error(
      `feature ${feature}: recent counts use edges [${recent.edges.join(", ")}] but the reference bins are [${edges.join(", ")}]`,
    );
  }
  return { edges, reference: referenceCounts, recent: recent.counts };
}
