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

/** A `/v1/<pathPart>` route whose integration is a Lambda function (`AWS_PROXY`). */
export interface FunctionRoute {
  /** Stable key: names the child resources. */
  key: string;
  /** Path segment under `/v1` (a static segment wins over `{proxy+}`). */
  pathPart: string;
  httpMethod: "GET" | "POST" | "PUT" | "DELETE" | "ANY";
  /** Function name (for the invoke permission). */
  functionName: pulumi.Input<string>;
  /** Function ARN (the integration invokes it). */
  functionArn: pulumi.Input<string>;
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
  /**
   * OAuth scopes (`<resource server>/<scope>`) of which a `/v1` caller's access token must carry one.
   * With scopes the Cognito authorizer accepts access tokens only; without any it would accept only ID
   * tokens, which is why at least one is required.
   */
  authorizationScopes: readonly string[];
  /**
   * Routes under `/v1` served by a Lambda function instead of the origin (proxy integration), behind the
   * same authorizer and scopes, e.g. `POST /v1/collect` -> data-collection-proxy. @default none
   */
  functionRoutes?: FunctionRoute[];
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
 * - `ANY /v1/{proxy+}`: Cognito user pool authorizer (the `Authorization` header carries an access
 *   token with one of `authorizationScopes`), proxied to the origin's `/v1/{proxy}`.
 * - Every integration adds the origin header; the ALB's web ACL refuses requests without it.
 * - A deployment whose triggers hash the API's routes and integrations, so any change redeploys; the
 *   stage has JSON access logs, X-Ray tracing and method throttling.
 *
 * @example
 * new PublicApi("api", {
 *   apiName: ctx.name("api"), stageName: ctx.env, originUrl: "https://alb.example.com",
 *   originHeader: { name: "x-origin-verify", value: secret.result }, userPoolArn,
 *   authorizationScopes: API_ACCESS.scopes,
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
    if (args.authorizationScopes.length === 0) {
      throw new Error(
        `PublicApi ${name}: authorizationScopes is empty, so the Cognito authorizer would accept only ID tokens`,
      );
    }
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
        authorizationScopes: [...args.authorizationScopes],
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

    // Function routes: a static segment under /v1, same authorizer and scopes as the proxy.
    const routes = (args.functionRoutes ?? []).map((route) => {
      const resource = new aws.apigateway.Resource(
        `${name}-v1-${route.key}`,
        { restApi: api.id, parentId: v1.id, pathPart: route.pathPart },
        child,
      );
      const method = new aws.apigateway.Method(
        `${name}-v1-${route.key}`,
        {
          restApi: api.id,
          resourceId: resource.id,
          httpMethod: route.httpMethod,
          authorization: "COGNITO_USER_POOLS",
          authorizerId: this.authorizer.id,
          authorizationScopes: [...args.authorizationScopes],
        },
        child,
      );
      const region = aws.getRegionOutput({}, child).region;
      const integration = new aws.apigateway.Integration(
        `${name}-v1-${route.key}`,
        {
          restApi: api.id,
          resourceId: resource.id,
          httpMethod: method.httpMethod,
          type: "AWS_PROXY",
          // Lambda proxy integrations are always invoked with POST, whatever the route's method.
          integrationHttpMethod: "POST",
          uri: pulumi.interpolate`arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${route.functionArn}/invocations`,
        },
        child,
      );
      new aws.lambda.Permission(
        `${name}-v1-${route.key}`,
        {
          action: "lambda:InvokeFunction",
          function: route.functionName,
          principal: "apigateway.amazonaws.com",
          // Only this route of this API (any stage) may invoke the function.
          sourceArn: pulumi.interpolate`${api.executionArn}/*/${route.httpMethod === "ANY" ? "*" : route.httpMethod}/v1/${route.pathPart}`,
        },
        child,
      );
      return { resource, method, integration };
    });

    // A deployment is a snapshot: redeploy whenever a route, method, authorizer or integration changes.
    const shape = pulumi
      .all([
        [health.id, v1.id, proxy.id],
        [healthMethod.id, healthMethod.authorization, proxyMethod.id, proxyMethod.authorization],
        [proxyMethod.authorizationScopes],
        [this.authorizer.id, this.authorizer.providerArns],
        [healthIntegration.id, healthIntegration.uri, healthIntegration.requestParameters],
        [proxyIntegration.id, proxyIntegration.uri, proxyIntegration.requestParameters],
        // Only when there are function routes, so adding none leaves the hash (and the deployment) as is.
        ...routes.map((r) => [r.resource.id, r.method.id, r.method.authorizationScopes, r.integration.uri]),
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
      { ...child, dependsOn: [healthIntegration, proxyIntegration, ...routes.map((r) => r.integration)] },
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
