import * as aws from "@pulumi/aws";
import { ACCESS_LOG_FORMAT, PublicApi, type PublicApiArgs } from "../src/edge/public-api";
import { capture, captureFailure, expectWellFormed, isSecret, mockArn, mockPulumi, REGION } from "./harness";

const RESOURCE = "aws:apigateway/resource:Resource";
const METHOD = "aws:apigateway/method:Method";
const INTEGRATION = "aws:apigateway/integration:Integration";
const DEPLOYMENT = "aws:apigateway/deployment:Deployment";

beforeAll(() =>
  mockPulumi({
    state: {
      "aws:apigateway/restApi:RestApi": (inputs) => ({
        rootResourceId: "root",
        executionArn: `arn:aws:execute-api:${REGION}:123456789012:${inputs.name}`,
      }),
    },
  }),
);

const args: PublicApiArgs = {
  apiName: "tradai-dev-api",
  stageName: "dev",
  originUrl: "https://origin.example.com",
  originHeader: { name: "x-origin-verify", value: "s3cret" },
  userPoolArn: "pool-arn",
  authorizationScopes: ["tradai-api/v1"],
  throttleRateLimit: 20,
  throttleBurstLimit: 40,
  logRetentionDays: 14,
};

describe("PublicApi", () => {
  it("serves a public /health and a Cognito-authorised /v1 proxy, both adding the secret origin header", async () => {
    const c = await capture((opts) => new PublicApi("api", args, opts));
    expectWellFormed(c, "tradai:edge:PublicApi", "api");
    expect(c.one("aws:apigateway/authorizer:Authorizer", "api-cognito").inputs).toMatchObject({
      type: "COGNITO_USER_POOLS",
      providerArns: ["pool-arn"],
      identitySource: "method.request.header.Authorization",
    });
    expect(c.ofType(RESOURCE).map((r) => [r.name, r.inputs.parentId, r.inputs.pathPart])).toEqual([
      ["api-health", "root", "health"],
      ["api-v1", "root", "v1"],
      ["api-v1-proxy", "api-v1-id", "{proxy+}"],
    ]);
    expect(c.one(METHOD, "api-health-get").inputs).toMatchObject({
      httpMethod: "GET",
      authorization: "NONE",
    });
    expect(c.one(METHOD, "api-v1-proxy-any").inputs).toMatchObject({
      httpMethod: "ANY",
      authorization: "COGNITO_USER_POOLS",
      authorizerId: "api-cognito-id",
      authorizationScopes: ["tradai-api/v1"],
    });
    const health = c.one(INTEGRATION, "api-health-get");
    expect(health.inputs).toMatchObject({
      type: "HTTP_PROXY",
      uri: "https://origin.example.com/health",
      requestParameters: { "integration.request.header.x-origin-verify": "'s3cret'" },
    });
    expect(isSecret(health.rawInputs.requestParameters)).toBe(true);
    expect(c.one(INTEGRATION, "api-v1-proxy-any").inputs).toMatchObject({
      uri: "https://origin.example.com/v1/{proxy}",
      requestParameters: {
        "integration.request.path.proxy": "method.request.path.proxy",
        "integration.request.header.x-origin-verify": "'s3cret'",
      },
    });
  });

  it("stages a deployment of every integration with JSON access logs, X-Ray and throttling", async () => {
    const loggingRole = new aws.iam.Role("apigw-role", { assumeRolePolicy: "{}" });
    const c = await capture((opts) => new PublicApi("staged", { ...args, loggingRole }, opts));
    const deployment = c.one(DEPLOYMENT, "staged");
    expect(deployment.inputs.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.opts.dependsOn).toEqual(c.ofType(INTEGRATION).map((i) => i.resource));
    expect(c.one("aws:cloudwatch/logGroup:LogGroup", "staged-access").inputs).toEqual({
      name: "/aws/apigateway/tradai-dev-api/access",
      retentionInDays: 14,
    });
    const stage = c.one("aws:apigateway/stage:Stage", "staged");
    expect(stage.inputs).toMatchObject({
      stageName: "dev",
      deployment: "staged-id",
      xrayTracingEnabled: true,
      accessLogSettings: {
        destinationArn: mockArn("aws:cloudwatch/logGroup:LogGroup", "/aws/apigateway/tradai-dev-api/access"),
        format: ACCESS_LOG_FORMAT,
      },
    });
    // API Gateway refuses access logging until the account's logging role is registered.
    expect(stage.opts.dependsOn).toEqual([loggingRole]);
    expect(c.one("aws:apigateway/methodSettings:MethodSettings", "staged-all-methods").inputs).toMatchObject({
      methodPath: "*/*",
      settings: {
        loggingLevel: "ERROR",
        dataTraceEnabled: false,
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
      },
    });
  });

  it("routes a /v1 path to a Lambda behind the same authorizer, invocable by this route only", async () => {
    const c = await capture(
      (opts) =>
        new PublicApi(
          "fn",
          {
            ...args,
            tracing: false,
            loggingLevel: "INFO",
            functionRoutes: [
              {
                key: "collect",
                pathPart: "collect",
                httpMethod: "POST",
                functionName: "collector",
                functionArn: "collector-arn",
              },
            ],
          },
          opts,
        ),
    );
    expect(c.one(RESOURCE, "fn-v1-collect").inputs).toMatchObject({
      parentId: "fn-v1-id",
      pathPart: "collect",
    });
    expect(c.one(METHOD, "fn-v1-collect").inputs).toMatchObject({
      httpMethod: "POST",
      authorization: "COGNITO_USER_POOLS",
      authorizationScopes: ["tradai-api/v1"],
    });
    expect(c.one(INTEGRATION, "fn-v1-collect").inputs).toMatchObject({
      type: "AWS_PROXY",
      integrationHttpMethod: "POST",
      uri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/collector-arn/invocations`,
    });
    expect(c.one("aws:lambda/permission:Permission", "fn-v1-collect").inputs).toMatchObject({
      function: "collector",
      principal: "apigateway.amazonaws.com",
      sourceArn: `arn:aws:execute-api:${REGION}:123456789012:tradai-dev-api/*/POST/v1/collect`,
    });
    expect(c.one(DEPLOYMENT, "fn").opts.dependsOn).toHaveLength(3);
    expect(c.one("aws:apigateway/stage:Stage", "fn").inputs.xrayTracingEnabled).toBe(false);
    expect(
      c.one("aws:apigateway/methodSettings:MethodSettings", "fn-all-methods").inputs.settings.loggingLevel,
    ).toBe("INFO");
  });

  it("redeploys when a route changes: the deployment trigger hashes the routes", async () => {
    const one = await capture((opts) => new PublicApi("hash", args, opts));
    const other = await capture(
      (opts) => new PublicApi("hash", { ...args, originUrl: "https://elsewhere" }, opts),
    );
    expect(one.one(DEPLOYMENT, "hash").inputs.triggers.redeployment).not.toBe(
      other.one(DEPLOYMENT, "hash").inputs.triggers.redeployment,
    );
  });

  it("rejects empty authorization scopes (the authorizer would accept ID tokens), creating nothing", async () => {
    const { error, registered } = await captureFailure(
      () => new PublicApi("bad", { ...args, authorizationScopes: [] }),
    );
    expect(error.message).toBe(
      "PublicApi bad: authorizationScopes is empty, so the Cognito authorizer would accept only ID tokens",
    );
    expect(registered).toEqual(["tradai:edge:PublicApi::bad"]);
  });
});
