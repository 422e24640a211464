/**
 * Every API Gateway stage is behind a WAFv2 web ACL: a `WebAclAssociation` whose `resourceArn` is
 * built from the stage. HTTP/WebSocket API (v2) stages cannot be associated with WAF at all, so they
 * are reported too: the edge must use a REST API stage for anything internet-facing.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypes, refersTo } from "../stack-resources";
import { T } from "../types";

/** A WebAclAssociation for each REST API stage; no v2 stages. */
export const apiStageWaf: StackValidationPolicy = {
  name: "api-stage-waf",
  description: "Every API Gateway stage must be associated with a WAFv2 web ACL.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const associations = ofTypes(args.resources, [T.webAclAssociation]);
    for (const stage of ofTypes(args.resources, [T.restApiStage])) {
      if (associations.some((a) => refersTo(a, "resourceArn", stage))) continue;
      reportViolation(
        `API Gateway stage "${stage.name}" has no WAFv2 web ACL; add a WebAclAssociation whose resourceArn is the stage's arn.`,
        stage.urn,
      );
    }
    for (const stage of ofTypes(args.resources, [T.httpApiStage])) {
      reportViolation(
        `API Gateway v2 stage "${stage.name}" cannot be associated with a WAFv2 web ACL; serve the API from a REST API stage.`,
        stage.urn,
      );
    }
  },
};
