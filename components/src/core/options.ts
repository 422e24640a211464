/** Resource options shared by the components. */
import type * as pulumi from "@pulumi/pulumi";

/**
 * Options for a resource that holds data: when `protectData` is set (prod by default), `pulumi destroy`
 * refuses to delete it and removing it from the program leaves it in the account.
 */
export function dataResourceOptions(protectData: boolean): pulumi.CustomResourceOptions {
  return protectData ? { protect: true, retainOnDelete: true } : {};
}
