import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dataResourceOptions, formerType } from "../core/options";

export interface ImageRepositoryArgs {
  /** Physical repository name, e.g. `tradai/lambda-sqs-consumer`. */
  repositoryName: string;
  /** Tagged images kept; older ones expire. @default 30 */
  keepImages?: number;
  /** Days an untagged image is kept (digests superseded by a new push). @default 1 */
  untaggedDays?: number;
  /** `protect` + retain on delete; otherwise the repository is deleted with its images. @default false */
  protectData?: boolean;
}

/**
 * An ECR repository that scans every push, is encrypted, and expires old images by lifecycle policy.
 * Tags stay mutable because services also move `latest`; deployments pin digests, not tags.
 *
 * @example
 * new ImageRepository("lambda-base", { repositoryName: "tradai/lambda-base" }, ctx.opts);
 */
export class ImageRepository extends pulumi.ComponentResource {
  readonly repository: aws.ecr.Repository;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:persistent:ImageRepository", name, {}, formerType("tradai:registry:ImageRepository", opts));
    const protectData = args.protectData ?? false;
    this.repository = new aws.ecr.Repository(
      name,
      {
        name: args.repositoryName,
        imageTagMutability: "MUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "AES256" }],
        forceDelete: !protectData,
      },
      { parent: this, ...dataResourceOptions(protectData) },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      {
        repository: this.repository.name,
        policy: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              description: "expire untagged images",
              selection: {
                tagStatus: "untagged",
                countType: "sinceImagePushed",
                countUnit: "days",
                countNumber: args.untaggedDays ?? 1,
              },
              action: { type: "expire" },
            },
            {
              rulePriority: 2,
              description: "keep the most recent tagged images",
              selection: {
                tagStatus: "any",
                countType: "imageCountMoreThan",
                countNumber: args.keepImages ?? 30,
              },
              action: { type: "expire" },
            },
          ],
        }),
      },
      { parent: this },
    );
    this.name = this.repository.name;
    this.arn = this.repository.arn;
    this.url = this.repository.repositoryUrl;
    this.registerOutputs({ name: this.name, arn: this.arn, url: this.url });
  }
}
