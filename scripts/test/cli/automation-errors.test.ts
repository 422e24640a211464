/** Operator messages for Automation API failures, and the environment the Pulumi CLI gets. */
import { automationError, pulumiReason } from "../../src/cli/infra/automation-errors";
import { pulumiEnv } from "../../src/cli/infra/automation-runner";

const commandError = (stderr: string) =>
  new Error(
    `code: 255\n stdout: Updating (dev)\n\n stderr: ${stderr}\n err?: Error: Command failed with exit code 255`,
  );

describe("automationError", () => {
  it("says to install the Pulumi CLI when it is missing", () => {
    const error = automationError(
      new Error("code: -2\n stderr: Command failed with ENOENT: pulumi version\nspawn pulumi ENOENT"),
      "compute",
      "dev",
    );
    expect(error.message).toBe("the Pulumi CLI is not installed (or not on PATH)");
    expect(error.hint).toContain("pulumi.com/docs/install");
  });

  it("points a locked stack at recover", () => {
    class ConcurrentUpdateError extends Error {}
    const error = automationError(new ConcurrentUpdateError("code: 255"), "edge", "staging");
    expect(error.message).toBe("stack staging of edge is locked by another update");
    expect(error.hint).toBe("wait for it, or if it was interrupted: pnpm tradai infra recover edge staging");
  });

  it("keeps only pulumi's stderr as the reason", () => {
    const error = automationError(
      commandError("error: preview failed\n  aws:s3:Bucket denied"),
      "persistent",
      "dev",
    );
    expect(error.message).toBe(
      "pulumi failed on persistent (dev):\nerror: preview failed\n  aws:s3:Bucket denied",
    );
  });

  it("falls back to the whole message when there is no stderr section", () => {
    expect(pulumiReason("something else broke")).toBe("something else broke");
  });
});

/** Lambda refuses image indexes, which buildx provenance attestations would create. */
const NO_ATTESTATIONS = { BUILDX_NO_DEFAULT_ATTESTATIONS: "1" };

describe("pulumiEnv", () => {
  it("passes the spec's S3_PULUMI_BACKEND_URL as PULUMI_BACKEND_URL, which wins when set", () => {
    expect(pulumiEnv({ S3_PULUMI_BACKEND_URL: "s3://a" })).toEqual({
      ...NO_ATTESTATIONS,
      PULUMI_BACKEND_URL: "s3://a",
    });
    expect(pulumiEnv({ S3_PULUMI_BACKEND_URL: "s3://a", PULUMI_BACKEND_URL: "s3://b" })).toEqual({
      ...NO_ATTESTATIONS,
      PULUMI_BACKEND_URL: "s3://b",
    });
    expect(pulumiEnv({})).toEqual(NO_ATTESTATIONS);
  });
});
