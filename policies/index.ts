// The policy pack entry point for `pulumi preview --policy-pack policies`. Constructing the PolicyPack
// starts the analyzer's gRPC server, so nothing may import this file: import src/policies.ts instead.
import { PolicyPack } from "@pulumi/policy";
import { PACK_ENFORCEMENT_LEVEL, POLICY_PACK_NAME, tradaiPolicies } from "./src/policies";

new PolicyPack(POLICY_PACK_NAME, { policies: tradaiPolicies, enforcementLevel: PACK_ENFORCEMENT_LEVEL });
