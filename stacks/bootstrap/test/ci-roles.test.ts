/**
 * The GitHub OIDC roles of tradai-bootstrap, evaluated with the IAM policy simulator
 * (@cloud-copilot/iam-simulate, offline) on the policies the planned program produces for dev and prod:
 * who may assume each role (trust) and what the preview role may read and write (permissions).
 *
 * Trust policies go through `runUnsafeSimulation`: the validated `runSimulation` drops the OIDC `sub` and
 * `aud` context keys of `sts:AssumeRoleWithWebIdentity` (its IAM data set lists only GitHub's custom
 * claims for that action), which would make every trust decision "implicitly denied".
 */
import { runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { PREVIEW_DENIED_DATA_ACTIONS } from "@tradai/components";
import { PlanView, runLayer } from "@tradai/plan";

const ACCOUNT = "123456789012";
const REPO = "acme/tradai-infra";
const OIDC = "token.actions.githubusercontent.com";
const STATE_BUCKET = `tradai-pulumi-state-${ACCOUNT}`;

interface Document {
  Version: string;
  Statement: Record<string, unknown>[];
}

/**
 * The part of the AWS managed policy ReadOnlyAccess (attached to the preview role, maintained by AWS)
 * that reaches the data the preview must not read, plus describes a preview does need: what the explicit
 * denies have to beat. Wider than the real policy where in doubt (it grants GetSecretValue).
 */
const READ_ONLY_ACCESS: Document = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: [
        "s3:Get*",
        "s3:List*",
        "dynamodb:BatchGet*",
        "dynamodb:Describe*",
        "dynamodb:Get*",
        "dynamodb:List*",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:PartiQLSelect",
        "secretsmanager:Describe*",
        "secretsmanager:GetSecretValue",
        "secretsmanager:List*",
        "ssm:Describe*",
        "ssm:Get*",
        "sqs:Get*",
        "sqs:List*",
        "sqs:ReceiveMessage",
        "kms:Describe*",
        "kms:Get*",
        "kms:List*",
        "logs:Describe*",
        "logs:Get*",
        "logs:FilterLogEvents",
        "logs:StartQuery",
        "states:Describe*",
        "states:GetExecutionHistory",
        "states:List*",
        "ec2:Describe*",
        "ec2:Get*",
        "cognito-idp:AdminGet*",
        "cognito-idp:Describe*",
        "cognito-idp:List*",
        "lambda:Get*",
        "lambda:List*",
        "iam:Get*",
        "iam:List*",
      ],
      Resource: "*",
    },
  ],
};

/** The key policy AWS gives a key created without one (StateBackend's secrets key). */
const DEFAULT_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};

interface Roles {
  view: PlanView;
  trust(role: "preview" | "deploy"): Document;
  /** The preview role's inline policies by name, plus the ReadOnlyAccess stand-in. */
  previewPolicies: { name: string; policy: Document }[];
  oidcProviderArn: string;
  secretsKeyArn: string;
}

async function plan(env: "dev" | "prod"): Promise<Roles> {
  const result = await runLayer({ layer: "bootstrap", env, config: { "tradai:repository": REPO } });
  const view = new PlanView({ ...result, layer: "persistent" });
  const doc = (type: string, name: string, input: string) =>
    JSON.parse(String(view.one(type, name).inputs[input])) as Document;
  const trust = (role: "preview" | "deploy") =>
    doc("aws:iam/role:Role", `github-${role}`, "assumeRolePolicy");
  const inline = (name: string) => ({ name, policy: doc("aws:iam/rolePolicy:RolePolicy", name, "policy") });
  const state = inline("github-preview-state");
  const decrypt = state.policy.Statement.find((s) => s.Sid === "DecryptStackSecrets");
  return {
    view,
    trust,
    previewPolicies: [
      { name: "ReadOnlyAccess", policy: READ_ONLY_ACCESS },
      state,
      inline("github-preview-no-data"),
    ],
    oidcProviderArn: String(
      (trust("deploy").Statement[0]?.Principal as { Federated?: string } | undefined)?.Federated,
    ),
    secretsKeyArn: String(decrypt?.Resource),
  };
}

let dev: Roles;
let prod: Roles;
beforeAll(async () => {
  dev = await plan("dev");
  prod = await plan("prod");
});

