/** Resources carrying `Project=<tag>`, from the Resource Groups Tagging API (this region). */
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";

let client: ResourceGroupsTaggingAPIClient | undefined;

/** Created on first use (after the environment, including `AWS_ENDPOINT_URL`, is final). */
function tagging(): ResourceGroupsTaggingAPIClient {
  client ??= new ResourceGroupsTaggingAPIClient({});
  return client;
}

/** ARNs of every resource tagged `Project=<project>`, sorted. */
export async function taggedResourceArns(project: string): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateGetResources(
    { client: tagging() },
    { TagFilters: [{ Key: "Project", Values: [project] }], ResourcesPerPage: 100 },
  );
  for await (const page of pages) {
    for (const mapping of page.ResourceTagMappingList ?? [])
      if (mapping.ResourceARN) arns.push(mapping.ResourceARN);
  }
  return arns.sort();
}
