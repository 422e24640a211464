import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../core/iam";

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
}

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/**
 * GitHub Actions reaches AWS through OIDC, never long-lived keys: the account's OIDC provider and two
 * roles. `preview` (pull requests of this repository) reads everything and may only write state locks;
 * `deploy` (the listed GitHub environments, so prod's protection rules apply) deploys the stacks.
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

    const trust = (subjects: string[]) =>
      policyDocument([
        {
          Effect: "Allow",
          Principal: { Federated: this.providerArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { [`${GITHUB_OIDC}:aud`]: "sts.amazonaws.com" },
            StringLike: { [`${GITHUB_OIDC}:sub`]: subjects },
          },
        },
      ]);
    const state = [
      {
        Sid: "StateBucket",
        Effect: "Allow" as const,
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: args.stateBucketArn,
      },
      {
        Sid: "StateObjects",
        Effect: "Allow" as const,
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: pulumi.interpolate`${args.stateBucketArn}/*`,
      },
      {
        Sid: "StackSecrets",
        Effect: "Allow" as const,
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        Resource: args.secretsKeyArn,
      },
    ];

    this.previewRole = new aws.iam.Role(
      `${name}-preview`,
      {
        name: `${args.rolePrefix}-preview`,
        description: "Pulumi previews from pull requests",
        assumeRolePolicy: trust([
          `repo:${args.repository}:pull_request`,
          `repo:${args.repository}:ref:refs/heads/*`,
        ]),
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
      { role: this.previewRole.id, policy: policyDocument(state) },
      child,
    );

    this.deployRole = new aws.iam.Role(
      `${name}-deploy`,
      {
        name: `${args.rolePrefix}-deploy`,
        description: "Pulumi deployments from protected GitHub environments",
        assumeRolePolicy: trust(args.environments.map((env) => `repo:${args.repository}:environment:${env}`)),
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
