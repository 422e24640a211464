/**
 * Reporting a violation whose enforcement depends on the environment. The policy's own level (normally
 * mandatory) applies in production; elsewhere the violation is reported as advisory through the
 * object form of `reportViolation`, which @pulumi/policy 1.21's server accepts (per-violation
 * `enforcementLevel`, pulumi/pulumi-policy#424) but does not yet type. `test/engine-parity.test.ts` and
 * `test/pack-server.test.ts` run the real analyzer to prove the engine honours it.
 */
import type { EnforcementLevel, ReportViolation } from "@pulumi/policy";
import { isProductionUrn } from "./environment";

/** The object form of a violation report. */
export interface ViolationDetails {
  message: string;
  urn?: string;
  enforcementLevel?: EnforcementLevel;
}

type ObjectReport = (details: ViolationDetails) => void;

/** Reports `message` at the policy's level in production and as advisory in dev and staging. */
export function reportByEnvironment(reportViolation: ReportViolation, urn: string, message: string): void {
  if (isProductionUrn(urn)) {
    // The URN names the resource for stack policies; resource policies report on that same resource.
    reportViolation(message, urn);
    return;
  }
  (reportViolation as unknown as ObjectReport)({ message, urn, enforcementLevel: "advisory" });
}
