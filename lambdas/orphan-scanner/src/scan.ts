/** One orphan scan: tagged resources minus what the stacks declare; metric, log, alert. */
import { PLATFORM_METRICS } from "@tradai/contracts";
import { logger, publishAlert, putOperationalMetrics } from "@tradai/lambda-common";
import { isDeclared } from "./checkpoint";
import type { OrphanScannerEnv } from "./config";
import { declaredTaskFamilies, runtimeManagedReason } from "./runtime-managed";
import { readDeclaredStacks } from "./stacks";
import { taggedResources } from "./tagged";

export const SOURCE = "orphan-scanner";

/** How many ARNs an alert lists; the full list is in the log and the return value. */
const ALERT_LIST_LIMIT = 50;

export interface OrphanReport {
  stacks: string[];
  declaredResources: number;
  taggedResources: number;
  /** Undeclared but created by AWS from a declared resource (ECS tasks, ASG instances ...), with why. */
  runtimeManaged: { arn: string; reason: string }[];
  orphans: string[];
}

export async function runOrphanScan(env: OrphanScannerEnv): Promise<OrphanReport> {
  const { declared, stacks, resourceCount } = await readDeclaredStacks(env.PULUMI_BACKEND_URL);
  const tagged = await taggedResources(env.PROJECT_TAG);
  const families = declaredTaskFamilies(declared);
  const runtimeManaged: OrphanReport["runtimeManaged"] = [];
  const orphans: string[] = [];
  for (const resource of tagged) {
    if (isDeclared(resource.arn, declared)) continue;
    const reason = runtimeManagedReason(resource.arn, resource.tagKeys, families);
    if (reason) runtimeManaged.push({ arn: resource.arn, reason });
    else orphans.push(resource.arn);
  }
  const report: OrphanReport = {
    stacks,
    declaredResources: resourceCount,
    taggedResources: tagged.length,
    runtimeManaged,
    orphans,
  };

  await putOperationalMetrics([
    { name: PLATFORM_METRICS.orphanedResources, value: orphans.length, unit: "Count" },
  ]);
  if (orphans.length === 0) {
    logger.info("no orphaned resources", { stacks, taggedResources: tagged.length });
    return report;
  }
  logger.warn("orphaned resources", { ...report });
  const listed = orphans.slice(0, ALERT_LIST_LIMIT);
  const more = orphans.length - listed.length;
  await publishAlert(
    env.ALERTS_TOPIC_ARN,
    SOURCE,
    {
      severity: "warning",
      title: `${orphans.length} resource(s) tagged Project=${env.PROJECT_TAG} that no stack declares`,
      message: `${listed.join("\n")}${more > 0 ? `\n... and ${more} more (see the orphan-scanner log)` : ""}`,
      details: { stacks, orphans: listed, total: orphans.length },
    },
    env.ENVIRONMENT,
  );
  return report;
}
