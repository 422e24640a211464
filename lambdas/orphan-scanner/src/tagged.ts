/** Resources carrying `Project=<tag>`, from the Resource Groups Tagging API (this region). */
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { recordCalls } from "@tradai/lambda-common";

let client: ResourceGroupsTaggingAPIClient | undefined;

/** Created on first use (after the environment, including `AWS_ENDPOINT_URL`, is final). */
function tagging(): ResourceGroupsTaggingAPIClient {
  client ??= recordCalls(new ResourceGroupsTaggingAPIClient({}));
  return client;
}

/** A tagged resource: its ARN and the keys of its tags. */
export interface TaggedResource {
  arn: string;
  tagKeys: string[];
}

/** Every resource tagged `Project=<project>`, sorted by ARN. */
export async function taggedResources(project: string): Promise<TaggedResource[]> {
  const resources: TaggedResource[] = [];
  const pages = paginateGetResources(
    { client: tagging() },
    { TagFilters: [{ Key: "Project", Values: [project] }], ResourcesPerPage: 100 },
  );
  for await (const page of pages) {
    for (const mapping of page.ResourceTagMappingList ?? []) {
      if (!mapping.ResourceARN) continue;
      resources.push({
        arn: mapping.ResourceARN,
        tagKeys: (mapping.Tags ?? []).flatMap((t) => (t.Key ? [t.Key] : [])),
      });
    }
  }
  return resources.sort((a, b) => a.arn.localeCompare(b.arn));
}
