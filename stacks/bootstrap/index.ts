/**
 * The root project `tradai-bootstrap`: what the four layers assume exists before their first deploy.
 * Run once per AWS account with local state (`pulumi login --local`), then move its state into the bucket
 * it created (docs/bootstrap.md).
 */

import * as pulumi from "@pulumi/pulumi";
import { bootstrapConfigSchema, GithubDeployRoles, initLayer, StateBackend } from "@tradai/components";

export = async function bootstrap() {
  const ctx = initLayer("bootstrap", bootstrapConfigSchema);
  const backend = new StateBackend(
    "state",
    {
      bucketName: pulumi.interpolate`tradai-pulumi-state-${ctx.accountId}`,
      versionRetentionDays: ctx.config.stateVersionRetentionDays,
    },
    ctx.opts,
  );
  const github = new GithubDeployRoles(
    "github",
    {
      repository: ctx.config.repository,
      environments: ctx.config.githubEnvironments ?? [ctx.env],
      rolePrefix: ctx.name("github"),
      stateBucketArn: backend.bucket.arn,
      secretsKeyArn: backend.key.arn,
      // Prod's config refuses pull-requests: no pull request's code may read prod.
      previewFrom: ctx.config.previewFrom,
    },
    ctx.opts,
  );
  return {
    stateBackendUrl: pulumi.interpolate`s3://${backend.bucket.name}`,
    secretsProvider: pulumi.interpolate`awskms://${backend.alias.name}?region=${ctx.region}`,
    previewRoleArn: github.previewRole.arn,
    deployRoleArn: github.deployRole.arn,
  };
};
