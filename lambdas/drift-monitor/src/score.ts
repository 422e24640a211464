/** Drift score of one model: PSI per feature of the reference against the recent distribution. */
import { alignFeature, type DistributionFile } from "./distribution";
import { populationStabilityIndex } from "./psi";

/** Per-feature PSI, the maximum over features and which reference features the recent file lacks. */
export interface ModelScore {
  features: Record<string, number>;
  maxPsi: number;
  /** Feature with the highest PSI. */
  worstFeature: string;
  missingFeatures: string[];
}

/** Scores every reference feature present in the recent file; throws when none are. */
export function scoreModel(reference: DistributionFile, recent: DistributionFile): ModelScore {
  const features: Record<string, number> = {};
  const missingFeatures: string[] = [];
  let maxPsi = Number.NEGATIVE_INFINITY;
  let worstFeature = "";
  for (const [name, referenceFeature] of Object.entries(reference.features)) {
    const recentFeature = recent.features[name];
    if (recentFeature === undefined) {
      missingFeatures.push(name);
      continue;
    }
    const aligned = alignFeature(name, referenceFeature, recentFeature);
    const psi = populationStabilityIndex(aligned.reference, aligned.recent);
    features[name] = psi;
    if (psi > maxPsi) {
      maxPsi = psi;
      worstFeature = name;
    }
  }
  if (worstFeature === "") {
    throw new Error(
      `the recent distribution has none of the reference features (${Object.keys(reference.features).join(", ")})`,
    );
  }
  return { features, maxPsi, worstFeature, missingFeatures };
}
