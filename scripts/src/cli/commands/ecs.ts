/** `tradai ecs ...`: ECS services (spec section 6.3). */
import type { Command } from "commander";
import { guardProd } from "../aws/account";
import { ecsEvents, ecsStatus, type ForcedDeployment, forceDeploy, resolveEcsNames } from "../aws/ecs";
import type { CliContext } from "../context";
import { table } from "../io";
import {
  ECS_SERVICE_ALIASES,
  ECS_SERVICE_NAMES,
  type EcsServiceName,
  type Environment,
  parseEcsService,
  TRADING_SERVICES,
} from "../platform";
import { type ContextSource, emit, env, positiveInt } from "./shared";

async function forceDeployMany(
  ctx: CliContext,
  environment: Environment,
  services: readonly EcsServiceName[],
): Promise<ForcedDeployment[]> {
  await guardProd(ctx, environment);
  const names = await resolveEcsNames(ctx, environment);
  const results: ForcedDeployment[] = [];
  await ctx.progress.run(
    services.map((service) => ({
      title: `force-deploy ${service} (${environment})`,
      run: async () => {
        const result = await forceDeploy(ctx, environment, service, names);
        results.push(result);
        return result.deploymentId ? `deployment ${result.deploymentId}` : undefined;
      },
    })),
  );
  return results;
}

/** How a service may be named: its ECS name, or the spec's image name where that differs. */
const SERVICE_ARGUMENT = `an ECS service (${ECS_SERVICE_NAMES.join(", ")}; ${Object.entries(
  ECS_SERVICE_ALIASES,
)
  .map(([alias, service]) => `${alias} = ${service}`)
  .join(", ")})`;

/**
 * Tasks run the image their task definition pins by digest, so a forced deployment restarts the same
 * image; it never picks up a newer push.
 */
export const FORCE_DEPLOY_DESCRIPTION =
  "replace one service's tasks with fresh ones of the same task definition, i.e. the same image digest " +
  "(a new image deploys with `tradai infra up compute`); the trading services stop the old task first";

export function registerEcs(program: Command, context: ContextSource): void {
  const ecs = program.command("ecs").description("ECS services: status, events, rolling redeploys");

  ecs
    .command("force-deploy")
    .argument("<service>", SERVICE_ARGUMENT)
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the new deployment as JSON")
    .description(FORCE_DEPLOY_DESCRIPTION)
    .action(async (service: string, e: string, opts: { json?: boolean }) => {
      const ctx = context();
      const results = await forceDeployMany(ctx, env(e), [parseEcsService(service)]);
      emit(
        ctx,
        opts.json,
        results[0],
        () => `${results[0]?.name}: deployment ${results[0]?.deploymentId ?? "started"}`,
      );
    });

  ecs
    .command("force-deploy-all")
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the new deployments as JSON")
    .description(`rolling deployment of the trading services (${TRADING_SERVICES.join(", ")})`)
    .action(async (e: string, opts: { json?: boolean }) => {
      const ctx = context();
      const results = await forceDeployMany(ctx, env(e), TRADING_SERVICES);
      emit(ctx, opts.json, results, () =>
        results.map((r) => `${r.name}: deployment ${r.deploymentId ?? "started"}`).join("\n"),
      );
    });

  ecs
    .command("status")
    .argument("<env>", "dev, staging or prod")
    .option("--json", "print the statuses as JSON")
    .description("desired/running/pending tasks and rollout state of every service")
    .action(async (e: string, opts: { json?: boolean }) => {
      const ctx = context();
      const environment = env(e);
      await guardProd(ctx, environment);
      const status = await ecsStatus(ctx, environment);
      emit(ctx, opts.json, status, () =>
        [
          `cluster ${status.cluster}`,
          table([
            ["service", "status", "desired", "running", "pending", "rollout"],
            ...status.services.map((s) => [
              s.name,
              s.status,
              `${s.desired}`,
              `${s.running}`,
              `${s.pending}`,
              s.rollout ?? "-",
            ]),
          ]),
        ].join("\n"),
      );
    });

  ecs
    .command("events")
    .argument("<service>", SERVICE_ARGUMENT)
    .argument("<env>", "dev, staging or prod")
    .option("--limit <n>", "how many events", "20")
    .option("--json", "print the events as JSON")
    .description("the service's most recent events, newest first")
    .action(async (service: string, e: string, opts: { limit: string; json?: boolean }) => {
      const ctx = context();
      const environment = env(e);
      const name = parseEcsService(service);
      const limit = positiveInt(opts.limit, "--limit");
      await guardProd(ctx, environment);
      const events = await ecsEvents(ctx, name, environment, limit);
      emit(ctx, opts.json, events, () =>
        events.length ? events.map((ev) => `${ev.at}  ${ev.message}`).join("\n") : `no events for ${service}`,
      );
    });
}
