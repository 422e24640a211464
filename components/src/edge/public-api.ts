import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A header API Gateway adds to every request it forwards, so the origin can tell it from direct traffic. */
export interface OriginHeader {
  /** Header name, lower-case (WAF matches header names case-insensitively but stores them lower-case). */
  name: string;
  /** Secret value; never logged (redacted in WAF logs, not part of the access log format). */
  value: pulumi.Input<string>;
}

export interface PublicApiArgs {
  /** Physical name of the REST API. */
  apiName: string;
  /** Stage name (one stage per environment). */
  stageName: string;
  /** Base URL of the origin, scheme and host without a trailing slash (e.g. `https://alb.example.com`). */
  originUrl: pulumi.Input<string>;
  /** Header proving to the origin that a request came through this API. */
  originHeader: OriginHeader;
  /** ARN of the Cognito user pool whose tokens the `/v1` authorizer accepts. */
  userPoolArn: pulumi.Input<string>;
  /** Steady-state requests per second for every method of the stage. */
  throttleRateLimit: number;
  /** Burst above the rate for every method of the stage. */
  throttleBurstLimit: number;
  /** Execution logging level. @default "ERROR" */
  loggingLevel?: "OFF" | "ERROR" | "INFO";
  /** X-Ray tracing on the stage. @default true */
  tracing?: boolean;
  /** Days access logs are kept. */
  logRetentionDays: number;
  /**
   * The account's API Gateway CloudWatch role setting, when this program manages it: the stage waits for
   * it because API Gateway refuses access logging until the role is registered. @default none
   */
  loggingRole?: pulumi.Resource;
}

/**
 * Access log line: one JSON object per request. Every value is quoted because API Gateway writes `-` for
 * missing values, which would break unquoted numbers.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  user: "$context.authorizer.claims.sub",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  path: "$context.path",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integration.status",
  integrationLatency: "$context.integration.latency",
  integrationError: "$context.integration.error",
  authorizerError: "$context.authorizer.error",
  wafStatus: "$context.waf.status",
  xrayTraceId: "$context.xrayTraceId",
});

/**
 * The platform's public REST API in front of the ALB. A REST API (not an HTTP API) because only REST API
 * stages can be associated with a WAFv2 web ACL.
 *
 * - `GET /health`: public, proxied to the origin's `/health`.
 * - `ANY /v1/{proxy+}`: Cognito user pool authorizer (the `Authorization` header carries the ID token),
 *   proxied to the origin's `/v1/{proxy}`.
 * - Every integration adds the origin header; the ALB's web ACL refuses requests without it.
 * - A deployment whose triggers hash the API's routes and integrations, so any change redeploys; the
 *   stage has JSON access logs, X-Ray tracing and method throttling.
 *
 * @example
 * new PublicApi("api", {
 *   apiName: ctx.name("api"), stageName: ctx.env, originUrl: "https://alb.example.com",
 *   originHeader: { name: "x-origin-verify", value: secret.result }, userPoolArn,
 *   throttleRateLimit: 50, throttleBurstLimit: 100, logRetentionDays: 30,
 * }, ctx.opts);
 */
export class PublicApi extends pulumi.ComponentResource {
  readonly restApi: aws.apigateway.RestApi;
  readonly authorizer: aws.apigateway.Authorizer;
  readonly deployment: aws.apigateway.Deployment;
  readonly stage: aws.apigateway.Stage;
  readonly accessLogs: aws.cloudwatch.LogGroup;
  /** The stage's invoke URL (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`). */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: PublicApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tradai:edge:PublicApi", name, {}, opts);
    const child = { parent: this };
    const api = new aws.apigateway.RestApi(
      name,
      {
        name: args.apiName,
        description: "TradAI public API: Cognito-authorised /v1 and public /health in front of the ALB.",
        endpointConfiguration: { types: "REGIONAL" },
      },
      child,
    );
    this.restApi = api;

    this.authorizer = new aws.apigateway.Authorizer(
      `${name}-cognito`,
      {
        restApi: api.id,
        name: "cognito",
        type: "COGNITO_USER_POOLS",
        providerArns: [args.userPoolArn],
        identitySource: "method.request.header.Authorization",
      },
      child,
    );

    const originHeaderParam = `integration.request.header.${args.originHeader.name}`;
    // A static header value in API Gateway is a quoted literal.
    const originHeaderValue = pulumi.secret(pulumi.interpolate`'${args.originHeader.value}'`);

