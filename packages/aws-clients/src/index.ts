/** `@tradai/aws-clients`: AWS access the Lambdas and the services share (the S3 rule, the jobs table). */
export * from "./job-errors";
export * from "./job-store";
export * from "./s3";
