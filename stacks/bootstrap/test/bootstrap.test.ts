import { PlanView, runLayer } from "@tradai/plan";

let view: PlanView;
beforeAll(async () => {
  const plan = await runLayer({
    layer: "bootstrap",
    env: "prod",
    config: { "tradai:repository": "acme/tradai-infra" },
  });
  view = new PlanView({ ...plan, layer: "persistent" });
});

describe("tradai-bootstrap", () => {
  it("creates a protected, versioned, private state bucket named after the account", () => {
    const bucket = view.one("aws:s3/bucket:Bucket", "state-bucket");
    expect(bucket.inputs.bucket).toBe("tradai-pulumi-state-123456789012");
    expect(bucket.protect).toBe(true);
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(
      view.one("aws:s3/bucketVersioning:BucketVersioning", "state-bucket-versioning").inputs
        .versioningConfiguration,
    ).toEqual({
      status: "Enabled",
    });
    expect(
      view.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "state-bucket-public-access").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  it("creates a rotating, protected KMS key for stack secrets behind a stable alias", () => {
    const key = view.one("aws:kms/key:Key", "state-secrets-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(key.protect).toBe(true);
    expect(view.one("aws:kms/alias:Alias", "state-secrets-alias").inputs.name).toBe(
      "alias/tradai-pulumi-secrets",
    );
    expect(view.outputs.secretsProvider).toBe("awskms://alias/tradai-pulumi-secrets?region=eu-central-1");
  });

  it("lets only this repository's workflows assume the roles through GitHub OIDC", () => {
    const trust = (name: string) =>
      JSON.parse(String(view.one("aws:iam/role:Role", name).inputs.assumeRolePolicy));
    const deploy = trust("github-deploy").Statement[0];
    expect(deploy.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(deploy.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/tradai-infra:environment:prod"],
      },
    });
    // prod's previews run from the default branch only (ci-roles.test.ts simulates who may assume them).
    expect(
      trust("github-preview").Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"],
    ).toEqual(["repo:acme/tradai-infra:ref:refs/heads/main"]);
    expect(
      view.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github-oidc").inputs.clientIdLists,
    ).toEqual(["sts.amazonaws.com"]);
  });

  it("gives the preview role read-only access (minus data, ci-roles.test.ts) and never a wildcard action", () => {
    const attachments = view
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.name.startsWith("github-preview"));
    expect(attachments.map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    for (const policy of view.ofType("aws:iam/rolePolicy:RolePolicy")) {
      for (const statement of JSON.parse(String(policy.inputs.policy)).Statement as {
        Action: string | string[];
      }[]) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/(^\*$|:\*$)/);
      }
    }
  });

  it("takes the preview source from tradai:previewFrom, and refuses pull requests in prod naming the key", async () => {
    const dev = new PlanView({
      ...(await runLayer({
        layer: "bootstrap",
        env: "dev",
        config: { "tradai:previewFrom": "default-branch" },
      })),
      layer: "persistent",
    });
    const trust = JSON.parse(String(dev.one("aws:iam/role:Role", "github-preview").inputs.assumeRolePolicy));
    expect(trust.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toEqual([
      "repo:tradai/tradai-infra:ref:refs/heads/main",
    ]);
    await expect(
      runLayer({ layer: "bootstrap", env: "prod", config: { "tradai:previewFrom": "pull-requests" } }),
    ).rejects.toThrow(
      'Invalid configuration for stack "organization/tradai-bootstrap/prod":\n  - tradai:previewFrom: must be default-branch in prod',
    );
  });

  it("rejects an invalid repository name naming the key", async () => {
    await expect(
      runLayer({ layer: "bootstrap", env: "dev", config: { "tradai:repository": "not a repo" } }),
    ).rejects.toThrow("tradai:repository: expected <owner>/<repo>");
  });
});
