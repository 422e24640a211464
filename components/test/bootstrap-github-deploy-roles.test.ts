import { GithubDeployRoles, githubSubjects } from "../src/bootstrap/github-deploy-roles";
import { ACCOUNT_ID, capture, expectWellFormed, json, mockArn, mockPulumi, resolve } from "./harness";

const ROLE = "aws:iam/role:Role";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";

beforeAll(() => mockPulumi());

const args = {
  repository: "acme/tradai-infra",
  environments: ["dev"],
  rolePrefix: "tradai-dev-github",
  stateBucketArn: "arn:aws:s3:::state",
  secretsKeyArn: "key-arn",
};

/** The `sub` claims a role's trust policy accepts, and the provider it federates with. */
function trust(assumeRolePolicy: string) {
  const [statement, ...others] = json(assumeRolePolicy).Statement;
  expect(others).toEqual([]);
  return {
    provider: statement.Principal.Federated,
    aud: statement.Condition.StringEquals["token.actions.githubusercontent.com:aud"],
    sub: statement.Condition.StringEquals["token.actions.githubusercontent.com:sub"],
  };
}

describe("GithubDeployRoles", () => {
  it("creates the OIDC provider and two roles named from the prefix, trusting exact subjects only", async () => {
    const c = await capture((opts) => new GithubDeployRoles("github", args, opts));
    expectWellFormed(c, "tradai:bootstrap:GithubDeployRoles", "github");
    expect(c.one(OIDC, "github-oidc").inputs).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
    const providerArn = mockArn(OIDC, "github-oidc");
    const preview = c.one(ROLE, "github-preview").inputs;
    const deploy = c.one(ROLE, "github-deploy").inputs;
    expect([preview.name, deploy.name]).toEqual(["tradai-dev-github-preview", "tradai-dev-github-deploy"]);
    expect(trust(preview.assumeRolePolicy)).toEqual({
      provider: providerArn,
      aud: "sts.amazonaws.com",
      sub: ["repo:acme/tradai-infra:pull_request"],
    });
    expect(trust(deploy.assumeRolePolicy)).toEqual({
      provider: providerArn,
      aud: "sts.amazonaws.com",
      sub: ["repo:acme/tradai-infra:environment:dev"],
    });
    expect(
      c.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => [a.name, a.inputs.policyArn]),
    ).toEqual([
      ["github-preview-readonly", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
      ["github-deploy-poweruser", "arn:aws:iam::aws:policy/PowerUserAccess"],
    ]);
    expect(await resolve(c.component.providerArn)).toBe(providerArn);
  });

  it("uses the account's existing provider and lets only the default branch preview when asked", async () => {
    const c = await capture(
      (opts) =>
        new GithubDeployRoles(
          "prod-github",
          {
            ...args,
            environments: ["prod", "prod-hotfix"],
            createProvider: false,
            previewFrom: "default-branch",
            defaultBranch: "trunk",
          },
          opts,
        ),
    );
    expect(c.ofType(OIDC)).toEqual([]);
    const existing = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
    expect(trust(c.one(ROLE, "prod-github-preview").inputs.assumeRolePolicy)).toMatchObject({
      provider: existing,
      sub: ["repo:acme/tradai-infra:ref:refs/heads/trunk"],
    });
    expect(trust(c.one(ROLE, "prod-github-deploy").inputs.assumeRolePolicy).sub).toEqual([
      "repo:acme/tradai-infra:environment:prod",
      "repo:acme/tradai-infra:environment:prod-hotfix",
    ]);
  });

  it("defaults the preview to pull requests and the default branch to main", () => {
    expect(githubSubjects({ repository: "a/b", environments: [] }).preview).toEqual([
      "repo:a/b:pull_request",
    ]);
    expect(
      githubSubjects({ repository: "a/b", environments: [], previewFrom: "default-branch" }).preview,
    ).toEqual(["repo:a/b:ref:refs/heads/main"]);
  });
});
