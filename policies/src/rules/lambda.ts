/** Lambda guardrail: image functions run exactly the image that was built and scanned. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Props } from "../props";
import { T } from "../types";

const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** `packageType: "Image"` functions use `repo@sha256:<digest>`, never a mutable tag. */
export const lambdaImagePinned: ResourceValidationPolicy = {
  name: "lambda-image-pinned-by-digest",
  description: "Lambda image functions must reference their image by digest (repo@sha256:...).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== T.lambdaFunction) return;
    const props: Props = args.props;
    if (props.packageType !== "Image") return;
    const uri = props.imageUri;
    if (typeof uri !== "string" || !DIGEST.test(uri)) {
      const got = typeof uri === "string" ? `"${uri}"` : "not set";
      reportViolation(`Lambda function "${args.name}" must pin its image by digest (imageUri is ${got}).`);
    }
  },
};
