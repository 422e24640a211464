/** ECR guardrail: images are scanned for vulnerabilities as they are pushed. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { recordAt } from "../props";
import { T } from "../types";

/** `imageScanningConfiguration.scanOnPush: true` on every repository. */
export const ecrScanOnPush: ResourceValidationPolicy = {
  name: "ecr-scan-on-push",
  description: "ECR repositories must scan images on push.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.ecrRepository) return;
    if (recordAt(args.props, "imageScanningConfiguration")?.scanOnPush !== true) {
      reportViolation(`ECR repository "${args.name}" must set imageScanningConfiguration.scanOnPush: true.`);
    }
  },
};