    // GET /health: public.
    const health = new aws.apigateway.Resource(
      `${name}-health`,
      { restApi: api.id, parentId: api.rootResourceId, pathPart: "health" },
      child,
    );
    const healthMethod = new aws.apigateway.Method(
      `${name}-health-get`,
      { restApi: api.id, resourceId: health.id, httpMethod: "GET", authorization: "NONE" },
      child,
    );
    const healthIntegration = new aws.apigateway.Integration(
      `${name}-health-get`,
      {
        restApi: api.id,
        resourceId: health.id,
        httpMethod: healthMethod.httpMethod,
        type: "HTTP_PROXY",
        integrationHttpMethod: "GET",
        uri: pulumi.interpolate`${args.originUrl}/health`,
        requestParameters: { [originHeaderParam]: originHeaderValue },
      },
      child,
    );

    // ANY /v1/{proxy+}: Cognito-authorised.
    const v1 = new aws.apigateway.Resource(
      `${name}-v1`,
      { restApi: api.id, parentId: api.rootResourceId, pathPart: "v1" },
      child,
    );
    const proxy = new aws.apigateway.Resource(
      `${name}-v1-proxy`,
      { restApi: api.id, parentId: v1.id, pathPart: "{proxy+}" },
      child,
    );
    const proxyMethod = new aws.apigateway.Method(
      `${name}-v1-proxy-any`,
      {
        restApi: api.id,
        resourceId: proxy.id,
        httpMethod: "ANY",
        authorization: "COGNITO_USER_POOLS",
        authorizerId: this.authorizer.id,
        requestParameters: { "method.request.path.proxy": true },
      },
      child,
    );
    const proxyIntegration = new aws.apigateway.Integration(
      `${name}-v1-proxy-any`,
      {
        restApi: api.id,
        resourceId: proxy.id,
        httpMethod: proxyMethod.httpMethod,
        type: "HTTP_PROXY",
        integrationHttpMethod: "ANY",
        uri: pulumi.interpolate`${args.originUrl}/v1/{proxy}`,
        requestParameters: {
          "integration.request.path.proxy": "method.request.path.proxy",
          [originHeaderParam]: originHeaderValue,
        },
      },
      child,
    );

    // A deployment is a snapshot: redeploy whenever a route, method, authorizer or integration changes.
    const shape = pulumi
      .all([
        [health.id, v1.id, proxy.id],
        [healthMethod.id, healthMethod.authorization, proxyMethod.id, proxyMethod.authorization],
        [this.authorizer.id, this.authorizer.providerArns],
        [healthIntegration.id, healthIntegration.uri, healthIntegration.requestParameters],
        [proxyIntegration.id, proxyIntegration.uri, proxyIntegration.requestParameters],
      ])
      .apply((parts) => createHash("sha256").update(JSON.stringify(parts)).digest("hex"));
    this.deployment = new aws.apigateway.Deployment(
      name,
      {
        restApi: api.id,
        description: `TradAI API (${args.stageName})`,
        // A SHA-256 of inputs that include a 40-character random secret reveals nothing about it.
        triggers: { redeployment: pulumi.unsecret(shape) },
      },
      { ...child, dependsOn: [healthIntegration, proxyIntegration] },
    );

    this.accessLogs = new aws.cloudwatch.LogGroup(
      `${name}-access`,
      { name: `/aws/apigateway/${args.apiName}/access`, retentionInDays: args.logRetentionDays },
      child,
    );
    this.stage = new aws.apigateway.Stage(
      name,
      {
        restApi: api.id,
        deployment: this.deployment.id,
        stageName: args.stageName,
        xrayTracingEnabled: args.tracing ?? true,
        accessLogSettings: { destinationArn: this.accessLogs.arn, format: ACCESS_LOG_FORMAT },
      },
      { ...child, dependsOn: args.loggingRole ? [args.loggingRole] : [] },
    );
    new aws.apigateway.MethodSettings(
      `${name}-all-methods`,
      {
        restApi: api.id,
        stageName: this.stage.stageName,
        methodPath: "*/*",
        settings: {
          metricsEnabled: true,
          loggingLevel: args.loggingLevel ?? "ERROR",
          // Full request/response logging would write tokens and payloads to CloudWatch.
          dataTraceEnabled: false,
          throttlingRateLimit: args.throttleRateLimit,
          throttlingBurstLimit: args.throttleBurstLimit,
        },
      },
      { ...child, dependsOn: args.loggingRole ? [args.loggingRole] : [] },
    );

    this.url = this.stage.invokeUrl;
    this.registerOutputs({ id: api.id, stageArn: this.stage.arn, url: this.url });
  }
}
