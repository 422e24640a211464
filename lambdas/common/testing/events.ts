/**
 * Lambda trigger events in the shapes AWS delivers them (the samples of the Lambda developer guide), so
 * handlers are tested against what they will really receive.
 */
import { randomUUID } from "node:crypto";
import { TEST_ACCOUNT_ID, TEST_REGION } from "@tradai/testing";
import type {
  APIGatewayProxyEvent,
  Context,
  EventBridgeEvent,
  ScheduledEvent,
  SQSEvent,
  SQSRecord,
} from "aws-lambda";

/** One SQS record as the event source mapping delivers it; `body` is sent verbatim. */
export function sqsRecord(body: string, queueName = "tradai-test-queue"): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: randomUUID(),
    receiptHandle: `AQEB${randomUUID().replaceAll("-", "")}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: now,
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT_ID}:${queueName}`,
    awsRegion: TEST_REGION,
  };
}

/** An SQS event with one record per body. */
export function sqsEvent(bodies: readonly string[], queueName?: string): SQSEvent {
  return { Records: bodies.map((body) => sqsRecord(body, queueName)) };
}

/** An EventBridge scheduled event ("Scheduled Event" from aws.events) for the rule `ruleName`. */
export function scheduledEvent(time: Date, ruleName = "tradai-test-schedule"): ScheduledEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: TEST_ACCOUNT_ID,
    time: time.toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: TEST_REGION,
    resources: [`arn:aws:events:${TEST_REGION}:${TEST_ACCOUNT_ID}:rule/${ruleName}`],
    detail: {},
  };
}

/** The `detail` of an "ECS Task State Change" event (the fields TradAI reads, plus the usual others). */
export interface EcsTaskStateChangeDetail {
  clusterArn: string;
  taskArn: string;
  taskDefinitionArn: string;
  lastStatus: string;
  desiredStatus: string;
  startedBy?: string;
  stopCode?: string;
  stoppedReason?: string;
  stoppedAt?: string;
  group?: string;
  launchType?: string;
  containers: {
    containerArn: string;
    name: string;
    lastStatus: string;
    exitCode?: number;
    reason?: string;
    taskArn: string;
  }[];
  [key: string]: unknown;
}

/** An "ECS Task State Change" event for a task that stopped with `exitCode` in container `containerName`. */
export function ecsTaskStoppedEvent(options: {
  startedBy?: string;
  containerName: string;
  exitCode?: number;
  lastStatus?: string;
  stoppedReason?: string;
  clusterName?: string;
}): EventBridgeEvent<"ECS Task State Change", EcsTaskStateChangeDetail> {
  const cluster = options.clusterName ?? "tradai-test";
  const clusterArn = `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT_ID}:cluster/${cluster}`;
  const taskArn = `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT_ID}:task/${cluster}/${randomUUID().replaceAll("-", "")}`;
  const lastStatus = options.lastStatus ?? "STOPPED";
  const now = new Date().toISOString();
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "ECS Task State Change",
    source: "aws.ecs",
    account: TEST_ACCOUNT_ID,
    time: now.replace(/\.\d{3}Z$/, "Z"),
    region: TEST_REGION,
    resources: [taskArn],
    detail: {
      clusterArn,
      taskArn,
      taskDefinitionArn: `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT_ID}:task-definition/tradai-test-backtest:1`,
      lastStatus,
      desiredStatus: "STOPPED",
      ...(options.startedBy === undefined ? {} : { startedBy: options.startedBy }),
      launchType: "FARGATE",
      group: "family:tradai-test-backtest",
      createdAt: now,
      version: 4,
      ...(lastStatus === "STOPPED"
        ? {
            stopCode: options.exitCode === 0 ? "EssentialContainerExited" : "TaskFailedToStart",
            stoppedReason: options.stoppedReason ?? "Essential container in task exited",
            stoppedAt: now,
          }
        : {}),
      containers: [
        {
          containerArn: `arn:aws:ecs:${TEST_REGION}:${TEST_ACCOUNT_ID}:container/${randomUUID()}`,
          name: options.containerName,
          lastStatus,
          taskArn,
          ...(options.exitCode === undefined ? {} : { exitCode: options.exitCode }),
        },
      ],
    },
  };
}

/** A Lambda context good enough for Powertools (logger/metrics read these fields). */
export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/01/01/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * An API Gateway REST proxy event (Lambda proxy integration) for a POST to `resourcePath` on stage
 * `prod`, from a Cognito-authorised caller.
 */
export function apiGatewayProxyEvent(
  resourcePath: string,
  body: string | null,
  options: { isBase64Encoded?: boolean } = {},
): APIGatewayProxyEvent {
  return {
    resource: resourcePath,
    path: resourcePath,
    httpMethod: "POST",
    headers: { "content-type": "application/json" },
    multiValueHeaders: { "content-type": ["application/json"] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: TEST_ACCOUNT_ID,
      apiId: "a1b2c3d4e5",
      authorizer: { claims: { sub: "user-1" } },
      protocol: "HTTP/1.1",
      httpMethod: "POST",
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: "203.0.113.7",
        user: null,
        userAgent: "curl/8.5.0",
        userArn: null,
      },
      path: `/prod${resourcePath}`,
      stage: "prod",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: "abc123",
      resourcePath,
    },
  };
}