/** Whether a GitHub job whose OIDC token carries `sub` (and `aud`) may assume the role. */
function assume(roles: Roles, role: "preview" | "deploy", sub: string, aud = "sts.amazonaws.com"): string {
  return runUnsafeSimulation(
    {
      request: {
        principal: roles.oidcProviderArn,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: { resource: `arn:aws:iam::${ACCOUNT}:role/tradai-${role}`, accountId: ACCOUNT },
        contextVariables: { [`${OIDC}:sub`]: sub, [`${OIDC}:aud`]: aud },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: roles.trust(role),
    },
    {},
  );
}

/** The preview role's decision on `action` over `resource` (validated simulation: unknown actions fail). */
async function previewCan(roles: Roles, action: string, resource: string): Promise<string> {
  const response = await runSimulation(
    {
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/tradai-${roles === prod ? "prod" : "dev"}-github-preview/ci`,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: roles.previewPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // KMS needs its key policy's consent too: the stack secrets key has the default one, which hands
      // the decision to IAM policies in the account.
      ...(action.startsWith("kms:") ? { resourcePolicy: DEFAULT_KEY_POLICY } : {}),
    },
    {},
  );
  if (response.resultType === "error")
    throw new Error(`${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  return response.overallResult;
}

const prSub = `repo:${REPO}:pull_request`;
const mainSub = `repo:${REPO}:ref:refs/heads/main`;

describe("who may assume the roles (trust policies)", () => {
  it("a pull request's token cannot assume a deploy role; only the protected environment's job can", () => {
    expect(assume(prod, "deploy", prSub)).toBe("ImplicitlyDenied");
    expect(assume(dev, "deploy", prSub)).toBe("ImplicitlyDenied");
    expect(assume(prod, "deploy", mainSub)).toBe("ImplicitlyDenied");
    expect(assume(prod, "deploy", `repo:${REPO}:environment:prod`)).toBe("Allowed");
    expect(assume(dev, "deploy", `repo:${REPO}:environment:dev`)).toBe("Allowed");
    // Another environment, another repository's prod, another audience: no.
    expect(assume(prod, "deploy", `repo:${REPO}:environment:dev`)).toBe("ImplicitlyDenied");
    expect(assume(prod, "deploy", "repo:evil/tradai-infra:environment:prod")).toBe("ImplicitlyDenied");
    expect(assume(prod, "deploy", `repo:${REPO}:environment:prod`, "sigstore")).toBe("ImplicitlyDenied");
  });

  it("no pull request's code can assume the prod preview role: only the default branch's", () => {
    expect(assume(prod, "preview", prSub)).toBe("ImplicitlyDenied");
    expect(assume(prod, "preview", `repo:${REPO}:ref:refs/heads/feature`)).toBe("ImplicitlyDenied");
    expect(assume(prod, "preview", mainSub)).toBe("Allowed");
  });

  it("dev's preview role takes pull requests of this repository only", () => {
    expect(assume(dev, "preview", prSub)).toBe("Allowed");
    expect(assume(dev, "preview", "repo:evil/tradai-infra:pull_request")).toBe("ImplicitlyDenied");
    // A branch push is not a preview context (it used to be: `ref:refs/heads/*`).
    expect(assume(dev, "preview", `repo:${REPO}:ref:refs/heads/feature`)).toBe("ImplicitlyDenied");
  });

  it("lists exact subjects: no wildcard, StringEquals", () => {
    for (const roles of [dev, prod]) {
      for (const role of ["preview", "deploy"] as const) {
        const condition = roles.trust(role).Statement[0]?.Condition as Record<
          string,
          Record<string, unknown>
        >;
        expect(Object.keys(condition)).toEqual(["StringEquals"]);
        for (const sub of [condition.StringEquals?.[`${OIDC}:sub`]].flat())
          expect(String(sub)).not.toContain("*");
      }
    }
  });
});

describe("what the preview role may do (permissions, ReadOnlyAccess included)", () => {
  const market = `arn:aws:s3:::tradai-dev-market-data-${ACCOUNT}/ohlcv/binance/BTC-USDT/1h.parquet`;
  const jobs = `arn:aws:dynamodb:eu-central-1:${ACCOUNT}:table/tradai-dev-backtest-jobs`;

  it.each([
    ["s3:GetObject", market],
    ["s3:GetObjectVersion", market],
    ["dynamodb:GetItem", jobs],
    ["dynamodb:Query", jobs],
    ["dynamodb:Scan", jobs],
    [
      "secretsmanager:GetSecretValue",
      `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:tradai-dev-exchange-keys-AbCdEf`,
    ],
    ["ssm:GetParameter", `arn:aws:ssm:eu-central-1:${ACCOUNT}:parameter/tradai/dev/api-key`],
    ["sqs:ReceiveMessage", `arn:aws:sqs:eu-central-1:${ACCOUNT}:tradai-dev-backtest-jobs`],
    [
      "logs:GetLogEvents",
      `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:/aws/lambda/tradai-dev-x:log-stream:s`,
    ],
    [
      "states:GetExecutionHistory",
      `arn:aws:states:eu-central-1:${ACCOUNT}:execution:tradai-dev-retraining:run-1`,
    ],
    ["kms:Decrypt", `arn:aws:kms:eu-central-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`],
  ])("cannot read data: %s on %s", async (action, resource) => {
    for (const roles of [dev, prod])
      expect(await previewCan(roles, action, resource)).toBe("ExplicitlyDenied");
  });

  it("reads the Pulumi state and decrypts with the stack secrets key", async () => {
    const stateFile = `arn:aws:s3:::${STATE_BUCKET}/.pulumi/stacks/tradai-compute/dev.json`;
    expect(await previewCan(dev, "s3:GetObject", stateFile)).toBe("Allowed");
    expect(await previewCan(dev, "s3:ListBucket", `arn:aws:s3:::${STATE_BUCKET}`)).toBe("Allowed");
    expect(await previewCan(dev, "kms:Decrypt", dev.secretsKeyArn)).toBe("Allowed");
  });

  it("writes nothing in the state bucket: a DIY-backend preview takes no lock and saves no checkpoint", async () => {
    for (const key of [
      ".pulumi/locks/organization/tradai-compute/dev/abc.json",
      ".pulumi/stacks/tradai-compute/dev.json",
    ]) {
      for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
        expect(await previewCan(dev, action, `arn:aws:s3:::${STATE_BUCKET}/${key}`)).toBe("ImplicitlyDenied");
      }
    }
    expect(await previewCan(dev, "kms:Encrypt", dev.secretsKeyArn)).toBe("ImplicitlyDenied");
  });

  it("still describes resources and reads their configurations (what a preview needs)", async () => {
    expect(await previewCan(dev, "ec2:DescribeVpcs", "*")).toBe("Allowed");
    expect(await previewCan(dev, "dynamodb:DescribeTable", jobs)).toBe("Allowed");
    expect(
      await previewCan(dev, "s3:GetBucketPolicy", `arn:aws:s3:::tradai-dev-market-data-${ACCOUNT}`),
    ).toBe("Allowed");
    expect(
      await previewCan(
        dev,
        "lambda:GetFunctionConfiguration",
        `arn:aws:lambda:eu-central-1:${ACCOUNT}:function:tradai-dev-x`,
      ),
    ).toBe("Allowed");
    // AWS's public parameters (AMI ids, ARNs without an account) stay readable: the deny names this
    // account's parameters only (the simulator cannot evaluate an account-less ARN).
    const noData = dev.previewPolicies.find((p) => p.name === "github-preview-no-data")?.policy;
    expect(noData?.Statement.find((st) => st.Sid === "NoOwnParameters")?.Resource).toBe(
      `arn:aws:ssm:*:${ACCOUNT}:parameter/*`,
    );
  });

  it("denies only actions IAM knows (a typo would deny nothing)", async () => {
    // The validated simulation rejects an action IAM does not know; every denied action goes through it.
    await expect(previewCan(dev, "dynamodb:GetItems", "*")).rejects.toThrow("dynamodb:GetItems");
    const actions = Object.values(PREVIEW_DENIED_DATA_ACTIONS).flat();
    expect(actions.length).toBeGreaterThan(30);
    for (const action of actions)
      await expect(previewCan(dev, action, "*")).resolves.toMatch(/Allowed|Denied/);
  });
});
