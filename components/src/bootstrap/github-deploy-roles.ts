import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyStatement, policyDocument } from "../core/iam";

export interface GithubDeployRolesArgs {
  /** `owner/repo` whose workflows may assume the roles. */
  repository: string;
  /** GitHub environments allowed to deploy (the workflow job's `environment:`). */
  environments: string[];
  /** Physical role name prefix, e.g. `tradai-dev-github`. */
  rolePrefix: string;
  /** State bucket ARN the roles read and write (state and locks). */
  stateBucketArn: pulumi.Input<string>;
  /** KMS key ARN of the stack secrets. */
  secretsKeyArn: pulumi.Input<string>;
  /** Create the account's GitHub OIDC provider (only one may exist per account). @default true */
  createProvider?: boolean;
  /**
   * Whose code may assume the preview role: `pull-requests` (any pull request of the repository: its
   * code runs the Pulumi program) or `default-branch` (only workflows running the default branch's
   * reviewed code, e.g. the push that merged a pull request). Prod takes `default-branch`, so no pull
   * request's code ever reads prod. @default "pull-requests"
   */
  previewFrom?: "pull-requests" | "default-branch";
  /** The repository's default (protected) branch. @default "main" */
  defaultBranch?: string;
}

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/** The OIDC `sub` claims that may assume each role, as the trust policies list them. */
export function githubSubjects(
  args: Pick<GithubDeployRolesArgs, "repository" | "environments" | "previewFrom" | "defaultBranch">,
): {
  preview: string[];
  deploy: string[];
} {
  const repo = `repo:${args.repository}`;
  return {
    preview:
      (args.previewFrom ?? "pull-requests") === "pull-requests"
        ? [`${repo}:pull_request`]
        : [`${repo}:ref:refs/heads/${args.defaultBranch ?? "main"}`],
    // A job that names a GitHub environment gets this subject only after that environment's protection
    // rules (reviewers, branch rules) let it run.
    deploy: args.environments.map((env) => `${repo}:environment:${env}`),
  };
}

/**
 * Data-plane reads a preview never needs (it diffs resource configurations, it does not read their
 * contents): denied explicitly, so ReadOnlyAccess cannot hand a pull request's code the platform's data.
 * Object reads are denied everywhere but the Pulumi state (`.pulumi/` in the state bucket); parameters only
 * in this account (AWS's public parameters, e.g. AMI ids, stay readable); decryption with every key but
 * the stack secrets key.
 */
export const PREVIEW_DENIED_DATA_ACTIONS = {
  objects: [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAttributes",
    "s3:GetObjectVersionAttributes",
    "s3:GetObjectTorrent",
    "s3:GetObjectVersionTorrent",
  ],
  items: [
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PartiQLSelect",
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:ExportTableToPointInTime",
  ],
  secrets: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"],
  parameters: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
  messages: ["sqs:ReceiveMessage", "kinesis:GetRecords", "kinesis:GetShardIterator"],
  records: [
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:GetQueryResults",
    "logs:StartLiveTail",
    "logs:GetLogRecord",
    "states:GetExecutionHistory",
    "states:DescribeExecution",
    "athena:GetQueryResults",
    "rds:DownloadDBLogFilePortion",
    "rds:DownloadCompleteDBLogFile",
    "ec2:GetConsoleOutput",
    "ec2:GetConsoleScreenshot",
    "ec2:GetPasswordData",
    "cognito-idp:ListUsers",
    "cognito-idp:ListUsersInGroup",
    "cognito-idp:AdminGetUser",
  ],
  decrypt: ["kms:Decrypt"],
} as const;

/**
 * GitHub Actions reaches AWS through OIDC, never long-lived keys: the account's OIDC provider and two
 * roles. `preview` reads resource configurations (ReadOnlyAccess minus every data-plane read), reads the
 * Pulumi state and decrypts with the stack secrets key only; it writes nothing, because a DIY-backend
 * preview neither locks the stack nor saves a checkpoint or history (pulumi/pulumi
 * pkg/backend/diy/backend.go: `Preview` calls `apply` with DryRun and no `Lock`; only update, refresh,
 * destroy and import lock). `deploy` (the listed GitHub environments only, so their protection rules
 * apply) deploys the stacks.
 *
 * @example
 * new GithubDeployRoles("github", { repository: "tradai/tradai-infra", environments: ["prod"], ... }, ctx.opts);
 */
export class GithubDeployRoles extends pulumi.ComponentResource {
  readonly previewRole: aws.iam.Role;
  readonly deployRole: aws.iam.Role;
  readonly providerArn: pulumi.Output<string>;

