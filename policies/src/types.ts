/** Resource type tokens the policies look at (@pulumi/aws 7.x). */
export const T = {
  dynamodbTable: "aws:dynamodb/table:Table",
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  lbLoadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  lbListener: "aws:lb/listener:Listener",
  albListener: "aws:alb/listener:Listener",
  lbListenerRule: "aws:lb/listenerRule:ListenerRule",
  albListenerRule: "aws:alb/listenerRule:ListenerRule",
  albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
  cognitoUserPool: "aws:cognito/userPool:UserPool",
  s3Bucket: "aws:s3/bucket:Bucket",
  s3BucketV2: "aws:s3/bucketV2:BucketV2",
  s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3Encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  s3EncryptionV2:
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ecrRepository: "aws:ecr/repository:Repository",
  lambdaFunction: "aws:lambda/function:Function",
  sqsQueue: "aws:sqs/queue:Queue",
  sqsRedrivePolicy: "aws:sqs/redrivePolicy:RedrivePolicy",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  restApiStage: "aws:apigateway/stage:Stage",
  httpApiStage: "aws:apigatewayv2/stage:Stage",
  webAclAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
  iamRole: "aws:iam/role:Role",
  awsProvider: "pulumi:providers:aws",
} as const;

/** S3 bucket types (the v7 `Bucket` and the deprecated `BucketV2`). */
export const BUCKET_TYPES: readonly string[] = [T.s3Bucket, T.s3BucketV2];
