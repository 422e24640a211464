/**
 * Every AWS resource carries the canonical tags (Project, Environment, Layer, ManagedBy, Repository).
 * The programs set them once as `defaultTags` on an explicit AWS provider, so the check reads the
 * provider's inputs first (the AWS SDK sends `defaultTags` as a JSON string) and the resource's own
 * `tags` second.
 */
import type { PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { REQUIRED_TAG_KEYS } from "@tradai/contracts";
import { isRecord, jsonObject, nonEmptyString, type Props } from "../props";
import { T } from "../types";

function providerDefaultTags(provider: PolicyProviderResource | undefined): Props {
  if (!provider || provider.type !== T.awsProvider) return {};
  const props: Props = provider.props;
  const defaultTags = jsonObject(props.defaultTags);
  const tags = defaultTags?.tags;
  return isRecord(tags) ? tags : {};
}

/** All required tag keys with a non-empty value, through the provider or on the resource. */
export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: `AWS resources must carry the tags ${REQUIRED_TAG_KEYS.join(", ")} (through the provider's defaultTags).`,
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!args.type.startsWith("aws:")) return;
    const props: Props = args.props;
    const own = isRecord(props.tags) ? props.tags : {};
    const fromProvider = providerDefaultTags(args.provider);
    const missing = REQUIRED_TAG_KEYS.filter(
      (key) => !nonEmptyString(own[key]) && !nonEmptyString(fromProvider[key]),
    );
    if (missing.length === 0) return;
    const via = args.provider ? `provider "${args.provider.name}"` : "the default provider";
    reportViolation(
      `AWS resource "${args.name}" is missing the tags ${missing.join(", ")}; set them as defaultTags on an explicit aws provider (it uses ${via}).`,
    );
  },
};
