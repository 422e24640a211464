import { histogram, quantileEdges } from "../src/bins";
import { alignFeature, parseDistribution } from "../src/distribution";
import { PSI_EPSILON, populationStabilityIndex } from "../src/psi";
import { scoreModel } from "../src/score";

describe("populationStabilityIndex", () => {
  it("is 0 for identical distributions, whatever the sample sizes", () => {
    expect(populationStabilityIndex([10, 20, 30], [100, 200, 300])).toBeCloseTo(0, 12);
  });

  it("matches the hand-computed value for a known shift", () => {
    // sum (a - e) ln(a / e) with e = 0.25 each and a = 0.1, 0.2, 0.3, 0.4
    const expected =
      (0.1 - 0.25) * Math.log(0.1 / 0.25) +
      (0.2 - 0.25) * Math.log(0.2 / 0.25) +
      (0.3 - 0.25) * Math.log(0.3 / 0.25) +
      (0.4 - 0.25) * Math.log(0.4 / 0.25);
    expect(expected).toBeCloseTo(0.2282174, 6);
    expect(populationStabilityIndex([25, 25, 25, 25], [10, 20, 30, 40])).toBeCloseTo(expected, 12);
  });

  it("replaces empty bins by epsilon instead of going infinite", () => {
    const psi = populationStabilityIndex([50, 50], [100, 0]);
    const expected = (1 - 0.5) * Math.log(1 / 0.5) + (PSI_EPSILON - 0.5) * Math.log(PSI_EPSILON / 0.5);
    expect(Number.isFinite(psi)).toBe(true);
    expect(psi).toBeCloseTo(expected, 10);
  });

  it("is symmetric in the sense PSI(e, a) = PSI(a, e)", () => {
    expect(populationStabilityIndex([1, 2, 7], [3, 3, 4])).toBeCloseTo(
      populationStabilityIndex([3, 3, 4], [1, 2, 7]),
      12,
    );
  });

  it("rejects mismatched bins, negative counts and empty distributions", () => {
    expect(() => populationStabilityIndex([1, 2], [1, 2, 3])).toThrow(/same bins/);
    expect(() => populationStabilityIndex([1, -1], [1, 1])).toThrow(/non-negative/);
    expect(() => populationStabilityIndex([0, 0], [1, 1])).toThrow(/empty/);
  });
});

describe("bins", () => {
  it("counts samples into [lower, upper) bins, clamping outliers into the outer bins", () => {
    expect(histogram([-5, 0, 0.5, 1, 1.5, 2, 9], [0, 1, 2])).toEqual([3, 4]);
    expect(histogram([0, 1, 2, 3], [0, 1, 2, 3])).toEqual([1, 1, 2]);
  });

  it("derives equal-mass quantile edges and merges repeated quantiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i);
    const edges = quantileEdges(samples, 4);
    expect(edges).toEqual([0, 25, 50, 75, 99]);
    expect(histogram(samples, edges)).toEqual([25, 25, 25, 25]);
    expect(quantileEdges([1, 1, 1, 2], 4)).toEqual([1, 2]);
    expect(quantileEdges([3, 3])).toEqual([3, 4]);
  });
});

describe("distribution files", () => {
  it("rejects malformed files with the reason", () => {
    expect(() => parseDistribution("{", "x.json")).toThrow(/x.json is not valid JSON/);
    expect(() => parseDistribution('{"features":{"f":{"edges":[0,1,1],"counts":[1,1]}}}', "x.json")).toThrow(
      /strictly increasing/,
    );
    expect(() => parseDistribution('{"features":{"f":{"edges":[0,1],"counts":[1,1]}}}', "x.json")).toThrow(
      /one entry fewer/,
    );
    expect(() => parseDistribution('{"features":{}}', "x.json")).toThrow(/at least one feature/);
  });

  it("aligns recent samples on the reference bins and refuses recent counts over other bins", () => {
    const reference = parseDistribution('{"features":{"f":{"edges":[0,1,2],"counts":[5,5]}}}', "r");
    const recent = parseDistribution('{"features":{"f":{"samples":[0.1,0.2,1.5]}}}', "n");
    const f = reference.features.f;
    const g = recent.features.f;
    if (f === undefined || g === undefined) throw new Error("fixture");
    expect(alignFeature("f", f, g)).toEqual({ edges: [0, 1, 2], reference: [5, 5], recent: [2, 1] });
    expect(() => alignFeature("f", f, { edges: [0, 1, 3], counts: [1, 1] })).toThrow(
      /feature f: recent counts use edges/,
    );
  });

  it("scores every shared feature and reports the worst and the missing ones", () => {
    const reference = parseDistribution(
      JSON.stringify({
        features: {
          stable: { edges: [0, 1, 2, 3, 4], counts: [25, 25, 25, 25] },
          shifted: { edges: [0, 1, 2, 3, 4], counts: [25, 25, 25, 25] },
          gone: { samples: [1, 2, 3] },
        },
      }),
      "r",
    );
    const recent = parseDistribution(
      JSON.stringify({
        features: {
          stable: { samples: [0.5, 1.5, 2.5, 3.5] },
          shifted: { edges: [0, 1, 2, 3, 4], counts: [10, 20, 30, 40] },
        },
      }),
      "n",
    );
    const score = scoreModel(reference, recent);
    expect(score.features.stable).toBeCloseTo(0, 12);
    expect(score.features.shifted).toBeCloseTo(0.2282174, 6);
    expect(score.maxPsi).toBe(score.features.shifted);
    expect(score.worstFeature).toBe("shifted");
    expect(score.missingFeatures).toEqual(["gone"]);
    expect(() =>
      scoreModel(reference, parseDistribution('{"features":{"other":{"samples":[1]}}}', "n")),
    ).toThrow(/none of the reference features/);
  });
});