  constructor(name: string, args: GithubDeployRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:bootstrap:GithubDeployRoles", name, {}, opts);
    const child = { parent: this };
    const account = aws.getCallerIdentityOutput({}, child).accountId;
    this.providerArn =
      (args.createProvider ?? true)
        ? new aws.iam.OpenIdConnectProvider(
            `${name}-oidc`,
            { url: `https://${GITHUB_OIDC}`, clientIdLists: ["sts.amazonaws.com"] },
            child,
          ).arn
        : pulumi.interpolate`arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC}`;
    const subjects = githubSubjects(args);

    // Exact subjects (StringEquals, no wildcards): one claim value per trusted context.
    const trust = (sub: string[]) =>
      policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: this.providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${GITHUB_OIDC}:aud`]: "sts.amazonaws.com", [`${GITHUB_OIDC}:sub`]: sub },
          },
        },
      ]);
    const stateBucket: PolicyStatement = {
      Sid: "StateBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: args.stateBucketArn,
    };
    const state: PolicyStatement[] = [
      stateBucket,
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: pulumi.interpolate`${args.stateBucketArn}/*`,
      },
      {
        Sid: "StackSecrets",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: args.secretsKeyArn,
      },
    ];
    const stateObjects = pulumi.interpolate`${args.stateBucketArn}/.pulumi/*`;

    this.previewRole = new aws.iam.Role(
      `${name}-preview`,
      {
        name: `${args.rolePrefix}-preview`,
        description:
          (args.previewFrom ?? "pull-requests") === "pull-requests"
            ? "Pulumi previews from pull requests"
            : "Pulumi previews from the default branch",
        assumeRolePolicy: trust(subjects.preview),
        maxSessionDuration: 3600,
      },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-preview-readonly`,
      { role: this.previewRole.name, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-preview-state`,
      {
        role: this.previewRole.id,
        policy: policyDocument([
          stateBucket,
          { Sid: "ReadState", Effect: "Allow", Action: ["s3:GetObject"], Resource: stateObjects },
          {
            Sid: "DecryptStackSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:DescribeKey"],
            Resource: args.secretsKeyArn,
          },
        ]),
      },
      child,
    );
    const denied = PREVIEW_DENIED_DATA_ACTIONS;
    new aws.iam.RolePolicy(
      `${name}-preview-no-data`,
      {
        role: this.previewRole.id,
        policy: policyDocument([
          { Sid: "NoObjectContents", Effect: "Deny", Action: [...denied.objects], NotResource: stateObjects },
          { Sid: "NoTableItems", Effect: "Deny", Action: [...denied.items], Resource: "*" },
          { Sid: "NoSecretValues", Effect: "Deny", Action: [...denied.secrets], Resource: "*" },
          {
            Sid: "NoOwnParameters",
            Effect: "Deny",
            Action: [...denied.parameters],
            Resource: pulumi.interpolate`arn:aws:ssm:*:${account}:parameter/*`,
          },
          { Sid: "NoMessages", Effect: "Deny", Action: [...denied.messages], Resource: "*" },
          { Sid: "NoRecords", Effect: "Deny", Action: [...denied.records], Resource: "*" },
          {
            Sid: "NoOtherKeys",
            Effect: "Deny",
            Action: [...denied.decrypt],
            NotResource: args.secretsKeyArn,
          },
        ]),
      },
      child,
    );

    this.deployRole = new aws.iam.Role(
      `${name}-deploy`,
      {
        name: `${args.rolePrefix}-deploy`,
        description: "Pulumi deployments from protected GitHub environments",
        assumeRolePolicy: trust(subjects.deploy),
        maxSessionDuration: 7200,
      },
      child,
    );
    // Everything but IAM, plus IAM limited to the platform's own roles and policies.
    new aws.iam.RolePolicyAttachment(
      `${name}-deploy-poweruser`,
      { role: this.deployRole.name, policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-deploy-iam`,
      {
        role: this.deployRole.id,
        policy: policyDocument([
          ...state,
          {
            Sid: "PlatformRoles",
            Effect: "Allow",
            Action: [
              "iam:CreateRole",
              "iam:DeleteRole",
              "iam:GetRole",
              "iam:UpdateRole",
              "iam:TagRole",
              "iam:UntagRole",
              "iam:PassRole",
              "iam:PutRolePolicy",
              "iam:GetRolePolicy",
              "iam:DeleteRolePolicy",
              "iam:ListRolePolicies",
              "iam:AttachRolePolicy",
              "iam:DetachRolePolicy",
              "iam:ListAttachedRolePolicies",
              "iam:ListInstanceProfilesForRole",
              "iam:UpdateAssumeRolePolicy",
              "iam:CreateInstanceProfile",
              "iam:DeleteInstanceProfile",
              "iam:GetInstanceProfile",
              "iam:AddRoleToInstanceProfile",
              "iam:RemoveRoleFromInstanceProfile",
              "iam:TagInstanceProfile",
            ],
            Resource: [
              pulumi.interpolate`arn:aws:iam::${account}:role/*`,
              pulumi.interpolate`arn:aws:iam::${account}:instance-profile/*`,
            ],
            Condition: { StringEquals: { "aws:ResourceTag/Project": "tradai" } },
          },
          {
            Sid: "CreateTaggedRoles",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:TagRole", "iam:CreateInstanceProfile", "iam:TagInstanceProfile"],
            Resource: [
              pulumi.interpolate`arn:aws:iam::${account}:role/*`,
              pulumi.interpolate`arn:aws:iam::${account}:instance-profile/*`,
            ],
            Condition: { StringEquals: { "aws:RequestTag/Project": "tradai" } },
          },
          {
            Sid: "ServiceLinkedRoles",
            Effect: "Allow",
            Action: "iam:CreateServiceLinkedRole",
            Resource: pulumi.interpolate`arn:aws:iam::${account}:role/aws-service-role/*`,
          },
        ]),
      },
      child,
    );
    this.registerOutputs({ previewRoleArn: this.previewRole.arn, deployRoleArn: this.deployRole.arn });
  }
}
